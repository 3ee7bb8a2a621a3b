import type { RunMetrics } from '../analysis/metrics.js';
import { formatDuration, parseDuration } from '../scenario/duration.js';
import { type FaultTemplate, parseFaultTemplate, placeFault } from '../scenario/fault-dsl.js';
import { InputError } from '../scenario/input-error.js';
import { changedSettings, replayCommand } from '../scenario/replay.js';
import { resolveScenario, runScenario, type Scenario } from '../scenario/run.js';
import type { ScenarioFile } from '../scenario/scenario.js';
import { exploreSpace, type SpaceReport } from './config-space.js';
import { type Point, search } from './search.js';
import type { AnalyticBound, BoundMetric, BoundTarget } from './target.js';
import { findBoundTarget } from './targets.js';

export interface BoundOptions {
  /** Which quantity to bound (default: the model's first, detection). */
  readonly metric?: string;
  /** Seeds (latency draws) in the space, from the scenario's seed up. Default 3. */
  readonly seeds?: number;
  /** Uniform points per timer dimension, added to the model's timer grid. Default 4. */
  readonly grid?: number;
  /** Hill-climbs from the best grid points. Default 3. */
  readonly climbs?: number;
  /** Smallest climb step. Default 1 µs: the extremes are found to the microsecond. */
  readonly minStepUs?: number;
  readonly maxEvaluations?: number;
  /** `KEY=RANGE` axes: report the configuration with the largest worst case. */
  readonly space?: readonly string[];
}

/** One extreme the search found, with everything needed to run it again. */
export interface ExtremeCase {
  /** The searched quantity, ms from the fault; null: it never happened before the horizon. */
  readonly valueMs: number | null;
  readonly detectionMs: number | null;
  readonly scenario: {
    readonly seed: number;
    readonly until: string;
    readonly faults: readonly string[];
    readonly set: Readonly<Record<string, string>>;
  };
  readonly replay: string;
}

export interface BoundReport {
  readonly model: string;
  readonly metric: string;
  readonly metricTitle: string;
  /** The fault as given (its onset searched when it has no @START). */
  readonly fault: string;
  /** The searched dimensions. */
  readonly dims: readonly string[];
  /** The analytic bound over every evaluated point of the space. */
  readonly bound: AnalyticBound;
  /** Every bound the model states, at the worst case found. */
  readonly analytic: Readonly<Record<string, AnalyticBound>>;
  readonly worst: ExtremeCase;
  readonly best: ExtremeCase;
  /** worst ÷ upper bound: 1 means the bound is reached. */
  readonly tightness: number | null;
  /** best ÷ lower bound. */
  readonly lowerTightness: number | null;
  readonly evaluations: number;
  readonly space: SpaceReport | null;
}

export const DEFAULT_BOUND_OPTIONS = { seeds: 3, grid: 4, climbs: 3, minStepUs: 1, maxEvaluations: 20_000 } as const;

export interface Prepared {
  readonly target: BoundTarget;
  readonly metric: BoundMetric;
  readonly base: Scenario;
  readonly template: FaultTemplate;
  readonly untilUs: number | null;
}

/** Resolves the input: a model with a bound target, one fault template (default `cut`). */
export const prepareBound = (input: ScenarioFile, metricId: string | undefined): Prepared => {
  const target = findBoundTarget(input.model);
  if (target === undefined) throw new InputError(`bound: no worst-case search for model '${input.model}' yet`);
  const metric = metricId === undefined ? target.metrics[0] : target.metrics.find((m) => m.id === metricId);
  if (metric === undefined) throw new InputError(`--metric '${metricId}': accepted for ${target.model}: ${target.metrics.map((m) => m.id).join(', ')}`);
  const faults = input.faults ?? ['cut'];
  if (faults.length !== 1) throw new InputError(`bound takes exactly one --fault (got ${faults.length})`);
  const template = parseFaultTemplate(faults[0] as string);
  const base = resolveScenario({ ...input, faults: [] });
  if (!base.model.faultKinds.includes(template.kind)) throw new InputError(`fault '${faults[0]}': ${base.model.id} does not model ${template.kind}`);
  const untilUs = input.until === undefined ? null : parseDuration(input.until, 'until');
  return { target, metric, base, template, untilUs };
};

const extreme = (sc: Scenario, valueMs: number | null, detectionMs: number | null): ExtremeCase => ({
  valueMs,
  detectionMs,
  scenario: {
    seed: sc.seed,
    until: formatDuration(sc.untilUs),
    faults: sc.faults.map((f) => f.text),
    set: Object.fromEntries(changedSettings(sc)),
  },
  replay: replayCommand(sc),
});

