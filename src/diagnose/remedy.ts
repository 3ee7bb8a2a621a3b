import type { Scenario } from '../scenario/run.js';
import type { ScenarioFile } from '../scenario/scenario.js';

/**
 * One change an operator can make about a dead instance that is not taken offline: a setting, a
 * release, or what the application does. Each is simulated on the user's settings, fault and
 * release (diagnose-remedies.ts), never asserted.
 */
export interface Remedy {
  readonly id: string;
  readonly model: string;
  /** The exact change, as the user would make it. */
  readonly change: string;
  /** A few words for a chart's axis. */
  readonly label: string;
  /** Which side it is set on, and where it comes from. */
  readonly source: string;
  /** Null when the user's releases allow it; else why not (e.g. "configurable from 2.2.1"). */
  unavailable(sc: Scenario): string | null;
  apply(u: ScenarioFile): ScenarioFile;
  /** What to read in its numbers under the user's release, said once (e.g. "changes when the client notices, not the server"). */
  readonly note?: (sc: Scenario) => string | null;
}

export const set = (u: ScenarioFile, s: Record<string, string | number | boolean>): ScenarioFile => ({ ...u, set: { ...(u.set ?? {}), ...s } });
