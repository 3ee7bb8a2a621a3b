import { createHash } from 'node:crypto';
import type { ModelDefinition } from '../models/model.js';
import { findModel, MODELS } from '../models/registry.js';
import { findKnob, parseKnobValue } from '../scenario/config.js';
import { formatDuration, parseDuration } from '../scenario/duration.js';
import { type FaultTemplate, parseFault, parseFaultTemplate, placeFault } from '../scenario/fault-dsl.js';
import { InputError } from '../scenario/input-error.js';
import { DEFAULT_UNTIL, resolveScenario } from '../scenario/run.js';
import { LIMITS, type ScenarioFile } from '../scenario/scenario.js';
import { RandomStreams } from '../sim/random.js';
import { msToUs } from '../sim/time.js';
import { findOnsetWindow, type OnsetWindow } from './onset.js';
import { type Axis, parseAxis, SIZE_KEYS } from './spec.js';

/**
 * A sweep's run plan: the cartesian product of the axes (the first `--vary` outermost) times
 * `runs` seeds per point. Run i is point ⌊i / runs⌋ with seed seedBase + (i mod runs). Every run
 * is a pure function of the plan and i, which is what makes any worker count, shard split or
 * resume produce the same bytes.
 */
export interface SweepRequest {
  /** Model, fixed `set`, fault templates, horizon, sizes, versions; `seed` is the first seed. */
  readonly base: ScenarioFile;
  /** `KEY=SPEC` texts. */
  readonly vary: readonly string[];
  readonly runs: number;
}

/** The first line of a sweep file: everything that decides its runs, and the plan's hash. */
export interface SweepHeader {
  readonly type: 'sweep';
  readonly format: typeof SWEEP_FORMAT;
  readonly model: string;
  readonly vary: readonly Axis[];
  readonly set: Readonly<Record<string, string>>;
  readonly faults: readonly string[];
  readonly runs: number;
  readonly seedBase: number;
  readonly until: string;
  readonly clients: number;
  readonly subscribers: number;
  readonly servers: number;
  readonly clientVersion: string | null;
  readonly serverVersion: string | null;
  readonly network: string | null;
  /** Where faults without @START begin: warmupMs + ⌊u · periodMs⌋, u from stream `fault.phase` of the run's seed. */
  readonly onset: OnsetWindow | null;
  readonly points: number;
  readonly total: number;
  readonly planHash: string;
  /** Only in a shard's file: `I/N`. */
  readonly shard?: string;
}

export const SWEEP_FORMAT = 'livesim-sweep/1' as const;
/** The stream a run's fault onsets are drawn from; it depends on the run's seed alone. */
export const ONSET_STREAM = 'fault.phase';
/** A sweep is refused above this many runs (a million runs is hours of CPU already). */
export const MAX_RUNS_TOTAL = 10_000_000;

export interface PlanPoint {
  readonly index: number;
  /** The varied settings of this point, canonical text, axis order. */
  readonly set: Readonly<Record<string, string>>;
  /** The point's scenario without seed and faults. */
  readonly input: ScenarioFile;
  /** Why Nacos would reject this combination, or null. */
  readonly illegal: string | null;
}

export interface Plan {
  readonly header: SweepHeader;
  readonly points: readonly PlanPoint[];
  readonly templates: readonly FaultTemplate[];
}

/** The work of one run, as sent to a worker: plain data. */
export interface RunTask {
  readonly i: number;
  readonly point: number;
  readonly seed: number;
  readonly set: Readonly<Record<string, string>>;
  readonly input: ScenarioFile;
}

/** An example --vary for the model's own keys: its first tunable and grid, or its first setting at its default. */
const varyExample = (model: ModelDefinition): string => {
  const t = model.analysis?.tuneSpace?.tunables[0];
  if (t !== undefined) return `--vary ${t.key}=${t.grid.join(',')}`;
  const k = model.knobs[0];
  return k === undefined ? '--vary KEY=VALUE,VALUE' : `--vary ${k.key}=${String(k.default)}`;
};

export const makePlan = (req: SweepRequest): Plan => {
  const model = findModel(req.base.model);
  if (model === undefined) throw new InputError(`unknown model '${req.base.model}' (accepted: ${MODELS.map((m) => m.id).join(', ')})`);
  if (!Number.isInteger(req.runs) || req.runs < 1) throw new InputError(`--runs '${req.runs}': expected a whole number ≥ 1`);
  if (req.vary.length === 0) throw new InputError(`--vary KEY=SPEC is required (e.g. ${varyExample(model)})`);
  const base = { ...req.base, set: {}, faults: [] };
  resolveScenario(base); // model, horizon, versions and sizes: bad ones are bad input for every point
  const fixed = canonicalSets(model, (req.base.set ?? {}) as Record<string, unknown>);
  const axes = req.vary.map((v) => parseAxis(model, v));
  checkAxes(axes, fixed);
  const templates = (req.base.faults ?? []).map(parseFaultTemplate);
  for (const t of templates) {
    if (!model.faultKinds.includes(t.kind)) throw new InputError(`fault '${t.kind}': ${model.id} does not model it (accepted: ${model.faultKinds.join(', ')})`);
    if (t.startUs === null) checkPlaceable(t);
  }
  const count = axes.reduce((n, a) => n * a.values.length, 1);
  if (count * req.runs > MAX_RUNS_TOTAL) throw new InputError(`the sweep has ${count} points × ${req.runs} runs, more than ${MAX_RUNS_TOTAL} runs`);
  const points = Array.from({ length: count }, (_, k) => makePoint(req.base, fixed, axes, k));
  const legal = points.filter((p) => p.illegal === null);
  if (legal.length === 0) throw new InputError(`every point of the sweep is illegal, e.g. point 0: ${points[0]?.illegal}`);
  const untilUs = parseDuration(req.base.until ?? DEFAULT_UNTIL, 'until');
  const onset = templates.some((t) => t.startUs === null) ? findOnsetWindow(legal) : null;
  const seedBase = req.base.seed ?? 1;
  if (seedBase + req.runs - 1 > LIMITS.maxSeed) throw new InputError(`seeds ${seedBase}..${seedBase + req.runs - 1} pass the largest seed ${LIMITS.maxSeed}`);
  const unhashed = {
    type: 'sweep' as const,
    format: SWEEP_FORMAT,
    model: model.id,
    vary: axes,
    set: fixed,
    faults: templates.map(templateText),
    runs: req.runs,
    seedBase,
    until: formatDuration(untilUs),
    clients: req.base.clients ?? 1,
    subscribers: req.base.subscribers ?? 1,
    servers: req.base.servers ?? 1,
    clientVersion: req.base.clientVersion ?? null,
    serverVersion: req.base.serverVersion ?? null,
    network: req.base.network ?? null,
    onset,
    points: count,
    total: count * req.runs,
  };
  const planHash = createHash('sha256').update(JSON.stringify(unhashed)).digest('hex').slice(0, 32);
  return { header: { ...unhashed, planHash }, points, templates };
};

