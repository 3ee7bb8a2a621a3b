import { type Config, num } from '../models/knob.js';
import { V1_CONSTANTS } from '../models/nacos-v1/defaults.js';
import { type V1Settings, v1Settings } from '../models/nacos-v1/settings.js';
import type { Version } from '../models/version.js';
import type { Fault } from '../sim/faults.js';
import type { LatencyEnvelope } from '../sim/latency.js';
import { rtoMs, TCP_DEFAULTS } from '../sim/tcp-defaults.js';
import { usToMs } from '../sim/time.js';

/**
 * Analytic bounds on when a Nacos 1.x server notices a dead client, in the style of
 * Chen–Toueg–Aguilera's heartbeat analysis: a periodic sweeper with timeout T and period C
 * acts in (T, T + C] after the last heartbeat heard; measured from the fault, the last heartbeat
 * lies up to one beat cycle (its round trips included) before the fault or up to one or two
 * one-way latencies after it. Every term is read off the model code (src/models/nacos-v1) and
 * the Nacos source it follows; derivations and source lines: docs/bounds.md.
 */

/** Milliseconds; the lower bound is exclusive (−Infinity: none), the upper bound inclusive. */
export interface Interval {
  readonly lowerMs: number;
  readonly upperMs: number;
}

export type Expectation =
  | { readonly kind: 'within'; readonly interval: Interval }
  /** Provably never happens (the property: it does not happen before any horizon). */
  | { readonly kind: 'never'; readonly why: string }
  /** No analytic answer: the simulation decides. */
  | { readonly kind: 'no-bound'; readonly why: string };

export interface V1Bounds {
  readonly unhealthyFromLastHeard: Expectation;
  readonly removedFromLastHeard: Expectation;
  readonly unhealthyFromFault: Expectation;
  readonly removedFromFault: Expectation;
  /** Fault → the subscribers' usable view drops the instance (push, or the polls if the push is skipped). */
  readonly staleFromFault: Expectation;
}

export interface BoundsInput {
  readonly config: Config;
  readonly clientVersion: Version;
  readonly latency: LatencyEnvelope;
  readonly faults: readonly Fault[];
  /** Registered instances (clients); default 1. */
  readonly instances?: number;
  /** Servers; default 1. */
  readonly servers?: number;
}

const C = V1_CONSTANTS.beatCheckPeriodMs;
const SELF_DELETE = V1_CONSTANTS.selfDeleteMs;

/** Every input is a whole number of µs, so are the ends: rounding to the µs removes float noise. */
const toUs = (ms: number): number => (Number.isFinite(ms) ? Math.round(ms * 1000) / 1000 : ms);
const within = (lowerMs: number, upperMs: number): Expectation => ({ kind: 'within', interval: { lowerMs: toUs(lowerMs), upperMs: toUs(upperMs) } });
const never = (why: string): Expectation => ({ kind: 'never', why });
const noBound = (why: string): Expectation => ({ kind: 'no-bound', why });

/** One-way latency envelope in ms. */
interface Envelope {
  readonly min: number;
  readonly max: number;
}

/**
 * Expected marks measured from the last time the server reset the instance's lastBeat (a beat
 * or a registration): the check runs every C, acts when now − lastBeat > timeout (strictly),
 * and a delete is an HTTP DELETE to the server itself that lands 1 ms later.
 */
const fromLastHeard = (s: V1Settings): { unhealthy: Expectation; removed: Expectation } => {
  if (!s.healthCheckEnabled) {
    const off = never('healthCheckEnabled=false: the beat check returns before marking or deleting');
    return { unhealthy: off, removed: off };
  }
  if (!s.ephemeral) {
    return {
      unhealthy: noBound('persistent instance: marked unhealthy by the server TCP check, not by beats'),
      removed: never('persistent (ephemeral=false) instances are never deleted by the server'),
    };
  }
  const T = s.beatTimeoutMs;
  const D = s.deleteTimeoutMs;
  const removed = s.expireInstance
    ? within(D + SELF_DELETE, D + C + SELF_DELETE)
    : never('nacos.naming.expireInstance=false: expired instances are only marked unhealthy');
  let unhealthy = within(T, T + C);
  if (s.expireInstance && T >= D + C) unhealthy = never('the delete timeout expires at least one check earlier: the instance is gone before it can be marked');
  else if (s.expireInstance && T > D)
    unhealthy = noBound('delete timeout < heartbeat timeout: marked only if the deleting check also passes the heartbeat timeout');
  return { unhealthy, removed };
};

/** When the last lastBeat reset lies relative to the fault at F: [lowerMs, upperMs] in ms from F. */
type Heard = { readonly lowerMs: number; readonly upperMs: number } | Expectation;

