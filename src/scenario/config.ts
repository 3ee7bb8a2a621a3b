import type { Config, Knob, KnobValue } from '../models/knob.js';
import type { ModelDefinition } from '../models/model.js';
import { editDistance } from './closest.js';
import { parseDuration } from './duration.js';
import { InputError } from './input-error.js';
import { parseLatency } from './latency-dsl.js';

export type SettingInput = string | number | boolean;

/** Finds a knob by its key or one of its aliases. */
export const findKnob = (model: ModelDefinition, key: string): Knob | undefined => model.knobs.find((k) => k.key === key || (k.aliases ?? []).includes(key));

/**
 * Resolves `--set KEY=VALUE` pairs (and a scenario file's `set`) against a model's table of
 * defaults: every key known, every value parsed and in range, then the model's own legality
 * check (what Nacos itself would reject). The result lists every knob in table order.
 */
export const resolveConfig = (model: ModelDefinition, sets: Readonly<Record<string, SettingInput>>): Config => {
  const values = new Map<string, KnobValue>(model.knobs.map((k) => [k.key, k.default]));
  for (const [key, raw] of Object.entries(sets)) {
    const knob = findKnob(model, key);
    if (knob === undefined) throw new InputError(`unknown setting '${key}' for ${model.id}${suggest(model, key)} ('livesim models' lists every key)`);
    values.set(knob.key, parseKnobValue(knob, raw));
  }
  const config: Config = Object.fromEntries(values);
  const problem = model.validate(config);
  if (problem !== null) throw new InputError(`${model.id}: ${problem}`);
  return config;
};

export const parseKnobValue = (knob: Knob, raw: SettingInput): KnobValue => {
  const text = String(raw).trim();
  const what = `setting ${knob.key}`;
  switch (knob.type) {
    case 'duration': {
      if (knob.default === 'auto' && text === 'auto') return 'auto';
      const ms = parseDuration(text, what) / 1000;
      if (ms < (knob.minMs ?? 0) || (knob.maxMs !== undefined && ms > knob.maxMs)) {
        throw new InputError(`${what}: ${text} is out of range (${rangeText(knob.minMs ?? 0, knob.maxMs, 'ms')})`);
      }
      return ms;
    }
    case 'number': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) throw new InputError(`${what}: '${text}' is not a number`);
      if (knob.integer === true && !Number.isInteger(n)) throw new InputError(`${what}: '${text}' must be a whole number`);
      if ((knob.min !== undefined && n < knob.min) || (knob.max !== undefined && n > knob.max)) {
        throw new InputError(`${what}: ${text} is out of range (${rangeText(knob.min ?? Number.NEGATIVE_INFINITY, knob.max, '')})`);
      }
      return n;
    }
    case 'boolean':
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw new InputError(`${what}: '${text}' is not a boolean (accepted: true, false)`);
    case 'enum':
      if (knob.values.includes(text)) return text;
      throw new InputError(`${what}: '${text}' is not accepted (accepted: ${knob.values.join(', ')})`);
    case 'text':
      if (knob.key === 'net.latency') parseLatency(text);
      return text;
  }
};

const rangeText = (min: number, max: number | undefined, unit: string): string =>
  max === undefined ? `at least ${min}${unit}` : `${min}${unit} to ${max}${unit}`;

/**
 * "did you mean": a key that ends with what was typed (or the other way round: `ip.delete.timeout`
 * → `preserved.ip.delete.timeout`), else the nearest key or alias by edit distance, if it is near.
 */
const suggest = (model: ModelDefinition, key: string): string => {
  const lower = key.toLowerCase();
  if (lower.length > 200) return '';
  const named = model.knobs.flatMap((k) => [k.key, ...(k.aliases ?? [])].map((n) => ({ key: k.key, name: n.toLowerCase() })));
  const bySuffix = named.find(({ name }) => name.endsWith(`.${lower}`) || lower.endsWith(`.${name}`));
  if (bySuffix !== undefined) return ` (did you mean ${bySuffix.key}?)`;
  let best: { key: string; d: number } | undefined;
  for (const { key: k, name } of named) {
    const d = editDistance(lower, name);
    if (best === undefined || d < best.d) best = { key: k, d };
  }
  return best !== undefined && best.d <= Math.max(2, Math.floor(lower.length / 4)) ? ` (did you mean ${best.key}?)` : '';
};
