import type { RandomStream } from '../../sim/random.js';
import { V1_CONSTANTS as K } from './defaults.js';

/**
 * The arithmetic of the 1.x TCP health check of persistent instances (tag 1.4.8), apart from its
 * timers so that tests can check it against the source line by line:
 *
 *   HealthCheckTask.initCheckRT   checkRtNormalized = 2000 + nextInt(0, nextInt(0, max))
 *   HealthCheckTask.run finally   next run after checkRtNormalized (as it stands then)
 *   reEvaluateCheckRT(rt)         checkRtNormalized = clamp((long)(factor·N + (1 − factor)·rt), min, max)
 *   TcpSuperSenseProcessor        rt = now − task.startTime on success, N·2 on a timeout, max on an error
 */

/** commons-lang3 RandomUtils.nextInt(start, end): uniform on [start, end), and `start` when they are equal. */
export const commonsNextInt = (rng: RandomStream, startInclusive: number, endExclusive: number): number =>
  startInclusive === endExclusive ? startInclusive : rng.intInclusive(startInclusive, endExclusive - 1);

/** The first interval: 2000 + nextInt(0, nextInt(0, 5000)), skewed low (the inner draw bounds the outer). */
export const firstCheckRtMs = (rng: RandomStream): number => {
  const inner = commonsNextInt(rng, 0, K.tcpCheckMaxMs);
  return K.tcpCheckBaseMs + commonsNextInt(rng, 0, inner);
};

/**
 * HealthCheckCommon.reEvaluateCheckRT. Java computes `factor` (a float) × a long in float; every
 * term here is a multiple of 1/4 below 2²⁴, which a float holds exactly, so the float sum equals
 * the real one and `(long)` floors it.
 */
export const reEvaluateCheckRtMs = (normalizedMs: number, rtMs: number): number => {
  const next = Math.floor(K.tcpCheckFactor * normalizedMs + (1 - K.tcpCheckFactor) * rtMs);
  return Math.min(K.tcpCheckMaxMs, Math.max(K.tcpCheckMinMs, next));
};

export type TcpCheckOutcome = 'ok' | 'refused' | 'timeout';

/** What the processor reports for a connect attempt, and when (ms after the connect began). */
export interface TcpCheckReport {
  readonly outcome: TcpCheckOutcome;
  readonly afterMs: number;
}

/**
 * The NIO loop notices a finished connect (ok, or a ConnectException: refused) at the end of its
 * next 250 ms task-queue poll; one it has not noticed when the 500 ms TimeOutTask runs is a
 * timeout. `doneMs`: when the handshake ended, ms after it began (null: not within the timeout).
 */
export const tcpCheckReport = (outcome: Exclude<TcpCheckOutcome, 'timeout'>, doneMs: number | null): TcpCheckReport => {
  if (doneMs === null) return { outcome: 'timeout', afterMs: K.tcpConnectTimeoutMs };
  const noticedMs = Math.ceil(doneMs / K.tcpCheckPollMs) * K.tcpCheckPollMs;
  if (noticedMs >= K.tcpConnectTimeoutMs) return { outcome: 'timeout', afterMs: K.tcpConnectTimeoutMs };
  return { outcome, afterMs: noticedMs };
};

/**
 * The rt the report feeds back, given the interval when it is reported: the time since the run
 * (task.startTime, set as the run ended, i.e. when its connects began) on success, twice the
 * interval on a timeout, tcpHealthParams.max on a connection error.
 */
export const reportRtMs = (report: TcpCheckReport, normalizedMs: number): number => {
  if (report.outcome === 'ok') return report.afterMs;
  if (report.outcome === 'timeout') return normalizedMs * K.tcpCheckTimeoutRtMultiplier;
  return K.tcpCheckMaxMs;
};
