import { availableParallelism } from 'node:os';
import { checkEstimate, estimateRun, parseMemoryLimit } from '../src/scenario/resource-estimate.js';
import type { Scenario } from '../src/scenario/run.js';
import { note } from './style.js';

/**
 * The resource checks a command makes before it starts (issue 20 item 3): the estimate of one run
 * against `--max-memory`, and the worker count capped at what helps.
 */
export const checkRunResources = (sc: Scenario, flags: object, what = 'the run'): void =>
  checkEstimate(what, estimateRun(sc), parseMemoryLimit((flags as { readonly 'max-memory'?: unknown })['max-memory']));

/** `--workers N` capped at the cores (more threads only add memory: 100 000 took 11.5 GB) and at the runs. */
export const cappedWorkers = (requested: number | undefined, runs: number): number | undefined => {
  if (requested === undefined) return undefined;
  const cap = Math.max(1, Math.min(availableParallelism(), runs));
  if (requested > cap) note(`--workers ${requested}: using ${cap} (${cap === runs ? 'one per run' : 'the number of cores'})`);
  return Math.min(requested, cap);
};
