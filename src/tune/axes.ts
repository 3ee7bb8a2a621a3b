import type { ModelDefinition } from '../models/model.js';
import { atLeast, type Version } from '../models/version.js';
import { findKnob } from '../scenario/config.js';
import { InputError } from '../scenario/input-error.js';
import { type Axis, parseAxis } from '../sweep/spec.js';
import type { Tunable, TuneSpace } from './spaces.js';

/**
 * The axes `livesim tune` searches: the model's tunables (spaces.ts) with their grids, minus
 * those the user fixed with `--set` or that have no effect in the chosen releases, with
 * `--space KEY=SPEC` replacing a grid (or adding a setting of the model to the search).
 */
export interface SearchAxis extends Axis {
  readonly label: string;
}

export interface FixedTunable {
  readonly key: string;
  readonly why: string;
}

export interface SearchSpace {
  readonly axes: readonly SearchAxis[];
  readonly fixed: readonly FixedTunable[];
  /** The `--vary` texts of the sweep plans. */
  readonly vary: readonly string[];
  readonly points: number;
}

/** More points than this is a sweep, not a tuning run: narrow the grids with --space or fix keys with --set. */
export const MAX_TUNE_POINTS = 5000;

export interface SpaceInput {
  readonly model: ModelDefinition;
  readonly space: TuneSpace;
  /** Keys fixed by `--set` (and a scenario file's `set`), as given. */
  readonly setKeys: readonly string[];
  readonly overrides: readonly string[];
  readonly versions: { readonly client: Version; readonly server: Version; readonly clientText: string; readonly serverText: string };
}

/** `--space` takes what `sweep --vary` takes; its errors name the flag given. */
const spaceAxis = (model: ModelDefinition, text: string): Axis => {
  try {
    return parseAxis(model, text);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.message.replace(/--vary/g, '--space'));
    throw e;
  }
};

const canonicalKey = (model: ModelDefinition, key: string): string => findKnob(model, key)?.key ?? key;

const noEffect = (t: Tunable, v: SpaceInput['versions']): string | null => {
  const from = t.effectiveFrom;
  if (from === undefined) return null;
  const version = from.side === 'client' ? v.client : v.server;
  if (atLeast(version, from.version)) return null;
  const text = from.side === 'client' ? v.clientText : v.serverText;
  return `no effect with ${from.side} ${text} (read from ${from.version} on)`;
};

export const buildSearchSpace = (input: SpaceInput): SearchSpace => {
  const { model, space } = input;
  const fixedKeys = new Set(input.setKeys.map((k) => canonicalKey(model, k)));
  const overrides = new Map<string, Axis>();
  for (const text of input.overrides) {
    const axis = spaceAxis(model, text);
    if (findKnob(model, axis.key) === undefined) throw new InputError(`--space ${axis.key}: tune searches model settings only`);
    if (overrides.has(axis.key)) throw new InputError(`--space ${axis.key} is given twice: list every value in one SPEC`);
    if (fixedKeys.has(axis.key)) throw new InputError(`${axis.key} is both --set and --space: keep one`);
    overrides.set(axis.key, axis);
  }
  const axes: SearchAxis[] = [];
  const fixed: FixedTunable[] = [];
  for (const t of space.tunables) {
    const given = overrides.get(t.key);
    overrides.delete(t.key);
    if (fixedKeys.has(t.key)) {
      fixed.push({ key: t.key, why: 'fixed by --set' });
      continue;
    }
    const inert = noEffect(t, input.versions);
    if (inert !== null && given === undefined) {
      fixed.push({ key: t.key, why: inert });
      continue;
    }
    const axis = given ?? parseAxis(model, `${t.key}=${t.grid.join(',')}`);
    axes.push({ ...axis, label: t.label });
  }
  for (const axis of overrides.values()) axes.push({ ...axis, label: axis.key });
  if (axes.length === 0)
    throw new InputError(`nothing to search: every tunable of ${model.id} is fixed (${fixed.map((f) => `${f.key}: ${f.why}`).join('; ')})`);
  const points = axes.reduce((n, a) => n * a.values.length, 1);
  if (points > MAX_TUNE_POINTS)
    throw new InputError(`the search has ${points} combinations, more than ${MAX_TUNE_POINTS}: narrow it with --space KEY=a,b,c or fix settings with --set`);
  return { axes, fixed, vary: axes.map((a) => `${a.key}=${a.values.join(',')}`), points };
};

/** Each axis's value for the model's default, in canonical text (null: not a setting with a default). */
export const defaultValues = (model: ModelDefinition, axes: readonly Axis[]): Record<string, string | null> => {
  const out: Record<string, string | null> = {};
  for (const axis of axes) {
    const knob = findKnob(model, axis.key);
    const text = knob === undefined ? null : knob.type === 'duration' && typeof knob.default === 'number' ? `${knob.default}ms` : String(knob.default);
    out[axis.key] = text === null ? null : (parseAxis(model, `${axis.key}=${text}`).values[0] ?? null);
  }
  return out;
};

/** The point whose searched settings are all the model's defaults, or null if a grid misses one. */
export const defaultsPoint = (model: ModelDefinition, axes: readonly Axis[]): number | null => {
  const defaults = defaultValues(model, axes);
  let index = 0;
  for (const axis of axes) {
    const at = axis.values.indexOf(defaults[axis.key] ?? '');
    if (at < 0) return null;
    index = index * axis.values.length + at;
  }
  return index;
};
