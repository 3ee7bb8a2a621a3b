import type { Config } from '../models/knob.js';
import { V1_CONSTANTS } from '../models/nacos-v1/defaults.js';
import { v1Settings } from '../models/nacos-v1/settings.js';
import type { Version } from '../models/version.js';
import type { Fault } from '../sim/faults.js';
import type { LatencyEnvelope } from '../sim/latency.js';
import { usToMs } from '../sim/time.js';

/**
 * Analytic bounds on when the server notices a dead client, in the style of Chen–Toueg–Aguilera's
 * heartbeat analysis: for a periodic sweeper with timeout T and period C, the mark happens in
 * (T, T + C] after the last heartbeat heard; measured from the fault, the last heartbeat itself
 * lies up to one beat cycle (plus its round trips) before the fault or one latency after it.
 * Derivations: docs/bounds.md.
 */

/** An interval of milliseconds, lower bound exclusive, upper bound inclusive. */
export interface Interval {
  readonly lowerMs: number;
  readonly upperMs: number;
}

export type Expectation =
  | { readonly kind: 'within'; readonly interval: Interval }
  | { readonly kind: 'never'; readonly why: string }
  | { readonly kind: 'no-bound'; readonly why: string };

export interface V1Bounds {
  readonly unhealthyFromLastHeard: Expectation;
  readonly removedFromLastHeard: Expectation;
  readonly unhealthyFromFault: Expectation;
  readonly removedFromFault: Expectation;
  /** Fault → the subscribers' usable view drops the instance (push, or the polls if the push is lost). */
  readonly staleFromFault: Expectation;
}

export interface BoundsInput {
  readonly config: Config;
  readonly clientVersion: Version;
  readonly latency: LatencyEnvelope;
  readonly faults: readonly Fault[];
}

const within = (lowerMs: number, upperMs: number): Expectation => ({ kind: 'within', interval: { lowerMs, upperMs } });

/** Shifts a window (e.g. from-last-heard to from-fault), keeping never / no-bound as they are. */
const shift = (e: Expectation, lowerMs: number, upperMs: number): Expectation =>
  e.kind === 'within' ? within(e.interval.lowerMs + lowerMs, e.interval.upperMs + upperMs) : e;

/**
 * Where the last beat the server hears lies relative to the fault at F, for faults after which
 * no beat gets through for good. One beat cycle is SYN, SYN-ACK, request (heard), response,
 * then the period P: consecutive requests leave between P + 4·dmin and P + 4·dmax apart.
 */
const lastHeardWindow = (f: Fault, periodMs: number, d: { min: number; max: number }, survivesErrors: boolean): Interval | string => {
  switch (f.kind) {
    case 'cut':
    case 'oneway':
    case 'crash':
      // The last request left before F (a later one is dropped or never sent: with s2c blackholed
      // the SYN-ACK is lost, so the request never leaves); it arrives up to dmax after F.
      return { lowerMs: -(periodMs + 4 * d.max) + d.min, upperMs: d.max };
    case 'beat-error':
      if (survivesErrors) return 'client ≥ 1.4.2 reschedules the beat in finally: the loop survives the error';
      // The beat in flight at F still completes (its request was heard); none follows.
      return { lowerMs: 0, upperMs: periodMs + 4 * d.max };
    default:
      return `no analytic bound for ${f.kind} yet: the simulation answers it`;
  }
};

export const v1Bounds = ({ config, clientVersion, latency, faults }: BoundsInput): V1Bounds => {
  const s = v1Settings(config, clientVersion);
  const C = V1_CONSTANTS.beatCheckPeriodMs;
  const selfDelete = V1_CONSTANTS.selfDeleteMs;
  const extra = faults.reduce((acc, f) => acc + (f.kind === 'delay' ? usToMs(f.delayUs ?? 0) : 0), 0);
  const d = { min: usToMs(latency.minUs), max: usToMs(latency.maxUs) + extra };

  const unhealthyFromLastHeard: Expectation = !s.healthCheckEnabled
    ? { kind: 'never', why: 'healthCheckEnabled=false: the beat check does nothing' }
    : !s.ephemeral
      ? { kind: 'no-bound', why: 'persistent instance: marked unhealthy by the server TCP check, not by beats' }
      : within(s.beatTimeoutMs, s.beatTimeoutMs + C);
  const removedFromLastHeard: Expectation = !s.healthCheckEnabled
    ? { kind: 'never', why: 'healthCheckEnabled=false: the beat check does nothing' }
    : !s.ephemeral
      ? { kind: 'never', why: 'persistent (ephemeral=false) instances are never deleted by the server' }
      : !s.expireInstance
        ? { kind: 'never', why: 'nacos.naming.expireInstance=false: expired instances are only marked unhealthy' }
        : within(s.deleteTimeoutMs + selfDelete, s.deleteTimeoutMs + C + selfDelete);

  const fault = faults[0];
  const noFault: Expectation = { kind: 'never', why: 'no fault: a live client keeps beating' };
  if (fault === undefined) {
    return { unhealthyFromLastHeard, removedFromLastHeard, unhealthyFromFault: noFault, removedFromFault: noFault, staleFromFault: noFault };
  }
  const heard = lastHeardWindow(fault, s.replyBeatIntervalMs, d, s.beatLoopSurvivesErrors);
  const permanentAfter = (e: Expectation): Expectation => {
    if (typeof heard === 'string') return e.kind === 'never' ? e : { kind: heard.startsWith('client') ? 'never' : 'no-bound', why: heard };
    const shifted = shift(e, heard.lowerMs, heard.upperMs);
    // A fault that heals before the latest possible mark may let a beat through first.
    if (shifted.kind === 'within' && fault.endUs !== null && usToMs(fault.endUs - fault.startUs) < shifted.interval.upperMs) {
      return { kind: 'no-bound', why: `${fault.text} heals before the mark is certain: the simulation answers it` };
    }
    return shifted;
  };
  const removedFromFault = permanentAfter(removedFromLastHeard);
  const pollMs = s.pushCacheMillis + 4 * d.max;
  const staleFromFault =
    removedFromFault.kind === 'within' ? within(removedFromFault.interval.lowerMs, removedFromFault.interval.upperMs + 2 * pollMs) : removedFromFault;
  return {
    unhealthyFromLastHeard,
    removedFromLastHeard,
    unhealthyFromFault: permanentAfter(unhealthyFromLastHeard),
    removedFromFault,
    staleFromFault,
  };
};

/** Push path only (the removal push is delivered): stale − removal ∈ [push delay + dmin, push delay + dmax]. */
export const v1PushWindow = (latency: LatencyEnvelope): Interval => ({
  lowerMs: V1_CONSTANTS.pushDelayMs + usToMs(latency.minUs),
  upperMs: V1_CONSTANTS.pushDelayMs + usToMs(latency.maxUs),
});
