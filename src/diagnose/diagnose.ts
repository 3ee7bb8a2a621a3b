import type { Expectation } from '../analysis/bounds.js';
import { replayCommand } from '../scenario/replay.js';
import { resolveScenario, runScenario } from '../scenario/run.js';
import type { ScenarioFile } from '../scenario/scenario.js';
import { CAUSES } from './catalogue.js';
import { type Cause, SLOW_REMOVAL_MS, type Symptom, shows } from './cause.js';

export interface Outcome {
  /** The analytic window for removal after the fault, when the model has one. */
  readonly bound: Expectation | null;
  readonly detectionMs: number | null;
  readonly staleMs: number | null;
  readonly falseRemovals: number;
  readonly replay: string;
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
  readonly remedy: { readonly change: string; readonly fixes: boolean } & Omit<Outcome, 'falseRemovals' | 'bound'>;
}

export interface Diagnosis {
  readonly model: string;
  readonly symptom: Symptom;
  /** Removal later than this (ms after the fault) counts as slow: the plain-cut window's upper end. */
  readonly slowAfterMs: number;
  /** The user's settings with a plain cut at 60 s: the baseline every cause is compared with. */
  readonly baseline: Outcome;
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
    shown: (s) => shows(s, result, slowAfterMs),
  };
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
    remedy: { change: cause.remedy.change, fixes: !fixed.shown(symptom), detectionMs: fixed.detectionMs, staleMs: fixed.staleMs, replay: fixed.replay },
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
  // "Slow" is judged against what the user's own settings promise for a plain cut.
  const slowAfterMs = baseline.bound?.kind === 'within' ? baseline.bound.interval.upperMs : (baseline.detectionMs ?? SLOW_REMOVAL_MS);
  const known = CAUSES.filter((c) => c.model === user.model);
  const cured = known.filter((c) => c.presentIn(user)).reduce((s, c) => c.remedy.apply(s), user);
  const causes = known
    .filter((c) => c.symptoms.includes(symptom))
    .map((c) => finding(c, user, symptom, cured, slowAfterMs))
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
  return { model: user.model, symptom, slowAfterMs, baseline, causes };
};