/** Joins the bounds of every evaluated point: the loosest lower and upper, or the first reason there is none. */
const joinBounds = (bounds: readonly AnalyticBound[]): AnalyticBound => {
  const open = bounds.find((b) => b.kind === 'no-bound');
  if (open !== undefined) return open;
  if (bounds.every((b) => b.kind === 'never')) return bounds[0] as AnalyticBound;
  if (bounds.some((b) => b.kind === 'never'))
    return { kind: 'no-bound', lowerMs: null, upperMs: null, why: 'never at some points of the space, bounded at others' };
  const lowers = bounds.map((b) => b.lowerMs);
  return {
    kind: 'within',
    lowerMs: lowers.some((l) => l === null) ? null : Math.min(...(lowers as number[])),
    upperMs: Math.max(...bounds.map((b) => b.upperMs as number)),
    why: null,
  };
};

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b <= 0 ? null : Math.round((a / b) * 1e6) / 1e6);

const options = (opts: BoundOptions) => {
  const d = DEFAULT_BOUND_OPTIONS;
  return {
    seeds: opts.seeds ?? d.seeds,
    grid: opts.grid ?? d.grid,
    climbs: opts.climbs ?? d.climbs,
    minStepUs: opts.minStepUs ?? d.minStepUs,
    maxEvaluations: opts.maxEvaluations ?? d.maxEvaluations,
  };
};

/**
 * Searches one configuration for several quantities at once (every run serves every quantity
 * and both goals): per quantity, the analytic bound over the evaluated points, the worst and
 * best cases found, and the tightness.
 */
export const searchMetrics = (p: Prepared, metrics: readonly BoundMetric[], opts: BoundOptions = {}): Omit<BoundReport, 'space'>[] => {
  const o = options(opts);
  const sp = p.target.space(p.base, p.template, {
    seeds: o.seeds,
    untilUs: p.untilUs,
    probe: (sc) => runScenario(sc).trace,
    metrics: (sc) => runScenario(sc, { trace: 'followed' }).result.metrics,
  });
  const runs = new Map<string, { sc: Scenario; metrics: RunMetrics }>();
  const runAt = (pt: Point) => {
    const key = JSON.stringify(pt);
    let r = runs.get(key);
    if (r === undefined) {
      const sc = sp.scenario(pt);
      r = { sc, metrics: runScenario(sc, { trace: 'followed' }).result.metrics };
      runs.set(key, r);
    }
    return r;
  };
  const budget = { gridPerDim: o.grid, climbs: o.climbs, minStepUs: o.minStepUs, maxEvaluations: o.maxEvaluations };
  const grid = sp.grid?.(o.grid);
  const start = { ...(grid === undefined ? {} : { grid }), ...(sp.climbStepUs === undefined ? {} : { climbStepUs: sp.climbStepUs }) };
  const fault = p.template.startUs === null ? placeFault(p.template, 0).text.replace(/@0s$/, '') : (sp.scenario({}).faults[0]?.text ?? '');
  return metrics.map((metric) => {
    const value = (pt: Point) => metric.value(runAt(pt).metrics);
    const worst = search(sp.dims, value, 'max', budget, start);
    const best = search(sp.dims, value, 'min', budget, start);
    const bound = joinBounds([...runs.values()].map((r) => metric.bound(r.sc)));
    const worstRun = runAt(worst.point);
    const bestRun = runAt(best.point);
    return {
      model: p.target.model,
      metric: metric.id,
      metricTitle: metric.title,
      fault,
      dims: sp.dims.map((d) => d.name),
      bound,
      analytic: Object.fromEntries(p.target.metrics.map((m) => [m.id, m.bound(worstRun.sc)])),
      worst: extreme(worstRun.sc, worst.value, worstRun.metrics.detectionMs),
      best: extreme(bestRun.sc, best.value, bestRun.metrics.detectionMs),
      tightness: ratio(worst.value, bound.upperMs),
      lowerTightness: ratio(best.value, bound.lowerMs),
      evaluations: runs.size,
    };
  });
};

/** Searches one configuration for its chosen quantity. */
export const searchBound = (p: Prepared, opts: BoundOptions = {}): Omit<BoundReport, 'space'> =>
  searchMetrics(p, [p.metric], opts)[0] as Omit<BoundReport, 'space'>;

/**
 * `livesim bound`: the analytic bound on one quantity, the worst and best cases a targeted
 * search finds (with replay lines), and how close they come. With `space` axes, every
 * configuration of the space is searched lightly and the one with the largest worst case is
 * searched in full and reported.
 */
export const boundReport = (input: ScenarioFile, opts: BoundOptions = {}): BoundReport => {
  if (opts.space === undefined || opts.space.length === 0) return { ...searchBound(prepareBound(input, opts.metric), opts), space: null };
  const explored = exploreSpace(input, opts.space, (variant) =>
    searchBound(prepareBound(variant, opts.metric), { ...opts, seeds: 1, grid: 8, climbs: 1, minStepUs: 1000 }),
  );
  return { ...searchBound(prepareBound(explored.largestInput, opts.metric), opts), space: explored.report };
};