const canonicalSets = (model: ModelDefinition, sets: Readonly<Record<string, unknown>>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(sets)) {
    const knob = findKnob(model, key);
    if (knob === undefined) throw new InputError(`--set ${key}: unknown setting for ${model.id} ('livesim models' lists every key)`);
    const v = parseKnobValue(knob, raw as string);
    out[knob.key] = knob.type === 'duration' && typeof v === 'number' ? formatDuration(Math.round(v * 1000)) : String(v);
  }
  return out;
};

const checkAxes = (axes: readonly Axis[], fixed: Readonly<Record<string, string>>): void => {
  const seen = new Set<string>();
  for (const a of axes) {
    if (seen.has(a.key)) throw new InputError(`--vary ${a.key} is given twice: list every value in one SPEC`);
    if (a.key in fixed) throw new InputError(`${a.key} is both --set and --vary: keep one`);
    seen.add(a.key);
  }
};

/** The varied values of point k: axis 0 outermost (mixed radix). */
export const pointSet = (axes: readonly Axis[], k: number): Record<string, string> => {
  const set: Record<string, string> = {};
  let rest = k;
  for (let a = axes.length - 1; a >= 0; a--) {
    const axis = axes[a] as Axis;
    set[axis.key] = axis.values[rest % axis.values.length] as string;
    rest = Math.floor(rest / axis.values.length);
  }
  // Axis order, not the reverse order the loop filled it in.
  return Object.fromEntries(axes.map((a) => [a.key, set[a.key] as string]));
};

const makePoint = (base: ScenarioFile, fixed: Readonly<Record<string, string>>, axes: readonly Axis[], k: number): PlanPoint => {
  const set = pointSet(axes, k);
  const input: Record<string, unknown> = { ...base, set: { ...fixed }, faults: [] };
  delete input.seed;
  for (const [key, value] of Object.entries(set)) {
    if (key in SIZE_KEYS) input[key] = Number(value);
    else (input.set as Record<string, string>)[key] = value;
  }
  let illegal: string | null = null;
  try {
    resolveScenario(input as ScenarioFile);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    illegal = e.message;
  }
  return { index: k, set, input: input as ScenarioFile, illegal };
};

/** A template without @START must still make a fault `run` accepts once placed (a pause needs an end, which needs a start). */
const checkPlaceable = (t: FaultTemplate): void => {
  try {
    parseFault(placeFault(t, 1_000_000).text);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(`fault '${templateText(t)}' without @START: ${e.message.replace(/^fault '[^']*': /, '')}`);
  }
};

const templateText = (t: FaultTemplate): string => (t.startUs === null ? placeFault(t, 0).text.replace(/@0s$/, '') : placeFault(t, t.startUs).text);

/** The run seed and point of run i. */
export const runAt = (header: SweepHeader, i: number): { point: number; seed: number } => ({
  point: Math.floor(i / header.runs),
  seed: header.seedBase + (i % header.runs),
});

/** Onsets of the faults without @START for one seed: the same at every point (common random numbers). */
export const drawOnsetsMs = (header: SweepHeader, templates: readonly FaultTemplate[], seed: number): number[] => {
  const w = header.onset;
  if (w === null) return [];
  const stream = new RandomStreams(seed).get(ONSET_STREAM);
  return templates.filter((t) => t.startUs === null).map(() => w.warmupMs + Math.floor(stream.next() * w.periodMs));
};

export const taskAt = (plan: Plan, i: number): RunTask | { readonly i: number; readonly illegalLine: string } => {
  const { point, seed } = runAt(plan.header, i);
  const p = plan.points[point];
  if (p === undefined) throw new Error(`run ${i} is outside the plan`);
  if (p.illegal !== null) return { i, illegalLine: JSON.stringify({ type: 'run', i, point, seed, set: p.set, illegal: p.illegal }) };
  const onsets = drawOnsetsMs(plan.header, plan.templates, seed);
  let next = 0;
  const faults = plan.templates.map((t) => placeFault(t, t.startUs ?? msToUs(onsets[next++] as number)).text);
  return { i, point, seed, set: p.set, input: { ...p.input, seed, faults } };
};
