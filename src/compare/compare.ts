import type { Expectation } from '../analysis/bounds.js';
import { type Distribution, distribution } from '../analysis/distribution.js';
import type { RunMetrics } from '../analysis/metrics.js';
import type { ModelDefinition } from '../models/model.js';
import { findModel, MODELS } from '../models/registry.js';
import { parseFault } from '../scenario/fault-dsl.js';
import { InputError } from '../scenario/input-error.js';
import { replayCommand } from '../scenario/replay.js';
import { type RunResult, resolveScenario, runScenario } from '../scenario/run.js';
import type { ScenarioFile } from '../scenario/scenario.js';
import type { TraceEvent } from '../sim/trace.js';

/**
 * `livesim compare`: one scenario — faults, network, clients, subscribers, horizon, seeds — run
 * on several registries at their defaults, side by side. Nothing here names a model: the rows are
 * the registry (src/models/registry.ts) in its order, each model's settings its own defaults, its
 * analytic windows what the model states (`RunResult.bounds`). A setting applies to every model
 * that has its key (`net.latency`); `MODEL:KEY=VALUE` to one model only.
 */
export interface CompareOptions {
  /** The scenario; its `model` is ignored. */
  readonly base: ScenarioFile;
  /** Model ids, in the order wanted (default: every registered model). */
  readonly models?: readonly string[];
  /** Seeds per model, from the scenario's seed up (default 3). */
  readonly runs?: number;
}

export const DEFAULT_COMPARE_RUNS = 3;
export const MAX_COMPARE_RUNS = 1000;

/** An analytic window as a model states it: within (lower, upper], never, or none. */
export type Window = Expectation | null;

export interface CompareRow {
  readonly model: string;
  readonly title: string;
  /** Why the model did not run this scenario (a fault it does not model, a setting it rejects); null when it ran. */
  readonly skipped: string | null;
  readonly runs: number;
  /** Fault → the registry removes c1's instance, over the runs (ms; null: never within the horizon). */
  readonly detectionMs: Distribution | null;
  /** Fault → the last consumer stops listing it. */
  readonly staleMs: Distribution | null;
  /** Runs in which some consumer did not list c1 yet when the fault began (its staleness is then 0). */
  readonly unlistedAtFault: number;
  /** Share of runs in which a live, reachable instance was removed. */
  readonly falseRemovalRate: number | null;
  /** Protocol messages and datagrams per simulated second, mean over the runs. */
  readonly messagesPerSec: number | null;
  readonly datagramsPerSec: number | null;
  readonly detectionWindow: Window;
  readonly staleWindow: Window;
  /** Replays the first run. */
  readonly replay: string | null;
}

export interface CompareReport {
  readonly faults: readonly string[];
  readonly network: string;
  readonly clients: number;
  readonly subscribers: number;
  readonly until: string;
  readonly seeds: readonly number[];
  readonly rows: readonly CompareRow[];
}

const MODEL_PREFIX = /^([a-z0-9-]+):(.+)$/;

/** The settings that reach one model: unprefixed keys it knows, and its own `MODEL:KEY`. */
const settingsFor = (model: ModelDefinition, set: Readonly<Record<string, string | number | boolean>>): Record<string, string | number | boolean> => {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(set)) {
    const m = MODEL_PREFIX.exec(key);
    if (m !== null && findModel(m[1] as string) !== undefined) {
      if (m[1] === model.id) out[m[2] as string] = value;
    } else if (model.knobs.some((k) => k.key === key || (k.aliases ?? []).includes(key))) out[key] = value;
  }
  return out;
};

const checkSettings = (set: Readonly<Record<string, unknown>>, models: readonly ModelDefinition[]): void => {
  for (const key of Object.keys(set)) {
    const m = MODEL_PREFIX.exec(key);
    if (m !== null && findModel(m[1] as string) !== undefined) continue;
    if (!models.some((model) => model.knobs.some((k) => k.key === key || (k.aliases ?? []).includes(key))))
      throw new InputError(`--set ${key}: no compared model has this setting (give MODEL:KEY=VALUE for one model; 'livesim models' lists the keys)`);
  }
};

const messagesPerSec = (m: RunMetrics, seconds: number): number => {
  let n = 0;
  for (const [kind, count] of Object.entries(m.messages)) if (kind !== 'datagrams') n += count;
  return seconds > 0 ? n / seconds : 0;
};

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000);

