import type { Expectation, Interval } from './bounds.js';

/**
 * One mechanism that can end a dead client's registration on the server, with its own window
 * (ms after the fault, lower end exclusive) under the user's settings — or the reason it does
 * not apply ("no ejector in 2.2.3", "nothing unacknowledged"). The windows of those that apply
 * span the model's analytic removal bound: their lowest lower end and highest upper end are the
 * bound's (mechanisms-union.test.ts).
 */
export interface Mechanism {
  readonly id: MechanismId;
  /** What it is, with its setting and default, in words an operator can act on. */
  readonly name: string;
  /** Where it comes from (file and tag). */
  readonly source: string;
  readonly window: Interval | null;
  /** Why it does not apply (window null), or under what condition it does (window set). */
  readonly note: string | null;
  /** True when the instance is only marked unhealthy (1.x persistent instances), not removed. */
  readonly marksOnly?: boolean;
}

export type MechanismId = 'close' | 'ejector' | 'grpc-keepalive' | 'so-keepalive' | 'tcp-retries2' | 'beat-expiry' | 'beat-unhealthy' | 'tcp-health-check';

export interface RemovalMechanisms {
  /** The model's analytic bound on fault → removal (bounds.ts / bounds-v2.ts). */
  readonly removal: Expectation;
  readonly mechanisms: readonly Mechanism[];
}

/** The mechanisms that apply, in the order of their windows. */
export const applying = (m: RemovalMechanisms): Mechanism[] =>
  m.mechanisms.filter((x) => x.window !== null).sort((a, b) => (a.window?.lowerMs ?? 0) - (b.window?.lowerMs ?? 0));

/** The span of the windows of those that remove (null when none does). */
export const span = (ms: readonly Mechanism[]): Interval | null => {
  const w = ms.filter((m) => m.window !== null && m.marksOnly !== true).map((m) => m.window as Interval);
  if (w.length === 0) return null;
  return { lowerMs: Math.min(...w.map((x) => x.lowerMs)), upperMs: Math.max(...w.map((x) => x.upperMs)) };
};
