import { V2_CONSTANTS as K } from '../models/nacos-v2/defaults.js';
import { HEALTH_SLEEP_MAX_MS, healthSleeps, type V2Settings } from '../models/nacos-v2/settings.js';
import type { Fault } from '../sim/faults.js';
import type { LatencyEnvelope } from '../sim/latency.js';
import { usToMs } from '../sim/time.js';
import type { Expectation, Interval } from './bounds.js';
import { firstRetransmitMaxMs, tcpGiveUpWindowMs } from './tcp-giveup.js';

/**
 * The mechanisms that end a silent 2.x connection on the server (split from bounds-v2.ts, whose
 * windows they make up; mechanisms-v2.ts names each one with its own window):
 *   - the ejector (2.0/2.1, 2.3+): idle 20 s, then a probe that times out;
 *   - the gRPC server keep-alive (every release; the only one in 2.2.0-2.2.4): a PING after
 *     keep-alive time without a read, unanswered for its timeout;
 *   - the server socket's SO_KEEPALIVE: only on a socket with nothing unacknowledged;
 *   - the server kernel giving up retransmitting (tcp_retries2): only on unacknowledged data.
 * Intervals are in ms, lower bound exclusive, upper inclusive; a closed lower end x is x − 1 µs.
 */

/** One microsecond in ms: turns a closed lower end into the exclusive form of Interval. */
export const EPS = 0.001;

/** Every input is a whole number of µs, so are the ends: rounding to the µs removes float noise. */
export const roundUs = (ms: number): number => Math.round(ms * 1000) / 1000;
export const within = (lowerMs: number, upperMs: number): Expectation => ({
  kind: 'within',
  interval: { lowerMs: roundUs(lowerMs), upperMs: roundUs(upperMs) },
});

export interface Envelope {
  readonly min: number;
  readonly max: number;
}

export const envelope = (latency: LatencyEnvelope): Envelope => ({ min: usToMs(latency.minUs), max: usToMs(latency.maxUs) });

/**
 * The server kernel giving up on an answer the path swallowed, from when it left (tcp-giveup.ts):
 * the server's RTT estimator has seen round trips in [2·dmin, 2·dmax].
 */
export const serverGiveUp = (s: V2Settings, d: Envelope): Interval => tcpGiveUpWindowMs(2000 * d.min, 2000 * d.max, s.serverKernel.retries2, s.serverKernel.hz);

/**
 * The server's SO_KEEPALIVE (grpc-java sets it on every accepted socket; V2_CONSTANTS.serverSoKeepalive)
 * from the last request heard: the last packet it receives is the ack of its answer, one round trip
 * later; the first probe goes tcp_keepalive_time after that, the reset probes × intvl later
 * (tcp_keepalive_timer). Null when the socket does not set SO_KEEPALIVE.
 */
export const serverTcpKeepalive = (s: V2Settings, d: Envelope): Interval | null => {
  if (K.serverSoKeepalive !== 1) return null;
  const k = s.serverKernel;
  const afterMs = k.keepaliveTimeMs + k.keepaliveProbes * k.keepaliveIntvlMs;
  return { lowerMs: afterMs + 2 * d.min, upperMs: afterMs + 2 * d.max };
};

/** The pieces of the silent mechanism, from the last request heard. */
export interface SilentParts {
  /** The ejector's probe (`ejection`), or the gRPC keep-alive PING. */
  readonly base: Interval;
  /** When that mechanism first puts data on the wire (the probe, the PING). */
  readonly firstData: Interval;
  /** SO_KEEPALIVE's reset, or null when the socket sets none (or `keepalive` is false). */
  readonly keepalive: Interval | null;
}

export const silentParts = (s: V2Settings, d: Envelope, rtx: Interval, keepalive = true): SilentParts => {
  if (s.ejection) {
    return {
      base: { lowerMs: K.idleLimitMs + s.probeTimeoutMs, upperMs: K.idleLimitMs + K.ejectorPeriodMs + s.probeTimeoutMs },
      firstData: { lowerMs: K.idleLimitMs, upperMs: K.idleLimitMs + K.ejectorPeriodMs },
      keepalive: keepalive ? serverTcpKeepalive(s, d) : null,
    };
  }
  // A PING after keep-alive time without a read, unanswered for its timeout — or, if that is longer, until the kernel gives up on the PING.
  return {
    base: {
      lowerMs: s.serverKeepAliveMs + Math.min(s.serverKeepAliveTimeoutMs, rtx.lowerMs),
      upperMs: s.serverKeepAliveMs + Math.min(s.serverKeepAliveTimeoutMs, rtx.upperMs),
    },
    firstData: { lowerMs: s.serverKeepAliveMs, upperMs: s.serverKeepAliveMs },
    keepalive: keepalive ? serverTcpKeepalive(s, d) : null,
  };
};

