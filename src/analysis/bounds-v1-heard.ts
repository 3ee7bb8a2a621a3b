import { V1_CONSTANTS } from '../models/nacos-v1/defaults.js';
import type { V1Settings } from '../models/nacos-v1/settings.js';
import type { Fault } from '../sim/faults.js';
import type { LatencyEnvelope } from '../sim/latency.js';
import { rtoMs, TCP_DEFAULTS } from '../sim/tcp-defaults.js';
import { usToMs } from '../sim/time.js';

/**
 * The parts of the v1 bounds that both server generations share: the result types, and when the
 * last beat the server heard lies relative to the fault (the client's side: BeatReactor over the
 * JDK's HTTP, the same against a 1.x or a 2.x/3.x server). Derivations: docs/bounds.md.
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

/** Every input is a whole number of µs, so are the ends: rounding to the µs removes float noise. */
export const toUs = (ms: number): number => (Number.isFinite(ms) ? Math.round(ms * 1000) / 1000 : ms);
export const within = (lowerMs: number, upperMs: number): Expectation => ({ kind: 'within', interval: { lowerMs: toUs(lowerMs), upperMs: toUs(upperMs) } });
export const never = (why: string): Expectation => ({ kind: 'never', why });
export const noBound = (why: string): Expectation => ({ kind: 'no-bound', why });

/** One-way latency envelope in ms. */
export interface Envelope {
  readonly min: number;
  readonly max: number;
}

export const envelope = (latency: LatencyEnvelope): Envelope => ({ min: usToMs(latency.minUs), max: usToMs(latency.maxUs) });

/** When the last lastBeat reset lies relative to the fault at F: [lowerMs, upperMs] in ms from F. */
export type Heard = { readonly lowerMs: number; readonly upperMs: number } | Expectation;

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

/**
 * s2c, the spare kept connection: when the registration's exchange may still be open at the first
 * beat (loss, or 4·dmax ≥ P0: at a tie the beat's timer, armed first, fires first) the beat opens a
 * second connection, and the JDK keeps both idle (KeepAliveCache holds up to 5 per destination and
 * hands out the newest). The older one idles, reusable for the keep-alive timeout (Tomcat's
 * `Keep-Alive: timeout=60`; ClientVector.get refuses one idle longer). After the fault the beats'
 * connection times out reading (its answers are lost) and is discarded; the next beat takes the
 * spare. The spare went idle when its last answer was read, ≤ dmax after F (that answer left before
 * F), so the beat on it leaves ≤ F + dmax + 60 s and is heard ≤ dmax later (plus the request's
 * retransmissions when lossy). Found by the deep bounds property (PROPS_RUNS=100000, case 2,328:
 * P0 = 200 ms, loss 0.195, oneway:s2c@8.963 s, re-registered at 58.8 s through the spare).
 */
const spareUpperMs = (s: V1Settings, d: Envelope, lossy: boolean, retransmitMs: number): number => {
  const spare = s.reusesConnections && (lossy || 4 * d.max >= s.beatIntervalMs);
  return spare ? V1_CONSTANTS.httpKeepAliveTimeoutMs + 2 * d.max + retransmitMs : Number.NEGATIVE_INFINITY;
};

export const lastHeard = (f: Fault, s: V1Settings, d: Envelope, weak: string | null, lossy: boolean): Heard => {
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
      const keptUpperMs = (kept ? P1 : 0) + 2 * d.max + retransmitMs;
      const upperMs = s2c ? Math.max(keptUpperMs, spareUpperMs(s, d, lossy, retransmitMs)) : d.max;
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
