import { findModel } from '../models/registry.js';
import { formatVersion } from '../models/version.js';
import { resolveScenario, type Scenario } from '../scenario/run.js';
import type { ScenarioFile } from '../scenario/scenario.js';
import type { RunTask } from '../sweep/plan.js';
import { execute } from '../sweep/pool.js';
import type { Remedy } from './remedy.js';
import { type Answered, answerRemoval } from './removal.js';

/**
 * Every remedy the model knows, simulated in the user's release with the user's settings: on the
 * user's fault (detection, consumer staleness, when the client notices) and, fault-free, on a
 * lossy network over several seeds (how often it removes a live instance).
 */
/** Every model's remedies (its `analysis.remedies`), in the registry's order. */
export const remediesOf = (model: string): readonly Remedy[] => (findModel(model)?.analysis?.remedies ?? []).filter((r) => r.model === model);

/** The lossy network the false-removal rate is measured on, and how much of it. */
export interface LossyPlan {
  readonly network: string;
  readonly seeds: readonly number[];
  readonly until: string;
  /** `until` in hours. */
  readonly hours: number;
}

export const LOSSY: LossyPlan = { network: 'lossy-wifi', seeds: [1, 2, 3], until: '20m', hours: 1 / 3 };

export interface RemedyOutcome {
  readonly id: string;
  readonly change: string;
  readonly label: string;
  readonly source: string;
  readonly note: string | null;
  /** Why the user's releases do not allow it (then nothing else is set). */
  readonly unavailable: string | null;
  /** A release it changes, said when it does: "server 2.2.3 → 2.3.0". */
  readonly versions: string | null;
  readonly detectionMs: number | null;
  readonly staleMs: number | null;
  readonly clientNoticesMs: number | null;
  readonly because: string | null;
  readonly never: string | null;
  readonly horizonNote: string | null;
  /** Removals of a live instance on the lossy network, all seeds together, and per instance-hour. */
  readonly falseRemovals: number;
  readonly falseRemovalsPerHour: number;
  readonly replay: string;
}

export interface RemedyReport {
  readonly lossy: { readonly network: string; readonly seeds: number; readonly hoursPerSeed: number };
  /** The user's settings unchanged, for comparison. */
  readonly yours: RemedyOutcome;
  /** Ranked: removes without false removals (soonest first), then removes with them, then does not remove. */
  readonly remedies: readonly RemedyOutcome[];
}

const withoutNet = (u: ScenarioFile): ScenarioFile => {
  const s = Object.fromEntries(Object.entries(u.set ?? {}).filter(([k]) => k !== 'net.latency' && k !== 'net.loss'));
  return { ...u, set: s };
};

const versionChange = (user: Scenario, sc: Scenario): string | null => {
  const out: string[] = [];
  if (formatVersion(user.serverVersion) !== formatVersion(sc.serverVersion))
    out.push(`server ${formatVersion(user.serverVersion)} → ${formatVersion(sc.serverVersion)}`);
  if (formatVersion(user.clientVersion) !== formatVersion(sc.clientVersion))
    out.push(`client ${formatVersion(user.clientVersion)} → ${formatVersion(sc.clientVersion)}`);
  return out.length === 0 ? null : out.join(', ');
};

interface Pending {
  readonly outcome: Omit<RemedyOutcome, 'falseRemovals' | 'falseRemovalsPerHour'>;
  readonly lossy: ScenarioFile | null;
}

interface What {
  readonly id: string;
  readonly change: string;
  readonly label: string;
  readonly source: string;
  readonly note: string | null;
}

const evaluate = (what: What, user: Scenario, input: ScenarioFile, faulted: ScenarioFile, lossy: LossyPlan, known?: Answered): Pending => {
  const { answer, scenario } = known ?? answerRemoval(faulted, { extend: input.until === undefined });
  const noticed = answer.faultAtMs === null || answer.clientNoticedAtMs === null ? null : answer.clientNoticedAtMs - answer.faultAtMs;
  return {
    outcome: {
      ...what,
      unavailable: null,
      versions: versionChange(user, scenario),
      detectionMs: answer.detectionMs,
      staleMs: answer.staleMs,
      clientNoticesMs: noticed,
      because: answer.because,
      never: answer.never,
      horizonNote: answer.horizonNote,
      replay: answer.replay,
    },
    lossy: { ...withoutNet(input), network: lossy.network, faults: [], until: lossy.until },
  };
};

const rank = (o: RemedyOutcome): [number, number, number] => {
  if (o.unavailable !== null) return [4, 0, 0];
  if (o.detectionMs === null) return [3, 0, 0];
  return [o.falseRemovals > 0 ? 1 : 0, o.falseRemovalsPerHour, o.detectionMs];
};

export interface RemedyOptions {
  readonly workers: number;
  readonly lossy?: LossyPlan;
  /** The user's own answer when the caller has it already (diagnose's): not simulated twice. */
  readonly yours?: Answered;
}

export const diagnoseRemedies = async (user: ScenarioFile, opts: RemedyOptions): Promise<RemedyReport> => {
  const lossy = opts.lossy ?? LOSSY;
  const base = resolveScenario(user);
  const faults = user.faults ?? ['cut@60s'];
  const known = remediesOf(base.model.id);
  const pending: Pending[] = [
    evaluate({ id: 'yours', change: 'your settings', label: 'your settings', source: '', note: null }, base, user, { ...user, faults }, lossy, opts.yours),
  ];
  for (const r of known) {
    const why = r.unavailable(base);
    if (why !== null) {
      pending.push({
        outcome: {
          id: r.id,
          change: r.change,
          label: r.label,
          source: r.source,
          note: r.note?.(base) ?? null,
          unavailable: why,
          versions: null,
          detectionMs: null,
          staleMs: null,
          clientNoticesMs: null,
          because: null,
          never: null,
          horizonNote: null,
          replay: '',
        },
        lossy: null,
      });
      continue;
    }
    const changed = r.apply(user);
    pending.push(
      evaluate({ id: r.id, change: r.change, label: r.label, source: r.source, note: r.note?.(base) ?? null }, base, changed, { ...changed, faults }, lossy),
    );
  }
  // The fault-free lossy runs, all remedies and seeds, on the worker pool.
  const tasks: RunTask[] = [];
  pending.forEach((p, k) => {
    if (p.lossy === null) return;
    for (const seed of lossy.seeds) tasks.push({ i: tasks.length, point: k, seed, set: {}, input: { ...p.lossy, seed } });
  });
  const false_ = new Map<number, number>();
  await execute(
    { count: tasks.length, item: (k) => tasks[k] as RunTask },
    {
      workers: opts.workers,
      onLine: (line) => {
        const j = JSON.parse(line) as { point: number; metrics: { falseRemovals: number } };
        false_.set(j.point, (false_.get(j.point) ?? 0) + j.metrics.falseRemovals);
      },
    },
  );
  const hours = lossy.seeds.length * lossy.hours;
  const outcomes = pending.map((p, k): RemedyOutcome => {
    const n = false_.get(k) ?? 0;
    return { ...p.outcome, falseRemovals: n, falseRemovalsPerHour: p.lossy === null ? 0 : n / hours };
  });
  const [yours, ...rest] = outcomes as [RemedyOutcome, ...RemedyOutcome[]];
  const ranked = rest
    .map((o, i) => ({ o, i, r: rank(o) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.r[2] - b.r[2] || a.i - b.i)
    .map(({ o }) => o);
  return { lossy: { network: lossy.network, seeds: lossy.seeds.length, hoursPerSeed: lossy.hours }, yours, remedies: ranked };
};
