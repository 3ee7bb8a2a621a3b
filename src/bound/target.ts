import type { Expectation } from '../analysis/bounds.js';
import type { RunMetrics } from '../analysis/metrics.js';
import type { FaultTemplate } from '../scenario/fault-dsl.js';
import type { Scenario } from '../scenario/run.js';
import type { TraceEvent } from '../sim/trace.js';
import type { Dim, Point } from './search.js';

/**
 * What `livesim bound` needs from a model: which quantities it can bound, their analytic
 * bounds for a concrete scenario, and the space of phases a worst case can hide in. A model
 * carries it as `analysis.boundTarget` (e.g. src/models/nacos-v1/bound-target.ts).
 */
export interface BoundTarget {
  readonly model: string;
  /** The quantities the search can target; the first is the default. */
  readonly metrics: readonly BoundMetric[];
  /** The search space around a resolved scenario whose single fault is `template`. */
  space(base: Scenario, template: FaultTemplate, opts: SpaceOptions): SearchSpace;
}

export interface BoundMetric {
  readonly id: string;
  readonly title: string;
  /** The simulated value, in ms from the fault; null when it never happened. */
  value(m: RunMetrics): number | null;
  bound(sc: Scenario): AnalyticBound;
}

/** A model-neutral analytic bound: lower exclusive, upper inclusive, null where there is none. */
export interface AnalyticBound {
  readonly kind: 'within' | 'never' | 'no-bound';
  readonly lowerMs: number | null;
  readonly upperMs: number | null;
  readonly why: string | null;
}

export interface SpaceOptions {
  /** How many seeds (latency draws) the space offers, from the scenario's own seed up. */
  readonly seeds: number;
  /** Horizon for every run; default: onset + the finite upper bound + 1 s. */
  readonly untilUs: number | null;
  /**
   * Runs a scenario and returns its whole trace: for a model's timer grid read off a fault-free
   * probe (handed in because a model's folder cannot import the scenario runner, which imports the models).
   */
  readonly probe?: (sc: Scenario) => readonly TraceEvent[];
  /** Runs a scenario as `run` does (the followed trace) and returns its metrics: for a grid that needs, e.g., when c1 was last heard. */
  readonly metrics?: (sc: Scenario) => RunMetrics;
}

/** The runners a search space needs, or a clear error where a caller did not hand them in. */
export const probeOf = (opts: SpaceOptions): ((sc: Scenario) => readonly TraceEvent[]) => {
  if (opts.probe === undefined) throw new Error('bound: this search space needs SpaceOptions.probe (src/bound/report.ts hands it in)');
  return opts.probe;
};
export const metricsOf = (opts: SpaceOptions): ((sc: Scenario) => RunMetrics) => {
  if (opts.metrics === undefined) throw new Error('bound: this search space needs SpaceOptions.metrics (src/bound/report.ts hands it in)');
  return opts.metrics;
};

export interface SearchSpace {
  readonly dims: readonly Dim[];
  /** The concrete scenario at one point: a run of it is one evaluation. */
  scenario(point: Point): Scenario;
  /**
   * The points to enumerate before climbing: the model's timer grid (e.g. every instant a
   * datagram leaves, ±1 µs, read off a fault-free probe), with `perDim` uniform points mixed in.
   * Without it the search uses a uniform grid.
   */
  grid?(perDim: number): Point[];
  /** First climb step when the grid already sits on the edges (default: the uniform spacing). */
  readonly climbStepUs?: number;
}

export const fromExpectation = (e: Expectation): AnalyticBound =>
  e.kind === 'within'
    ? { kind: 'within', lowerMs: Number.isFinite(e.interval.lowerMs) ? e.interval.lowerMs : null, upperMs: e.interval.upperMs, why: null }
    : { kind: e.kind, lowerMs: null, upperMs: null, why: e.why };
