import type { RunResult } from '../scenario/run.js';
import type { ScenarioFile } from '../scenario/scenario.js';

/** What the operator sees. */
export type Symptom = 'never-removed' | 'slow-removal' | 'false-removal' | 'consumers-still-call';
export const SYMPTOMS: readonly Symptom[] = ['never-removed', 'slow-removal', 'false-removal', 'consumers-still-call'];

/**
 * Removal later than this after the fault counts as slow when the user's settings give no finite
 * analytic window for a plain cut; otherwise "slow" means later than that window's upper end.
 */
export const SLOW_REMOVAL_MS = 60_000;

/**
 * One known reason for a symptom: a scenario that reproduces it on top of the user's own
 * configuration, the Nacos source or issue it comes from, and a remedy whose effect is
 * simulated rather than asserted.
 */
export interface Cause {
  readonly id: string;
  readonly model: string;
  readonly title: string;
  /** Why it happens, in two or three sentences an operator can act on. */
  readonly explanation: string;
  readonly source: string;
  readonly symptoms: readonly Symptom[];
  /** False when this cause cannot run on top of the user's setup (absent: it always can). */
  appliesTo?(user: ScenarioFile): boolean;
  /** True when the user's own settings already contain this cause (it then ranks first). */
  presentIn(user: ScenarioFile): boolean;
  /** The user's scenario with this cause's settings and faults laid over it. */
  scenario(user: ScenarioFile): ScenarioFile;
  readonly remedy: {
    /** The exact change: settings to set, or an action. */
    readonly change: string;
    apply(s: ScenarioFile): ScenarioFile;
  };
}

/** Does a run show the symptom? */
export const shows = (symptom: Symptom, r: RunResult, slowAfterMs = SLOW_REMOVAL_MS): boolean => {
  const m = r.metrics;
  switch (symptom) {
    case 'never-removed':
      return m.faultAtMs !== null && m.serverRemovedAtMs === null;
    case 'slow-removal':
      return m.detectionMs === null || m.detectionMs > slowAfterMs;
    case 'false-removal':
      return m.falseRemovals > 0;
    case 'consumers-still-call':
      return m.faultAtMs !== null && m.subscriberUpdatedAtMs === null;
  }
};

/** Helpers for causes: lay settings and faults over a scenario. */
export const withSet = (s: ScenarioFile, set: Record<string, string | number | boolean>): ScenarioFile => ({ ...s, set: { ...(s.set ?? {}), ...set } });
export const withFaults = (s: ScenarioFile, faults: string[]): ScenarioFile => ({ ...s, faults });
export const setting = (s: ScenarioFile, key: string): string | undefined => {
  const v = s.set?.[key];
  return v === undefined ? undefined : String(v);
};

/**
 * The most common field cause per the Nacos maintainers (#8972, #12234, #15599), the same for
 * every model: the provider is alive and its registry path works, only consumers cannot reach it.
 */
export const ghostProcess = (model: string, signal: string, source: string): Cause => ({
  id: `${model.slice(-2)}-ghost-process`,
  model,
  title: `The process is not dead: it still ${signal}, while consumers cannot reach it`,
  explanation:
    'The provider is alive and its path to the registry works (a ghost pod, a half-killed process, a partition between consumers and provider only), so the registry has nothing to notice. Here consumers are cut from c1 while c1 keeps its registry path.',
  source: `alibaba/nacos issues #8972, #12234, #15599 (maintainer answers); ${source}`,
  symptoms: ['never-removed', 'consumers-still-call'],
  presentIn: () => false,
  scenario: (u) => withFaults(u, ['cut:c1-sub1@60s']),
  remedy: {
    change: 'stop the ghost for good (kill the pod / process): the registry then removes it; or have consumers eject failing addresses themselves',
    apply: (s) => withFaults(s, ['cut:c1-sub1@60s', 'crash@60s']),
  },
});
