import { msToUs } from '../sim/time.js';
import { type Config, str } from './knob.js';

/**
 * What every model's capacity knobs share (livesim's own keys, under `sim.*`): the profile key and
 * its values, how a cost knob resolves, and whether a configuration makes the server finite. The
 * per-model keys and reference costs live in each model's defaults table.
 */
export const CAPACITY_KEY = 'sim.server.capacity';
export const CAPACITY_PROFILES = ['infinite', 'reference-8c'] as const;
const REFERENCE_PROFILE: (typeof CAPACITY_PROFILES)[number] = 'reference-8c';
const COST_KEY_PREFIX = 'sim.server.cost.';

/** A cost knob (ms, or `auto`): its value in µs, or for `auto` the reference profile's cost or 0 (infinite capacity). */
export const costUs = (c: Config, key: string, referenceUs: number): number => {
  const v = c[key];
  if (typeof v === 'number') return msToUs(v);
  return str(c, CAPACITY_KEY) === REFERENCE_PROFILE ? referenceUs : 0;
};

/** Does the configuration model a finite server (queueing), rather than the default that serves everything at once? */
export const finiteCapacity = (c: Config): boolean =>
  c[CAPACITY_KEY] === REFERENCE_PROFILE || Object.entries(c).some(([key, value]) => key.startsWith(COST_KEY_PREFIX) && typeof value === 'number' && value > 0);
