import { availableParallelism } from 'node:os';
import { findModel, MODELS } from '../models/registry.js';
import { formatVersion } from '../models/version.js';
import { InputError } from '../scenario/input-error.js';
import { resolveScenario } from '../scenario/run.js';
import type { ScenarioFile } from '../scenario/scenario.js';
import type { OnsetWindow } from '../sweep/onset.js';
import { makePlan, type Plan } from '../sweep/plan.js';
import { buildSearchSpace, defaultsPoint, defaultValues, type FixedTunable, type SearchAxis } from './axes.js';
import { evaluatePoints, type PointResult } from './evaluate.js';
import { bySpeed, type Candidate, type Choice, choose, paretoFront, wilsonUpper95 } from './rank.js';
import { findTuneSpace, tuneSpaces } from './spaces.js';
import type { TuneTargets } from './targets.js';

/**
 * `livesim tune`: which settings meet a detection target and a false-removal target with the
 * smallest server load. Two sweep plans over the same grid (src/sweep: same run lines, same
 * common-random-number fault onsets, same worker pool):
 *
 * 1. under the fault, every legal point: the p99 of the chosen detection time;
 * 2. fault-free, for the points that meet the detection target (plus the defaults and the
 *    fastest few, for comparison): the share of runs that removed a live instance, and the load.
 *
 * Then the cheapest point that meets both is recommended; the others that meet both are the
 * runners-up; the trade-off is the Pareto front of (p99, false-removal rate, load).
 */
export interface TuneOptions {
  /** Model, fixed `set`, fault templates (default: the space's fault), network, horizon, sizes, versions, first seed. */
  readonly base: ScenarioFile;
  readonly targets: TuneTargets;
  readonly runs: number;
  /** Default: the machine's cores. */
  readonly workers?: number;
  /** `KEY=SPEC` grids replacing the default ones. */
  readonly space?: readonly string[];
  /** Runners-up listed (default 5). */
  readonly top?: number;
  readonly onStage?: (stage: TuneStage) => void;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface TuneStage {
  readonly name: 'detection' | 'false-removals';
  readonly points: number;
  readonly runs: number;
}

export interface TuneResult {
  readonly model: string;
  readonly clientVersion: string;
  readonly serverVersion: string;
  readonly faults: readonly string[];
  readonly onset: OnsetWindow | null;
  readonly network: string | null;
  readonly until: string;
  readonly runs: number;
  readonly seedBase: number;
  readonly targets: TuneTargets;
  readonly axes: readonly SearchAxis[];
  readonly fixed: readonly FixedTunable[];
  readonly points: { readonly total: number; readonly legal: number; readonly illegal: number; readonly measuredFaultFree: number };
  /** Why Nacos rejects the first illegal combination, if any. */
  readonly illegalExample: string | null;
  readonly verdict: 'met' | 'none';
  readonly feasible: number;
  readonly recommendation: Candidate | null;
  readonly runnersUp: readonly Candidate[];
  readonly nearest: Choice['nearest'];
  /** The point with the model's defaults on every searched key, if the grids hold it. */
  readonly defaults: Candidate | null;
  readonly pareto: readonly Candidate[];
  /** Every legal point, in plan order. */
  readonly candidates: readonly Candidate[];
}

/** Points measured fault-free although they miss the detection target: the fastest few, to show what accuracy costs. */
const FASTEST_EXTRA = 3;
export const DEFAULT_TUNE_RUNS = 30;
export const DEFAULT_RUNNERS_UP = 5;

export const runTune = async (opts: TuneOptions): Promise<TuneResult> => {
  const model = findModel(opts.base.model);
  if (model === undefined) throw new InputError(`unknown model '${opts.base.model}' (accepted: ${MODELS.map((m) => m.id).join(', ')})`);
  const space = findTuneSpace(model.id);
  if (space === undefined)
    throw new InputError(
      `tune: no search space for ${model.id} yet (accepted: ${tuneSpaces()
        .map((s) => s.model)
        .join(', ')})`,
    );
  const { targets } = opts;
  if (!space.detections.includes(targets.detection))
    throw new InputError(`--detection ${targets.detection}: ${model.id} does not record it (accepted: ${space.detections.join(', ')})`);
  const workers = opts.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) throw new InputError(`--workers '${workers}': expected a whole number ≥ 1`);
  const top = opts.top ?? DEFAULT_RUNNERS_UP;
  if (!Number.isInteger(top) || top < 0 || top > 1000) throw new InputError(`--top '${top}': expected a whole number from 0 to 1000`);
  const probe = resolveScenario({ ...opts.base, faults: [] });
  if (targets.detection === 'subscriber' && probe.subscribers === 0)
    throw new InputError('--detection subscriber needs at least one subscriber (--subscribers N)');
  const search = buildSearchSpace({
    model,
    space,
    setKeys: Object.keys(opts.base.set ?? {}),
    overrides: opts.space ?? [],
    versions: {
      client: probe.clientVersion,
      server: probe.serverVersion,
      clientText: formatVersion(probe.clientVersion),
      serverText: formatVersion(probe.serverVersion),
    },
  });
  const faults = opts.base.faults !== undefined && opts.base.faults.length > 0 ? opts.base.faults : [space.defaultFault];
  const faultPlan = makePlan({ base: { ...opts.base, faults }, vary: search.vary, runs: opts.runs });
  const legal = faultPlan.points.filter((p) => p.illegal === null).map((p) => p.index);
  opts.onStage?.({ name: 'detection', points: legal.length, runs: legal.length * opts.runs });
  const detection = await evaluatePoints(faultPlan, legal, { workers, detection: targets.detection, onProgress: opts.onProgress });

