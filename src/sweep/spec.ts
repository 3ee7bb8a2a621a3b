import type { Knob } from '../models/knob.js';
import type { ModelDefinition } from '../models/model.js';
import { findKnob, parseKnobValue } from '../scenario/config.js';
import { formatDuration, parseDuration } from '../scenario/duration.js';
import { InputError } from '../scenario/input-error.js';
import { LIMITS } from '../scenario/scenario.js';
import type { Micros } from '../sim/time.js';

/**
 * `--vary KEY=SPEC`: one axis of a sweep. SPEC is
 *
 *   a,b,c                  a list of values (any type; one value is a list of one)
 *   1s..10s:1s             FROM..TO:STEP, both ends inclusive (durations or numbers)
 *   log:100ms..60s:12      COUNT values spaced evenly on a log scale, both ends included
 *
 * KEY is a model setting (a Nacos key or alias, canonicalised to the key) or one of the
 * scenario sizes `clients`, `subscribers`, `servers`. Values come out as canonical text
 * (`10s`, `0.5`, `true`) that `--set` would accept, each checked against the knob's range.
 */
export interface Axis {
  readonly key: string;
  readonly values: readonly string[];
}

/** Scenario fields that a sweep can vary besides settings, with their upper limits. */
export const SIZE_KEYS: Readonly<Record<string, { readonly min: number; readonly max: number }>> = {
  clients: { min: 1, max: LIMITS.maxClients },
  subscribers: { min: 0, max: LIMITS.maxSubscribers },
  servers: { min: 1, max: LIMITS.maxServers },
};

/** At most this many values on one axis (a sweep's size is also capped as a whole). */
export const MAX_AXIS_VALUES = 10_000;

type Kind = 'duration' | 'number' | 'integer' | 'other';

const RANGE = /^([^.]+?)\.\.([^:]+):(.+)$/;

export const parseAxis = (model: ModelDefinition, text: string): Axis => {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(`--vary '${text}': expected KEY=SPEC, e.g. preserved.ip.delete.timeout=10s..60s:10s, ephemeral=true,false`);
  const rawKey = text.slice(0, eq).trim();
  const spec = text.slice(eq + 1).trim();
  const size = SIZE_KEYS[rawKey];
  const knob = size === undefined ? findKnob(model, rawKey) : undefined;
  if (size === undefined && knob === undefined) {
    throw new InputError(
      `--vary '${text}': unknown setting '${rawKey}' for ${model.id} (settings: see 'livesim models'; also ${Object.keys(SIZE_KEYS).join(', ')})`,
    );
  }
  const key = knob?.key ?? rawKey;
  const kind: Kind =
    knob === undefined ? 'integer' : knob.type === 'duration' ? 'duration' : knob.type === 'number' ? (knob.integer ? 'integer' : 'number') : 'other';
  const where = `--vary ${key}`;
  const texts = expand(spec, kind, where);
  const values = texts.map((v) => (knob === undefined ? checkSize(rawKey, v, where) : canonical(knob, v, where)));
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new InputError(`${where}: value ${v} appears twice`);
    seen.add(v);
  }
  return { key, values };
};

const expand = (spec: string, kind: Kind, where: string): string[] => {
  if (spec === '') throw new InputError(`${where}: no values (e.g. 1s..10s:1s, a,b,c or log:100ms..60s:12)`);
  const log = spec.startsWith('log:');
  const m = RANGE.exec(log ? spec.slice(4) : spec);
  if (m === null) {
    if (log) throw new InputError(`${where}: '${spec}' is not log:FROM..TO:COUNT, e.g. log:100ms..60s:12`);
    if (spec.includes('..')) throw new InputError(`${where}: '${spec}' is not FROM..TO:STEP, e.g. 1s..10s:1s`);
    const items = spec.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw new InputError(`${where}: '${spec}' has an empty item`);
    return cap(items, where);
  }
  if (kind === 'other') throw new InputError(`${where}: ranges need a duration or number setting; list the values instead, e.g. true,false`);
  const [, from, to, step] = m as unknown as [string, string, string, string];
  if (log) return cap(logRange(from, to, step, kind, where), where);
  return kind === 'duration' ? durationRange(from, to, step, where) : numberRange(from, to, step, kind, where);
};