/**
 * One beat cycle: SYN, SYN-ACK, request (heard: lastBeat reset), response, then the reply's
 * clientBeatInterval P; the first beat leaves P0 = preserved.heart.beat.interval after start,
 * when the registration (heard 3 one-way latencies after start) is on its way.
 * A 1.2.0+ client reuses the kept connection (src/sim/http.ts, issue 15): its cycle is then only
 * request and response (P + 2d), and a new connection's (P + 4d) comes after a discarded one or
 * every 100th request. The bounds keep the new connection's cycle: it is the longest, so the
 * windows still hold for every cycle, and they stay reachable (every 100th beat, and every beat
 * of a 1.1.x client); at LAN latencies the 2d difference is far inside the 2 % tightness margin.
 */
/**
 * How long after its first transmission a lost request can still be sent again: the kernel
 * retransmits a lost segment after the RTO (200 ms, doubling), while the HTTP read timeout runs.
 */
const requestRetransmitWindowMs = (readTimeoutMs: number): number => {
  let sent = 0;
  for (let k = 0; k < TCP_DEFAULTS.retries2 && sent + rtoMs(k) <= readTimeoutMs; k++) sent += rtoMs(k);
  return sent;
};

/**
 * One-way legs from the first beat's timer (P0 after start) to the server hearing it. It rides the
 * register's connection when the JDK holds it idle then: the register's answer was read first
 * (4 legs after start: before P0; at a tie the beat's timer, armed first, fires first) and it has
 * idled no longer than the keep-alive timeout. Otherwise it opens one: SYN, SYN-ACK, request.
 */
const firstBeatLegs = (s: V1Settings, d: Envelope): { readonly min: number; readonly max: number } => {
  const idleMs = V1_CONSTANTS.httpKeepAliveTimeoutMs;
  const keptPossible = s.reusesConnections && 4 * d.min < s.beatIntervalMs && s.beatIntervalMs - 4 * d.max <= idleMs;
  const newPossible = !s.reusesConnections || 4 * d.max >= s.beatIntervalMs || s.beatIntervalMs - 4 * d.min > idleMs;
  return { min: keptPossible ? 1 : 3, max: newPossible ? 3 : 1 };
};

/**
 * Client ≥ 1.4.2 (#5291): the errored beat's finally reschedules the next one after the beat's own
 * period P0 (BeatReactor.BeatTask: nextTime = beatInfo.getPeriod() unless a reply says otherwise),
 * so the gap between the errored beat heard and the next is its answer's leg, P0, and the next
 * request's legs: one on the kept connection, three on a new one. When that gap does not exceed the
 * timeout no check can act. It is the kept connection when the error hits the first beat (F ≤ P0:
 * the connection has carried the register and that beat, far from Tomcat's 100th) and P0 is within
 * the JDK's idle limit; later, the errored beat may have been the connection's last, so a new one.
 */
const survivedError = (F: number, s: V1Settings, d: Envelope): Heard => {
  const kept = s.reusesConnections && F <= s.beatIntervalMs && s.beatIntervalMs <= V1_CONSTANTS.httpKeepAliveTimeoutMs;
  const gapMs = toUs(s.beatIntervalMs + (kept ? 2 : 4) * d.max);
  const limitMs = Math.min(s.beatTimeoutMs, s.expireInstance ? s.deleteTimeoutMs : Number.POSITIVE_INFINITY);
  if (gapMs <= limitMs) return never('client ≥ 1.4.2 reschedules the beat in finally: the beat loop survives the error (#5291)');
  return noBound(
    `the beat loop survives the error (#5291), but the next beat leaves preserved.heart.beat.interval after the errored answer: a gap of up to ${gapMs} ms between beats heard, longer than the timeout (${limitMs} ms), so a check may land in it`,
  );
};

