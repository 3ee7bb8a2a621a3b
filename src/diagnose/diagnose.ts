import type { Expectation } from '../analysis/bounds.js';
import { findModel } from '../models/registry.js';
import { replayCommand } from '../scenario/replay.js';
import { resolveScenario, runScenario } from '../scenario/run.js';
import type { ScenarioFile } from '../scenario/scenario.js';
import { type Cause, SLOW_REMOVAL_MS, type Symptom, shows } from './cause.js';
import { type Answered, answerRemoval, type RemovalAnswer } from './removal.js';

export interface Outcome {
  /** The analytic window for removal after the fault, when the model has one. */
  readonly bound: Expectation | null;
  readonly detectionMs: number | null;
  readonly staleMs: number | null;
  readonly falseRemovals: number;
  readonly replay: string;
  /** The horizon the run had. */
  readonly until: string;
}

export interface CauseFinding {
  readonly id: string;
  readonly title: string;
  readonly explanation: string;
  readonly source: string;
  /** The symptom appears when this cause is laid over the user's settings. */
  readonly reproduces: boolean;
  /** The user's own settings already contain the cause. */
  readonly inYourSettings: boolean;
  readonly detectionMs: number | null;
  readonly staleMs: number | null;
  readonly replay: string;
  readonly until: string;
  /** A release this cause runs in that is not the user's, and why (diagnose says when it changes a version you gave). */
  readonly versions: string | null;
  readonly remedy: { readonly change: string; readonly fixes: boolean; readonly versions: string | null } & Omit<Outcome, 'falseRemovals' | 'bound'>;
}

export interface Diagnosis {
  readonly model: string;
  readonly symptom: Symptom;
  /** Removal later than this (ms after the fault) counts as slow: the plain-cut window's upper end. */
  readonly slowAfterMs: number;
  /** The user's settings with a plain cut at 60 s: the baseline every cause is compared with. */
  readonly baseline: Outcome;
  /** When the server removes the instance under the user's settings and fault, and by which mechanism. */
  readonly removal: RemovalAnswer;
  /** The run behind `removal` (not part of the JSON). */
  readonly answered?: Answered;
  readonly causes: readonly CauseFinding[];
}

const outcome = (input: ScenarioFile, slowAfterMs?: number): Outcome & { shown: (s: Symptom) => boolean } => {
  const sc = resolveScenario(input);
  const { result } = runScenario(sc, { trace: 'followed' });
  return {
    bound: result.bounds?.removedFromFault ?? null,
    detectionMs: result.metrics.detectionMs,
    staleMs: result.metrics.staleMs,
    falseRemovals: result.metrics.falseRemovals,
    replay: replayCommand(sc),
    until: result.until,
    shown: (s) => shows(s, result, slowAfterMs),
  };
};

/** The releases a scenario runs that differ from the user's (with the model's defaults filled in). */
const versionsChanged = (user: ScenarioFile, s: ScenarioFile, why: string, whose = 'your'): string | null => {
  const u = resolveScenario(user);
  const c = resolveScenario(s);
  const out: string[] = [];
  const v = (x: readonly number[]): string => x.join('.');
  if (v(u.serverVersion) !== v(c.serverVersion)) out.push(`server ${v(c.serverVersion)} instead of ${whose} ${v(u.serverVersion)}`);
  if (v(u.clientVersion) !== v(c.clientVersion)) out.push(`client ${v(c.clientVersion)} instead of ${whose} ${v(u.clientVersion)}`);
  return out.length === 0 ? null : `runs with ${out.join(' and ')}: ${why}`;
};

const finding = (cause: Cause, user: ScenarioFile, symptom: Symptom, cured: ScenarioFile, slowAfterMs: number): CauseFinding => {
  // A cause already in the user's settings is judged on them; a hypothesis on the user's
  // settings with the present causes cured, so that it stands or falls on its own.
  const present = cause.presentIn(user);
  const scenario = cause.scenario(present ? user : cured);
  const seen = outcome(scenario, slowAfterMs);
  const fixed = outcome(cause.remedy.apply(scenario), slowAfterMs);
  return {
    id: cause.id,
    title: cause.title,
    explanation: cause.explanation,
    source: cause.source,
    reproduces: seen.shown(symptom),
    inYourSettings: present,
    detectionMs: seen.detectionMs,
    staleMs: seen.staleMs,
    replay: seen.replay,
    until: seen.until,
    versions: versionsChanged(
      user,
      scenario,
      !present && versionsChanged(cured, scenario, '') === null
        ? 'the causes already in your settings are cured first (their remedies), so that this one stands on its own'
        : 'the release this cause lives in',
    ),
    remedy: {
      change: cause.remedy.change,
      fixes: !fixed.shown(symptom),
      versions: versionsChanged(
        scenario,
        cause.remedy.apply(scenario),
        'the release the remedy names',
        versionsChanged(user, scenario, '') === null ? 'your' : "the cause's",
      ),
      detectionMs: fixed.detectionMs,
      staleMs: fixed.staleMs,
      replay: fixed.replay,
      until: fixed.until,
    },
  };
};

/** Ranks reproducing causes first, those already in the user's settings before hypotheses. */
const rank = (f: CauseFinding): number => (f.reproduces ? 0 : 2) + (f.inYourSettings ? 0 : 1);

/**
 * Runs every cause the model knows under the user's settings and reports which reproduce the
 * symptom, how long detection and staleness take, and what the remedy changes.
 */
export const diagnose = (user: ScenarioFile, symptom: Symptom): Diagnosis => {
  const { shown: _s, ...baseline } = outcome({ ...user, faults: user.faults ?? ['cut@60s'] });
  const answered = answerRemoval({ ...user, faults: user.faults ?? ['cut@60s'] }, { extend: user.until === undefined });
  const removal = answered.answer;
  // "Slow" is judged against what the user's own settings promise for a plain cut.
  const slowAfterMs = baseline.bound?.kind === 'within' ? baseline.bound.interval.upperMs : (baseline.detectionMs ?? SLOW_REMOVAL_MS);
  // The model's own causes (its `analysis.causes`); those that cannot run on the user's setup are not tried.
  const known = (findModel(user.model)?.analysis?.causes ?? []).filter((c) => c.model === user.model && (c.appliesTo?.(user) ?? true));
  const cured = known.filter((c) => c.presentIn(user)).reduce((s, c) => c.remedy.apply(s), user);
  const causes = known
    .filter((c) => c.symptoms.includes(symptom))
    .map((c) => finding(c, user, symptom, cured, slowAfterMs))
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
  return { model: user.model, symptom, slowAfterMs, baseline, removal, causes, answered };
};
