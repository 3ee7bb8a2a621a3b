import { clientReachable, type Fault } from '../sim/faults.js';
import { type Micros, usToMs } from '../sim/time.js';
import type { TraceEvent } from '../sim/trace.js';
import { type Distribution, distribution } from './distribution.js';

/**
 * Failure-detector quality of service in the terms of Chen, Toueg and Aguilera, "On the Quality
 * of Service of Failure Detectors", IEEE Trans. Computers 51(5), 2002.
 *
 * The detector is the registry's view of c1's instance: it *trusts* the instance while it is
 * registered and healthy, and *suspects* it from an `instance.unhealthy` or `instance.remove`
 * (an S-transition) until an `instance.healthy` or `instance.register` (a T-transition).
 *
 * - T_D (detection time): from the fault to the final S-transition, after which the detector
 *   suspects for good (to the horizon). Null when it trusts the instance again by the horizon.
 * - Accuracy is measured over the failure-free part of a run: from the first registration to the
 *   first moment the client is unreachable (crash, cut, one-way cut, pause, flap down phase),
 *   or to the horizon. Loss and delay faults leave the client reachable, so suspicions during
 *   them are mistakes. Over that window: a mistake is an S-transition; its duration T_M runs
 *   to the next T-transition (clipped at the window's end); the average mistake recurrence time
 *   E(T_MR) = observed time / mistakes; P_A = 1 − (time suspected) / (observed time), which equals
 *   1 − E(T_M)/E(T_MR) (the paper's Theorem 1); λ_M = 1/E(T_MR).
 */
export interface DetectorObservation {
  /** Failure-free time observed (ms). */
  readonly observedMs: number;
  /** S-transitions while the client was reachable. */
  readonly mistakes: number;
  /** Total time wrongly suspected within the window (ms). */
  readonly mistakeMs: number;
  /** T_D: fault onset → final S-transition (ms); null when not suspected for good, or no fault. */
  readonly tdMs: number | null;
}

const SUSPECT = new Set(['instance.unhealthy', 'instance.remove']);
const TRUST = new Set(['instance.healthy', 'instance.register']);

export interface ObserveInput {
  readonly events: readonly TraceEvent[];
  readonly faults: readonly Fault[];
  /** The instance followed (c1). */
  readonly instance: string;
  readonly horizonUs: Micros;
}

/** The first moment the client stops being reachable (its failure, in the paper's terms), or null. */
export const firstUnreachableUs = (faults: readonly Fault[]): Micros | null => {
  let first: Micros | null = null;
  for (const f of faults) {
    if (!clientReachable(faults, f.startUs) && (first === null || f.startUs < first)) first = f.startUs;
  }
  return first;
};

/** Transitions of the detector's output for one instance, in trace order (repeats collapsed). */
const transitions = (events: readonly TraceEvent[], instance: string): { t: Micros; suspect: boolean }[] => {
  const out: { t: Micros; suspect: boolean }[] = [];
  let trusted: boolean | null = null;
  for (const e of events) {
    if (e.data?.instance !== instance) continue;
    const suspect = SUSPECT.has(e.kind) ? true : TRUST.has(e.kind) ? false : null;
    if (suspect === null) continue;
    // Before the first registration there is nothing to trust or suspect.
    if (trusted === null && suspect) continue;
    if (trusted === !suspect) continue;
    trusted = !suspect;
    out.push({ t: e.t, suspect });
  }
  return out;
};

export const observeDetector = ({ events, faults, instance, horizonUs }: ObserveInput): DetectorObservation => {
  const trans = transitions(events, instance);
  const failedUs = firstUnreachableUs(faults);
  const startUs = trans[0]?.t ?? null;
  const endUs = Math.min(failedUs ?? horizonUs, horizonUs);
  let mistakes = 0;
  let mistakeUs = 0;
  if (startUs !== null && startUs < endUs) {
    for (let k = 0; k < trans.length; k++) {
      const s = trans[k] as { t: Micros; suspect: boolean };
      if (!s.suspect || s.t >= endUs || !clientReachable(faults, s.t)) continue;
      mistakes++;
      const next = trans[k + 1]?.t ?? horizonUs;
      mistakeUs += Math.min(next, endUs) - s.t;
    }
  }
  const last = trans.at(-1);
  const faultUs = failedUs ?? faults.reduce<Micros | null>((m, f) => (m === null || f.startUs < m ? f.startUs : m), null);
  const tdMs = faultUs !== null && last?.suspect === true ? usToMs(Math.max(0, last.t - faultUs)) : null;
  return {
    observedMs: startUs === null || startUs >= endUs ? 0 : usToMs(endUs - startUs),
    mistakes,
    mistakeMs: usToMs(mistakeUs),
    tdMs,
  };
};

/** The QoS of one configuration, aggregated over its runs. */
export interface DetectorQos {
  /** T_D over the runs with a fault (never = not suspected for good by the horizon). */
  readonly td: Distribution;
  readonly observedMs: number;
  readonly mistakes: number;
  /** E(T_MR); null when no mistake was seen (it is then above observedMs). */
  readonly tmrMs: number | null;
  /** E(T_M); null when no mistake was seen. */
  readonly tmMs: number | null;
  /** P_A; null when nothing was observed. */
  readonly pA: number | null;
  /** λ_M, mistakes per hour of failure-free time; null when nothing was observed. */
  readonly mistakesPerHour: number | null;
}

/** `faulted`: the runs had a fault, so a run without a final S-transition counts as "never". */
export const aggregateQos = (obs: readonly DetectorObservation[], faulted: boolean): DetectorQos => {
  let observedMs = 0;
  let mistakes = 0;
  let mistakeMs = 0;
  for (const o of obs) {
    observedMs += o.observedMs;
    mistakes += o.mistakes;
    mistakeMs += o.mistakeMs;
  }
  return {
    td: distribution(faulted ? obs.map((o) => o.tdMs) : []),
    observedMs: round3(observedMs),
    mistakes,
    tmrMs: mistakes === 0 ? null : round3(observedMs / mistakes),
    tmMs: mistakes === 0 ? null : round3(mistakeMs / mistakes),
    pA: observedMs === 0 ? null : round9(1 - mistakeMs / observedMs),
    mistakesPerHour: observedMs === 0 ? null : round9((mistakes * 3_600_000) / observedMs),
  };
};

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const round9 = (x: number): number => Number(x.toPrecision(9));