/** Did every consumer's usable view list c1 just before the fault? (`view.update` lines of the followed trace.) */
const listedAtFault = (trace: readonly TraceEvent[], faultAtMs: number | null): boolean => {
  if (faultAtMs === null) return true;
  const last = new Map<string, boolean>();
  for (const e of trace) {
    if (e.t >= faultAtMs * 1000) break;
    if (e.kind === 'view.update')
      last.set(
        e.host,
        String(e.data?.instances ?? '')
          .split(',')
          .includes('c1'),
      );
  }
  return [...last.values()].every(Boolean) && last.size > 0;
};

const skippedRow = (model: ModelDefinition, why: string): CompareRow => ({
  model: model.id,
  title: model.title,
  skipped: why,
  runs: 0,
  detectionMs: null,
  staleMs: null,
  unlistedAtFault: 0,
  falseRemovalRate: null,
  messagesPerSec: null,
  datagramsPerSec: null,
  detectionWindow: null,
  staleWindow: null,
  replay: null,
});

const compareModel = (model: ModelDefinition, base: ScenarioFile, seeds: readonly number[]): CompareRow => {
  const input: ScenarioFile = { ...base, model: model.id, set: settingsFor(model, base.set ?? {}) };
  const unknownFault = (base.faults ?? []).map(parseFault).find((f) => !model.faultKinds.includes(f.kind));
  if (unknownFault !== undefined) return skippedRow(model, `does not model ${unknownFault.kind} faults (${unknownFault.text})`);
  const results: RunResult[] = [];
  let unlisted = 0;
  let replay: string | null = null;
  for (const seed of seeds) {
    let sc: ReturnType<typeof resolveScenario>;
    try {
      sc = resolveScenario({ ...input, seed });
    } catch (e) {
      if (e instanceof InputError) return skippedRow(model, e.message);
      throw e;
    }
    replay ??= replayCommand(sc);
    const { result, trace } = runScenario(sc, { trace: 'followed' });
    results.push(result);
    if (!listedAtFault(trace, result.metrics.faultAtMs)) unlisted++;
  }
  const first = results[0];
  const seconds = (r: RunResult): number => r.stop.atMs / 1000;
  return {
    model: model.id,
    title: model.title,
    skipped: null,
    runs: results.length,
    detectionMs: distribution(results.map((r) => r.metrics.detectionMs)),
    staleMs: distribution(results.map((r) => r.metrics.staleMs)),
    unlistedAtFault: unlisted,
    falseRemovalRate: results.length === 0 ? null : results.filter((r) => r.metrics.falseRemovals > 0).length / results.length,
    messagesPerSec: mean(results.map((r) => messagesPerSec(r.metrics, seconds(r)))),
    datagramsPerSec: mean(results.map((r) => (seconds(r) > 0 ? (r.metrics.messages.datagrams ?? 0) / seconds(r) : 0))),
    detectionWindow: first?.bounds?.removedFromFault ?? null,
    staleWindow: first?.bounds?.staleFromFault ?? null,
    replay,
  };
};

export const compareRegistries = (opts: CompareOptions): CompareReport => {
  const ids = opts.models ?? MODELS.map((m) => m.id);
  const models = ids.map((id) => {
    const m = findModel(id);
    if (m === undefined) throw new InputError(`--models: unknown model '${id}' (accepted: ${MODELS.map((x) => x.id).join(', ')})`);
    return m;
  });
  if (models.length === 0) throw new InputError('--models: name at least one model');
  const runs = opts.runs ?? DEFAULT_COMPARE_RUNS;
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_COMPARE_RUNS)
    throw new InputError(`--runs ${runs}: expected a whole number from 1 to ${MAX_COMPARE_RUNS}`);
  checkSettings(opts.base.set ?? {}, models);
  const first = opts.base.seed ?? 1;
  const seeds = Array.from({ length: runs }, (_, i) => first + i);
  const rows = models.map((m) => compareModel(m, opts.base, seeds));
  return {
    faults: opts.base.faults ?? [],
    network: opts.base.network ?? 'lan',
    clients: opts.base.clients ?? 1,
    subscribers: opts.base.subscribers ?? 1,
    until: String(opts.base.until ?? '10m'),
    seeds,
    rows,
  };
};