const lastHeard = (f: Fault, s: V1Settings, d: Envelope, weak: string | null, lossy: boolean): Heard => {
  const F = usToMs(f.startUs);
  const P = s.replyBeatIntervalMs;
  const P0 = s.beatIntervalMs;
  switch (f.kind) {
    case 'cut':
    case 'crash':
    case 'oneway': {
      if (F <= 2 * d.max) return noBound('the fault may stop the registration itself');
      // c2s, cut, crash: a request is heard iff it left before F (it lands < F + dmax).
      // s2c: iff its SYN-ACK left before F; the request then leaves up to dmax after F.
      // With loss and s2c, a request lost before F is retransmitted after F over the open c2s path.
      const s2c = f.kind === 'oneway' && f.direction === 's2c';
      const legs = s2c ? 2 : 3;
      const retransmitMs = lossy ? requestRetransmitWindowMs(s.readTimeoutMs) : 0;
      // s2c on a kept connection (1.2.0+ client, period within the JDK's idle limit): the last answer
      // that left before F lands ≤ dmax after it, the next beat leaves P later on the same connection
      // and its request, needing no SYN-ACK, is heard ≤ dmax after that: P + 2·dmax (before the
      // first beat, P0). Its answer is lost; the read timeout then discards the connection and the
      // new ones never get their SYN-ACK.
      const P1 = F > P0 ? P : Math.max(P, P0);
      const kept = s.reusesConnections && P1 <= V1_CONSTANTS.httpKeepAliveTimeoutMs;
      const upperMs = s2c ? (kept ? P1 : 0) + 2 * d.max + retransmitMs : d.max;
      // Outside the envelope the server may have dropped the instance before the fault: no lower bound.
      if (weak !== null) return { lowerMs: Number.NEGATIVE_INFINITY, upperMs };
      const firstSent = P0 + (legs - 1) * d.max;
      // s2c on a kept connection without loss: a request heard before F has its answer leave before
      // F, so another beat follows on the connection; the last one heard is answered at or after F.
      // That holds until Tomcat closes the connection with its 100th answer (the register is request
      // 1, so beat maxRequests − 1), which cannot leave before P0 + (maxRequests − 2)·(P + 2·dmin).
      const noCloseBeforeF = F < P0 + (V1_CONSTANTS.httpMaxKeepAliveRequests - 2) * (P + 2 * d.min);
      if (s2c && kept && !lossy && noCloseBeforeF && F > firstSent) return { lowerMs: 0, upperMs };
      const lowerMs = F > firstSent ? -(P + legs * d.max) : 3 * d.min - F;
      return { lowerMs, upperMs };
    }
    case 'beat-error': {
      if (s.beatLoopSurvivesErrors && weak === null) return survivedError(F, s, d);
      if (weak !== null) return noBound(`${weak}: false removals are possible, and the beat in flight may spend its retries`);
      // The first beat handled after F kills the loop; its request was heard: before the first
      // beat, P0 after start plus one leg on the register's kept connection or three on a new one.
      if (F <= P0) {
        const legs = firstBeatLegs(s, d);
        return { lowerMs: P0 + legs.min * d.min - F, upperMs: P0 + legs.max * d.max - F };
      }
      return { lowerMs: -d.max, upperMs: P + 3 * d.max };
    }
    default:
      return noBound(`a ${f.kind} fault: the simulation answers it`);
  }
};

/**
 * Removal at R → the last subscriber's view drops the instance, without loss. The push leaves at
 * X ≤ R + 1 s (sooner if the change merges into a push already pending) and lands ≤ dmax later.
 * If at X the subscriber is a zombie (its last list query more than cacheMillis ago: each poll
 * cycle is cacheMillis + 4 one-way latencies, so this happens in a 4-latency window per cycle),
 * the push skips it and its next query, due within 4·dmax, brings the removal ≤ dmax later —
 * unless that poll is refresh-only because another push landed since the previous poll, which
 * costs one more poll cycle. Inside the envelope the only other pushes are the unhealthy mark's,
 * at least C·⌊(D − T)/C⌋ before the removal's (both checks count from the same last beat on the
 * same 5 s grid), and the registration's, about 1 s after start (`earliestRemovalMs`: from start).
 */
export interface StaleAfterRemoval {
  readonly minMs: number;
  readonly maxMs: number;
  /** Which path sets maxMs: the push (or a skipped push and the next poll), or one more refresh-only poll cycle. */
  readonly slowestPath: 'push' | 'poll' | 'refresh-only poll';
}

export const v1StaleAfterRemoval = (
  config: Config,
  clientVersion: Version,
  latency: LatencyEnvelope,
  earliestRemovalMs = Number.POSITIVE_INFINITY,
): StaleAfterRemoval => {
  const s = v1Settings(config, clientVersion);
  const d = envelope(latency);
  const pollCycleMs = s.pushCacheMillis + 4 * d.max;
  if (!s.pushEnabled) return { minMs: d.min, maxMs: pollCycleMs + d.max, slowestPath: 'poll' };
  const markPushGapMs = s.beatTimeoutMs < s.deleteTimeoutMs ? C * Math.floor((s.deleteTimeoutMs - s.beatTimeoutMs) / C) : Number.POSITIVE_INFINITY;
  // The registration's own push (landing ≤ 1 s + 4·dmax after start) counts too when the removal comes early.
  const registrationPushGapMs = earliestRemovalMs - SELF_DELETE - 3 * d.max;
  const refreshOnly = Math.min(markPushGapMs, registrationPushGapMs) < pollCycleMs + d.max;
  const maxMs = V1_CONSTANTS.pushDelayMs + 5 * d.max + (refreshOnly ? pollCycleMs : 0);
  return { minMs: d.min, maxMs, slowestPath: refreshOnly ? 'refresh-only poll' : 'push' };
};