  const fast = (p: number): boolean => meets((detection.get(p) as PointResult).detectionMs.p99, targets.detectionMs);
  const defaultsAt = defaultsPoint(model, search.axes);
  const defaults = defaultValues(model, search.axes);
  const partial = (p: number): Candidate => candidate(faultPlan, p, detection.get(p) as PointResult, undefined, targets, defaults);
  const fastest = [...legal].sort((a, b) => bySpeed(targets.load)(partial(a), partial(b)));
  const steadyPoints = new Set([...legal.filter(fast), ...fastest.slice(0, FASTEST_EXTRA)]);
  if (defaultsAt !== null && faultPlan.points[defaultsAt]?.illegal === null) steadyPoints.add(defaultsAt);
  const steadyPlan = makePlan({ base: { ...opts.base, faults: [] }, vary: search.vary, runs: opts.runs });
  opts.onStage?.({ name: 'false-removals', points: steadyPoints.size, runs: steadyPoints.size * opts.runs });
  const steady = await evaluatePoints(steadyPlan, [...steadyPoints], { workers, detection: targets.detection, onProgress: opts.onProgress });

  const candidates = legal.map((p) => candidate(faultPlan, p, detection.get(p) as PointResult, steady.get(p), targets, defaults));
  const choice = choose(candidates, targets, top);
  const h = faultPlan.header;
  return {
    model: model.id,
    clientVersion: formatVersion(probe.clientVersion),
    serverVersion: formatVersion(probe.serverVersion),
    faults: h.faults,
    onset: h.onset,
    network: h.network,
    until: h.until,
    runs: h.runs,
    seedBase: h.seedBase,
    targets,
    axes: search.axes,
    fixed: search.fixed,
    points: { total: h.points, legal: legal.length, illegal: h.points - legal.length, measuredFaultFree: steadyPoints.size },
    illegalExample: faultPlan.points.find((p) => p.illegal !== null)?.illegal ?? null,
    verdict: choice.recommendation === null ? 'none' : 'met',
    feasible: choice.feasible,
    recommendation: choice.recommendation,
    runnersUp: choice.runnersUp,
    nearest: choice.nearest,
    defaults: candidates.find((c) => c.point === defaultsAt) ?? null,
    pareto: paretoFront(candidates, targets.load),
    candidates,
  };
};

const meets = (p99: number | null, targetMs: number): boolean => p99 !== null && p99 <= targetMs;

const candidate = (
  plan: Plan,
  point: number,
  fault: PointResult,
  steady: PointResult | undefined,
  targets: TuneTargets,
  defaults: Readonly<Record<string, string | null>>,
): Candidate => {
  const n = steady?.summary.runs ?? 0;
  const rate = steady === undefined || n === 0 ? null : steady.summary.falseRemovalRate;
  const set = (plan.points[point] as Plan['points'][number]).set;
  return {
    point,
    set,
    changes: Object.entries(set).filter(([k, v]) => defaults[k] !== v).length,
    detectionMs: fault.detectionMs,
    steadyRuns: n,
    falseRemovalRuns: steady?.falseRemovalRuns ?? 0,
    falseRemovalRate: rate,
    falseRemovalUpper95: steady === undefined ? null : wilsonUpper95(steady.falseRemovalRuns, n),
    messagesPerSec: steady?.summary.messagesPerSec ?? null,
    datagramsPerSec: steady?.summary.datagramsPerSec ?? null,
    meetsDetection: meets(fault.detectionMs.p99, targets.detectionMs),
    meetsFalseRemoval: rate === null ? null : rate <= targets.maxFalseRemovalRate,
    slowestReplay: fault.slowestReplay,
    falseRemovalReplay: steady?.falseRemovalReplay ?? null,
  };
};
