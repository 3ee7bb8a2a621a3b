import { z } from 'zod';
import type { Knob } from '../../models/knob.js';
import { V1_KEYS, V1_KNOBS } from '../../models/nacos-v1/defaults.js';
import { V2_KEYS, V2_KNOBS } from '../../models/nacos-v2/defaults.js';
import { parseDuration } from '../../scenario/duration.js';
import { parseFault } from '../../scenario/fault-dsl.js';
import { NETWORK_PRESETS } from '../../scenario/network-presets.js';
import { readPlan } from '../common/plan-file.js';

/**
 * results/tuning/plan.json: which sweeps the tuning pipeline runs (presets, faults, the grid of
 * each model's settings, run counts, horizons) and which reports it writes. The settings are
 * named by the models' own tables (V2_KEYS.healthTimeout, …): the plan holds no key and no
 * default of its own, so a renamed key or a changed default reaches the results without an edit.
 */
const duration = z.string().refine((s) => {
  try {
    parseDuration(s, 'duration');
    return /[a-z]$/.test(s);
  } catch {
    return false;
  }
}, 'expected a duration with its unit, e.g. 500ms, 5s, 10m');
const durations = z.array(duration).min(1);
const count = z.number().int().min(1);
const fault = z.string().refine((s) => {
  try {
    parseFault(`${s}@1s`);
    return !s.includes('@');
  } catch {
    return false;
  }
}, 'expected a fault of the fault DSL without its time, e.g. cut, oneway:s2c, flap:2s/8s');
const presetNames = NETWORK_PRESETS.map((p) => p.name) as [string, ...string[]];

export const TuningPlanSchema = z.strictObject({
  description: z.string().optional(),
  /** A plan with tiny run counts, to try the pipeline: the README says its answers mean nothing. */
  quick: z.boolean().default(false),
  /** The false-disconnection target: a setting passes with a rate below it. */
  target: z.number().gt(0).lt(1),
  runs: z.strictObject({ grid: count, screen: count, verify: count, compare: count }),
  /** Candidates verified at most, fastest first, before the fastest screened one is reported unverified. */
  maxVerify: count,
  until: z.strictObject({ fault: duration, flap: duration, steady: duration }),
  presets: z.array(z.enum(presetNames)).min(1),
  /** In report order; the answers read the `cut` and `oneway:s2c` sweeps. */
  faults: z
    .array(fault)
    .min(1)
    .refine((fs) => fs.includes('cut') && fs.includes('oneway:s2c'), 'the faults must include cut and oneway:s2c (the answers rest on them)'),
  'nacos-v2': z.strictObject({ healthTimeout: durations, healthRetry: z.array(z.number().int().min(0)).min(1) }),
  'nacos-v1': z.strictObject({ beatInterval: durations, beatTimeout: durations, deleteTimeout: durations }),
  /** `compare`: one report per model and preset (defaults vs tuned under each fault); `grids`: one per model over its grids. */
  reports: z.array(z.enum(['compare', 'grids'])).default(['compare', 'grids']),
});
export type TuningPlan = z.infer<typeof TuningPlanSchema>;

export const readTuningPlan = (path: string): TuningPlan => readPlan(path, TuningPlanSchema);

const knobDefault = (knobs: readonly Knob[], key: string): number => {
  const k = knobs.find((x) => x.key === key);
  if (k === undefined || typeof k.default !== 'number') throw new Error(`no numeric default for ${key} in the model's table`);
  return k.default;
};

/** The keys the pipeline varies and their defaults (ms for durations), from the models' tables. */
export const TUNING_KEYS = {
  t: V2_KEYS.healthTimeout,
  r: V2_KEYS.healthRetry,
  i: V1_KEYS.beatInterval,
  h: V1_KEYS.beatTimeout,
  d: V1_KEYS.deleteTimeout,
} as const;
export const V2_DEFAULT = { t: knobDefault(V2_KNOBS, TUNING_KEYS.t), r: knobDefault(V2_KNOBS, TUNING_KEYS.r) } as const;
export const V1_DEFAULT = {
  i: knobDefault(V1_KNOBS, TUNING_KEYS.i),
  h: knobDefault(V1_KNOBS, TUNING_KEYS.h),
  d: knobDefault(V1_KNOBS, TUNING_KEYS.d),
} as const;