/** Which of the parts can end the connection: SO_KEEPALIVE only if it ends before the first data goes out. */
export const silentApplies = (p: SilentParts): { readonly base: boolean; readonly keepalive: boolean } => {
  const ka = p.keepalive;
  if (ka === null || ka.lowerMs >= p.firstData.upperMs) return { base: true, keepalive: false };
  if (ka.upperMs < p.firstData.lowerMs) return { base: false, keepalive: true };
  return { base: true, keepalive: true };
};

/**
 * The mechanism that ends a silent connection when no answer was caught: the ejector, or
 * (2.2.0-2.2.4) the gRPC server keep-alive — or SO_KEEPALIVE, if it ends before either of those
 * puts data on the wire (keepalive probes only a socket with nothing unacknowledged, so a probe
 * or PING that goes out first leaves the removal to it). `keepalive: false` when the server's
 * answer is unacknowledged from the start (s2c).
 */
export const silentMechanism = (s: V2Settings, d: Envelope, rtx: Interval, keepalive = true): Interval => {
  const p = silentParts(s, d, rtx, keepalive);
  const on = silentApplies(p);
  if (!on.keepalive || p.keepalive === null) return p.base;
  if (!on.base) return p.keepalive;
  return { lowerMs: Math.min(p.base.lowerMs, p.keepalive.lowerMs), upperMs: Math.max(p.base.upperMs, p.keepalive.upperMs) };
};

/**
 * Server side, measured from the last message heard on a connection that then falls silent: the
 * ejector's probe (2.3+: [20 s + P, 23 s + P)) or the gRPC server keep-alive (2.2.0-2.2.4) — or,
 * sooner, the kernel giving up on the answer to the last request when the fault came before the
 * client acknowledged it (tcp_retries2 after that answer left: 924.6 s of model timeout plus the
 * loss probe, the first RTO and timer slack, tcp-giveup.ts).
 */
export const v2SilentRemoval = (s: V2Settings, latency: LatencyEnvelope): Expectation => {
  const d = envelope(latency);
  const rtx = serverGiveUp(s, d);
  const m = silentMechanism(s, d, rtx);
  return within(Math.min(m.lowerMs, rtx.lowerMs) - EPS, m.upperMs);
};

/** The longest gap between two requests of a live idle client: answer, keep-alive, first sleep, request. */
export const idleGapMs = (s: V2Settings, d: Envelope): number => s.keepAliveMs + (healthSleeps(s) > 0 ? HEALTH_SLEEP_MAX_MS : 0) + 2 * d.max;

/**
 * s2c, when the server's mechanism puts data on the wire before the client's next request can
 * arrive (a server keep-alive time shorter than the client's idle gap): the last read may come
 * before F, its answer delivered, and nothing read after it. Its PING (or probe) then leaves at
 * or after F (one that left before F is delivered, and its PONG read), and is lost; the removal
 * comes the mechanism's timeout after it: removal − F ≥ base − first data. Found by the deep
 * bounds property (case 24,006: keep-alive 5 s / timeout 4,999 ms, client keep-alive 9,998 ms,
 * last read 0.664 ms before F, removed 9,998.336 ms after F). +∞ when the path cannot happen.
 */
export const quietBeforeFaultLowerMs = (s: V2Settings, d: Envelope, rtx: Interval): number => {
  const p = silentParts(s, d, rtx, false);
  if (p.firstData.lowerMs >= idleGapMs(s, d)) return Number.POSITIVE_INFINITY;
  return p.base.lowerMs - p.firstData.lowerMs - EPS;
};