const cap = (values: string[], where: string): string[] => {
  if (values.length > MAX_AXIS_VALUES) throw new InputError(`${where}: ${values.length} values, more than the ${MAX_AXIS_VALUES} an axis may have`);
  return values;
};

const durationRange = (fromText: string, toText: string, stepText: string, where: string): string[] => {
  const from = parseDuration(fromText, `${where} from`);
  const to = parseDuration(toText, `${where} to`);
  const step = parseDuration(stepText, `${where} step`);
  if (step === 0) throw new InputError(`${where}: the step must be positive`);
  if (to < from) throw new InputError(`${where}: ${toText} is before ${fromText}`);
  const count = Math.floor((to - from) / step) + 1;
  cap(new Array(Math.min(count, MAX_AXIS_VALUES + 1)), where);
  return Array.from({ length: count }, (_, i) => formatDuration(from + i * step));
};

const number = (text: string, what: string): number => {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new InputError(`${what}: '${text}' is not a number`);
  return n;
};

/** Removes binary floating-point noise (0.1 + 0.2) from computed values. */
const clean = (x: number): number => Number(x.toPrecision(12));

const numberRange = (fromText: string, toText: string, stepText: string, kind: Kind, where: string): string[] => {
  const from = number(fromText, `${where} from`);
  const to = number(toText, `${where} to`);
  const step = number(stepText, `${where} step`);
  if (!(step > 0)) throw new InputError(`${where}: the step must be positive`);
  if (to < from) throw new InputError(`${where}: ${toText} is below ${fromText}`);
  const count = Math.floor(clean((to - from) / step)) + 1;
  cap(new Array(Math.min(count, MAX_AXIS_VALUES + 1)), where);
  const values = Array.from({ length: count }, (_, i) => clean(from + i * step));
  if (kind === 'integer' && values.some((v) => !Number.isInteger(v))) throw new InputError(`${where}: takes whole numbers`);
  return values.map(String);
};

const logRange = (fromText: string, toText: string, countText: string, kind: Kind, where: string): string[] => {
  const count = number(countText, `${where} count`);
  if (!Number.isInteger(count) || count < 2 || count > MAX_AXIS_VALUES)
    throw new InputError(`${where}: the count must be a whole number from 2 to ${MAX_AXIS_VALUES}`);
  const duration = kind === 'duration';
  const from = duration ? parseDuration(fromText, `${where} from`) : number(fromText, `${where} from`);
  const to = duration ? parseDuration(toText, `${where} to`) : number(toText, `${where} to`);
  if (!(from > 0) || !(to > from)) throw new InputError(`${where}: a log range needs 0 < FROM < TO`);
  const raw = Array.from({ length: count }, (_, i) => (i === count - 1 ? to : from * (to / from) ** (i / (count - 1))));
  const values = raw.map((x, i) => (i === 0 || i === count - 1 ? x : duration ? roundUs(x) : roundNumber(x, kind)));
  const texts = values.map((x) => (duration ? formatDuration(x as Micros) : String(x)));
  const unique = [...new Set(texts)];
  if (unique.length < texts.length) throw new InputError(`${where}: ${count} log steps from ${fromText} to ${toText} repeat values after rounding; use fewer`);
  return unique;
};

/** Log-spaced durations round to whole ms (or whole µs below 1 ms). */
const roundUs = (us: number): Micros => (us >= 1000 ? Math.round(us / 1000) * 1000 : Math.round(us));
const roundNumber = (x: number, kind: Kind): number => (kind === 'integer' ? Math.round(x) : Number(x.toPrecision(4)));

/** Parses the value as `--set` would, and writes it back in canonical text. */
const canonical = (knob: Knob, text: string, where: string): string => {
  let v: ReturnType<typeof parseKnobValue>;
  try {
    v = parseKnobValue(knob, text);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${where}: ${e.message}`);
    throw e;
  }
  return knob.type === 'duration' && typeof v === 'number' ? formatDuration(Math.round(v * 1000)) : String(v);
};

const checkSize = (key: string, text: string, where: string): string => {
  const limits = SIZE_KEYS[key] as { min: number; max: number };
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < limits.min || n > limits.max)
    throw new InputError(`${where}: '${text}' must be a whole number from ${limits.min} to ${limits.max}`);
  return String(n);
};