const envelope = (latency: LatencyEnvelope): Envelope => ({ min: usToMs(latency.minUs), max: usToMs(latency.maxUs) });

/**
 * Is a fault-free run inside the envelope where no check can fire? The longest gap between two
 * lastBeat resets (registration → first beat, then beat → beat) must not exceed the timeout.
 */
export const v1SafeEnvelope = (config: Config, clientVersion: Version, latency: LatencyEnvelope): string | null => {
  const s = v1Settings(config, clientVersion);
  const d = envelope(latency);
  if (num(config, 'net.loss') > 0) return 'net.loss > 0: beats can be lost';
  const gapMs = Math.max(s.beatIntervalMs + 3 * d.max - 3 * d.min, s.replyBeatIntervalMs + 4 * d.max);
  const limit = Math.min(s.beatTimeoutMs, s.expireInstance ? s.deleteTimeoutMs : Number.POSITIVE_INFINITY);
  return gapMs > limit ? `the longest gap between beats heard (${gapMs} ms) exceeds the timeout (${limit} ms)` : null;
};

export const v1Bounds = ({ config, clientVersion, latency, faults, instances = 1, servers = 1 }: BoundsInput): V1Bounds => {
  const s = v1Settings(config, clientVersion);
  const d = envelope(latency);
  const weak = v1SafeEnvelope(config, clientVersion, latency);
  const heard = fromLastHeard(s);
  const fault = faults[0];
  if (fault === undefined) {
    const none = (e: Expectation): Expectation =>
      e.kind === 'never' ? e : weak === null ? never('no fault: a live client keeps beating inside the envelope') : noBound(`no fault, but ${weak}`);
    return {
      unhealthyFromLastHeard: heard.unhealthy,
      removedFromLastHeard: heard.removed,
      unhealthyFromFault: none(heard.unhealthy),
      removedFromFault: none(heard.removed),
      staleFromFault: none(heard.removed),
    };
  }
  const window: Heard =
    servers > 1
      ? noBound('several servers: the 1.x cluster (Distro responsibility, proxying, copies) has no analytic window; see docs/models/cluster.md')
      : faults.length > 1
        ? noBound('several faults: the simulation answers it')
        : lastHeard(fault, s, d, weak, num(config, 'net.loss') > 0);
  const heals = (e: Expectation): Expectation =>
    e.kind === 'within' && fault.endUs !== null && usToMs(fault.endUs - fault.startUs) <= e.interval.upperMs
      ? noBound(`${fault.text} heals before the mark is certain: the simulation answers it`)
      : e;
  const fromFault = (e: Expectation): Expectation => {
    if (e.kind !== 'within') return e;
    if ('kind' in window) return window;
    return heals(within(e.interval.lowerMs + window.lowerMs, e.interval.upperMs + window.upperMs));
  };
  const removedFromFault = fromFault(heard.removed);
  const staleInput: StaleInput = { s, config, clientVersion, latency, instances, weak, faultAtMs: usToMs(fault.startUs) };
  return {
    unhealthyFromLastHeard: heard.unhealthy,
    removedFromLastHeard: heard.removed,
    unhealthyFromFault: fromFault(heard.unhealthy),
    removedFromFault,
    staleFromFault: heals(stale(removedFromFault, staleInput)),
  };
};

interface StaleInput {
  readonly s: V1Settings;
  readonly config: Config;
  readonly clientVersion: Version;
  readonly latency: LatencyEnvelope;
  readonly instances: number;
  readonly weak: string | null;
  readonly faultAtMs: number;
}

const stale = (removed: Expectation, { s, config, clientVersion, latency, instances, weak, faultAtMs }: StaleInput): Expectation => {
  if (instances > 1) return noBound('several instances: the unhealthy mark may already hide it, depending on the protect threshold');
  if (removed.kind === 'no-bound') return removed;
  if (weak !== null) return noBound(`${weak}: pushes, polls or the instance itself can be lost before the fault`);
  // Without loss the subscriber lists the instance by the push after the registration (or its first poll at 1 s).
  if (faultAtMs <= V1_CONSTANTS.pushDelayMs + 4 * envelope(latency).max) return noBound('the fault may come before the subscriber first lists the instance');
  // One instance: when it is unhealthy the healthy share is 0 ≤ protectThreshold, so the server
  // returns it as healthy; only its removal takes it out of the consumers' view.
  if (removed.kind === 'never') return never(`${removed.why}; the only instance stays in the consumers' view (protect threshold)`);
  if (s.pushEmptyProtection) return never('namingPushEmptyProtection=true: the consumer ignores the empty list and keeps calling the removed instance');
  const after = v1StaleAfterRemoval(config, clientVersion, latency, faultAtMs + removed.interval.lowerMs);
  return within(removed.interval.lowerMs + after.minMs, removed.interval.upperMs + after.maxMs);
};