/**
 * Fault → removal of a connection that falls silent: the silent mechanism shifted by where the
 * last message heard lies — or the kernel giving up on an answer the fault caught unacknowledged.
 * Under a cut that may happen (the answer to a request heard at most one latency before the fault:
 * its ACK would have left by then), so that path starts at RTX − dmax and ends before the
 * mechanism's. Under s2c it always happens (the answer to the last request heard is lost), so the
 * removal is whichever of the two comes first.
 */
export const silentFromFault = (s: V2Settings, d: Envelope, heard: Interval, s2c: boolean): Expectation => {
  const rtx = serverGiveUp(s, d);
  if (s2c) {
    const m = silentMechanism(s, d, rtx, false);
    const lowerMs = Math.min(heard.lowerMs + Math.min(m.lowerMs, rtx.lowerMs) - EPS, quietBeforeFaultLowerMs(s, d, rtx));
    return within(lowerMs, heard.upperMs + Math.min(m.upperMs, rtx.upperMs));
  }
  // No answer caught: the mechanism, SO_KEEPALIVE included, from the last request heard.
  const m = silentMechanism(s, d, rtx);
  // A caught answer left in [F − dmax, F]: SO_KEEPALIVE does not probe behind it, and the kernel
  // gives up on it in [F − dmax + RTX, F + RTX] unless the ejector or PING ends the connection first.
  const caught = silentMechanism(s, d, rtx, false);
  const caughtUpper = Math.min(caught.upperMs + heard.upperMs, rtx.upperMs);
  return within(Math.min(m.lowerMs - EPS + heard.lowerMs, rtx.lowerMs - d.max - EPS), Math.max(m.upperMs + heard.upperMs, caughtUpper));
};

/**
 * s2c: the health check's later tries after the one whose answer is lost. Until the client's first
 * RTO fires the kernel is not in Loss and sends each new try at once, so the server hears it. Try k
 * leaves k·timeout after the first plus its sleeps (RpcClient.healthCheck sleeps before a try while
 * reTryTimes > 1 after its decrement: tries 1…retry−3 sleep), and is heard iff it left before the
 * first RTO retransmission, at most firstRetransmitMaxMs after the first try (the client's estimator
 * has seen round trips in [2·dmin, 2·dmax]). Latencies differ per packet: + dmax − dmin. Zero at the
 * defaults (a 3 s timeout is past any first RTO). Found by the deep bounds property: a 139 ms
 * health timeout, whose tries at 139 ms and 278 ms were heard.
 */
export const retriesBeforeLossMs = (s: V2Settings, d: Envelope): number => {
  const beforeRtoMs = firstRetransmitMaxMs(2000 * d.min, 2000 * d.max);
  const sleepingTries = s.healthJitter ? Math.max(0, s.healthRetry - 3) : 0;
  let latestMs = Number.NEGATIVE_INFINITY;
  for (let k = 1; k <= s.healthRetry && k * s.healthTimeoutMs <= beforeRtoMs; k++) {
    latestMs = Math.min(k * s.healthTimeoutMs + Math.min(k, sleepingTries) * HEALTH_SLEEP_MAX_MS, beforeRtoMs);
  }
  return latestMs === Number.NEGATIVE_INFINITY ? 0 : latestMs + (d.max - d.min);
};

/** When the last message heard lies relative to a fault after which the client is silent for good. */
export const lastHeard = (f: Fault, s: V2Settings, d: Envelope): Interval => {
  const firstSleepMs = healthSleeps(s) > 0 ? HEALTH_SLEEP_MAX_MS : 0;
  if (f.kind === 'oneway' && f.direction === 's2c') {
    // The first request the server answers at or after F is the last it hears: its answer is lost,
    // the client's kernel retransmits that request, enters Loss at the RTO (cwnd = 1), and every
    // later request — the retries, the next checks — waits behind it (tcp-sender.ts; real-tcp.md
    // §1: "only the FIRST client message after the drop reached the server"). It lands at most one
    // idle gap after the last request heard before F.
    return { lowerMs: -EPS, upperMs: idleGapMs(s, d) + retriesBeforeLossMs(s, d) };
  }
  // The next health check (sent ≥ F, lost) leaves ≤ dmax + K + first sleep after the last one heard.
  return { lowerMs: -(s.keepAliveMs + firstSleepMs + d.max) - EPS, upperMs: d.max };
};
