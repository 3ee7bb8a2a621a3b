import { num } from '../models/knob.js';
import { V2_CONSTANTS as K } from '../models/nacos-v2/defaults.js';
import { v2ConsumerSettings, v2ProviderSettings } from '../models/nacos-v2/sdk-go.js';
import { HEALTH_SLEEP_MAX_MS, healthAttempts, healthSleeps, type V2Settings } from '../models/nacos-v2/settings.js';
import type { Version } from '../models/version.js';
import type { Fault } from '../sim/faults.js';
import type { LatencyEnvelope } from '../sim/latency.js';
import { usToMs } from '../sim/time.js';
import type { BoundsInput, Expectation, Interval } from './bounds.js';
import { type Envelope, EPS, envelope, idleGapMs, lastHeard, silentFromFault, v2SilentRemoval, within } from './bounds-v2-silent.js';

export { v2SilentRemoval } from './bounds-v2-silent.js';

/**
 * Analytic bounds for the Nacos 2.x model, read off its code (src/models/nacos-v2) and the Nacos
 * source it follows. An ephemeral gRPC instance lives as long as the server's connection:
 *   - a close that reaches the server (crash → FIN, rst) removes it one one-way latency later;
 *   - a silent connection (cut, a frozen client) is probed by the ejector once it has been quiet
 *     for 20 s: the run that notices it comes at the first tick ≥ lastHeard + 20 s (ticks 3 s
 *     apart while nothing else is probed), and it unregisters the connection when the probe
 *     times out: removal − lastHeard ∈ [20 s + P, 23 s + P) with P the probe timeout (1 s in
 *     2.0/2.1, 5 s from 2.3); 2.2.0-2.2.4 have no ejection, only the gRPC server keep-alive:
 *     exactly keep-alive time + timeout after the last message read;
 *   - the client notices a dead path at its next idle health check: the last good one ended at
 *     C ≤ F + dmax, the next starts keep-alive K later, sleeps (2.2.4+) and times out A times H.
 * Intervals are in ms, lower bound exclusive, upper inclusive; a closed lower end x is written
 * x − 1 µs.
 */

export interface V2BoundsInput extends BoundsInput {
  readonly serverVersion: Version;
}

export interface V2Bounds {
  /** gRPC instances are never marked unhealthy: always `never`. */
  readonly unhealthyFromLastHeard: Expectation;
  readonly removedFromLastHeard: Expectation;
  readonly unhealthyFromFault: Expectation;
  readonly removedFromFault: Expectation;
  /** Fault → the last subscriber's usable view drops the instance. */
  readonly staleFromFault: Expectation;
  /** Fault → the client records `client.detected`. */
  readonly clientDetectedFromFault: Expectation;
  /** Removal → the last subscriber's view drops it: push delay + engine tick + latency. */
  readonly staleFromRemoval: Expectation;
  /** The client's new connection (`client.connected`) → its instance registered again by the redo. */
  readonly reRegisteredFromReconnect: Expectation;
}

const never = (why: string): Expectation => ({ kind: 'never', why });
const noBound = (why: string): Expectation => ({ kind: 'no-bound', why });
const plus = (e: Expectation, i: Interval): Expectation => (e.kind === 'within' ? within(e.interval.lowerMs + i.lowerMs, e.interval.upperMs + i.upperMs) : e);

/**
 * The longest a live client can stay silent when its lastActiveTimeStamp was refreshed off its poll
 * grid (after the registration at start-up, or by a server request such as a probe): the poll that
 * follows sees less than a keep-alive of idleness and waits one more (RpcClient.start's event loop).
 */
const startGapMs = (s: V2Settings, d: Envelope): number => idleGapMs(s, d) + s.keepAliveMs;

/**
 * Why the removal does not follow the window from the last message heard (or null): the silent
 * faults' caveats (silentCaveat), and, without an ejector, a gRPC server keep-alive shorter than the
 * client's longest idle gap (at start-up: two keep-alives), which PINGs the live client and counts
 * from the last PING answer read.
 */
const lastHeardCaveat = (s: V2Settings, d: Envelope): string | null => {
  const caveat = silentCaveat(s, d);
  if (caveat !== null) return caveat;
  if (!s.ejection && s.serverKeepAliveMs < startGapMs(s, d))
    return "gRPC server keep-alive shorter than the client's idle gap: it counts from the last PING answer";
  return null;
};

const silentFromHeard = (s: V2Settings, d: Envelope, latency: LatencyEnvelope): Expectation => {
  const caveat = lastHeardCaveat(s, d);
  return caveat === null ? v2SilentRemoval(s, latency) : noBound(caveat);
};

/**
 * Client side: the health-check delay once the path is dead, from the fault. The last good check
 * ended by F + dmax (its answer left before F), or by F + 2·dmax when only client→server is cut
 * (a request that left before F still gets its answer): `responsesPass`. The failing check's first
 * attempt left ≥ F − dmax (its answer, the first one lost, left at or after F) — or, when responses
 * pass, at or after F itself (an attempt that left before F is answered): lower end A·H − dmax, or
 * A·H (closed: an attempt sent on F's microsecond is lost).
 */
export const v2ClientDetection = (s: V2Settings, latency: LatencyEnvelope, responsesPass = false): Interval => {
  const d = envelope(latency);
  const attemptsMs = healthAttempts(s) * s.healthTimeoutMs;
  const sleepsMs = healthSleeps(s) * HEALTH_SLEEP_MAX_MS;
  const lastGoodMs = (responsesPass ? 2 : 1) * d.max;
  const firstLostMs = responsesPass ? 0 : d.max;
  return { lowerMs: attemptsMs - firstLostMs - EPS, upperMs: lastGoodMs + s.keepAliveMs + sleepsMs + attemptsMs };
};

/**
 * Removal → the subscriber's view: the push runs at the first 100 ms engine tick ≥ removal + delay
 * (when the removal is the only change within one push delay before it). A consumer that polls
 * may learn it sooner: a query that lands after the removal answers ≥ one latency later.
 */
export const v2PushWindow = (s: V2Settings, latency: LatencyEnvelope): Interval => {
  const d = envelope(latency);
  const upperMs = s.pushTaskDelayMs + K.pushEngineTickMs + d.max;
  return { lowerMs: (s.polls ? 0 : s.pushTaskDelayMs) + d.min - EPS, upperMs };
};

/** Reconnected → re-registered: the next redo tick (≤ redo delay later, 2.0.3+) or at once (one-shot redo). */
export const v2RedoWindow = (s: V2Settings, latency: LatencyEnvelope): Interval => {
  const d = envelope(latency);
  return { lowerMs: d.min - EPS, upperMs: (s.periodicRedo ? s.redoDelayMs : 0) + d.max };
};

/**
 * c2s with ejection: the server's probe and then its FIN (the unregister) do reach the client. The
 * FIN lands ≥ lastHeard + 20 s + P + dmin, which may come before the health check gives up and
 * then ends it sooner ('stream-closed'). A probe landing before the tick that starts the failing
 * check would postpone that check by a keep-alive (a server request refreshes lastActiveTimeStamp):
 * that needs keep-alive ≥ 20 s − dmax, and then there is no simple bound.
 */
const c2sDetection = (s: V2Settings, d: Envelope, health: Interval, heard: Interval, latency: LatencyEnvelope): Expectation => {
  if (s.keepAliveMs >= K.idleLimitMs - d.max) return noBound('keep-alive ≥ the idle limit: the server probe postpones the health check');
  const silent = v2SilentRemoval(s, latency);
  const finLowerMs = silent.kind === 'within' ? heard.lowerMs + silent.interval.lowerMs + d.min : health.lowerMs;
  return within(Math.min(health.lowerMs, finLowerMs), health.upperMs);
};

export const v2Bounds = (input: V2BoundsInput): V2Bounds => {
  const s = v2ProviderSettings(input.config, { client: input.clientVersion, server: input.serverVersion });
  const d = envelope(input.latency);
  const notMarked = never('gRPC ephemeral instances are never marked unhealthy: they are present or removed');
  // The consumers' own library decides what an empty list does (the Java client's, or nacos-sdk-go's cache).
  const c = v2ConsumerSettings(input.config, { client: input.clientVersion, server: input.serverVersion });
  const pushAfter =
    (input.instances ?? 1) === 1 && c.pushEmptyProtection
      ? never(
          c.sdk === 'go'
            ? 'nacos-sdk-go consumer with UpdateCacheWhenEmpty=false: it drops the empty list and keeps the removed instance'
            : 'namingPushEmptyProtection=true: the consumer ignores the empty list and keeps the removed instance',
        )
      : within(v2PushWindow(c, input.latency).lowerMs, v2PushWindow(c, input.latency).upperMs);
  const redo = v2RedoWindow(s, input.latency);
  const base = {
    unhealthyFromLastHeard: notMarked,
    unhealthyFromFault: notMarked,
    staleFromRemoval: pushAfter,
    reRegisteredFromReconnect: within(redo.lowerMs, redo.upperMs),
  };
  const fault = input.faults[0];
  if (fault === undefined) {
    const none = never('no fault: a live connection keeps the instance');
    return { ...base, removedFromLastHeard: silentFromHeard(s, d, input.latency), removedFromFault: none, staleFromFault: none, clientDetectedFromFault: none };
  }
  // Once a fault heals, a probe of a connection the client has given up may meet a reset at once.
  const probeReset = (e: Expectation): Expectation =>
    fault.endUs !== null && s.ejection && e.kind === 'within' ? within(K.idleLimitMs + 2 * d.min - EPS, e.interval.upperMs) : e;
  const why = unbounded(input, fault, s);
  if (why !== null) {
    const nb = noBound(why);
    return {
      ...base,
      removedFromLastHeard: probeReset(silentFromHeard(s, d, input.latency)),
      removedFromFault: nb,
      staleFromFault: nb,
      clientDetectedFromFault: nb,
    };
  }
  const { removedFromLastHeard, removedFromFault, clientDetectedFromFault } = byFault(fault, s, d, input.latency);
  const heals = (e: Expectation): Expectation =>
    e.kind === 'within' && fault.endUs !== null && usToMs(fault.endUs - fault.startUs) <= e.interval.upperMs
      ? noBound(`${fault.text} heals before it is certain: the simulation answers it`)
      : e;
  const removed = heals(removedFromFault);
  return {
    ...base,
    removedFromLastHeard: probeReset(removedFromLastHeard),
    removedFromFault: removed,
    staleFromFault: fault.kind === 'rst' && removed.kind === 'within' ? reconnectsFirst : staleAfter(removed, pushAfter),
    clientDetectedFromFault: heals(clientDetectedFromFault),
  };
};

const staleAfter = (removed: Expectation, pushAfter: Expectation): Expectation =>
  pushAfter.kind === 'within' ? plus(removed, pushAfter.interval) : removed.kind === 'within' ? pushAfter : removed;

/**
 * A reset leaves the client alive: it reconnects within a few round trips and its redo task may
 * re-register the instance (at its next tick, 0 to redoDelay after the connect; at once before
 * 2.0.3) before the push that carries the removal runs (pushTaskDelay + up to one engine tick
 * after it). The push then lists the instance again and the subscriber never sees it go.
 */
const reconnectsFirst = noBound('the client reconnects and its redo may re-register the instance before the push runs: the subscriber may never see it go');

/** Settings and fault shapes the analysis does not cover (the simulation answers them). */
const unbounded = (input: V2BoundsInput, fault: Fault, s: V2Settings): string | null => {
  if ((input.servers ?? 1) > 1) return 'several servers: the cluster windows are v2ClusterBounds (bounds-cluster.ts)';
  if (input.faults.length > 1) return 'several faults: the simulation answers it';
  if (num(input.config, 'net.loss') > 0) return 'net.loss > 0: retransmissions delay every step';
  const dMaxMs = usToMs(input.latency.maxUs);
  const answerWithinMs = Math.min(s.healthTimeoutMs, s.probeTimeoutMs, s.serverKeepAliveTimeoutMs, s.channelKeepAliveTimeoutMs);
  if (2 * dMaxMs >= answerWithinMs || 4 * dMaxMs >= s.serverCheckTimeoutMs) {
    return 'a round trip can outlast a health-check, probe, PING or connect timeout: checks fail without a fault';
  }
  // Connected and registered by the server-check timeout plus a round trip; the first health check
  // then comes up to a start gap (two keep-alives, the first sleep, round trips) after that.
  const d = envelope(input.latency);
  const steadyMs = s.serverCheckTimeoutMs + 2 * d.max + startGapMs(s, d);
  if (usToMs(fault.startUs) <= steadyMs) return `the fault hits the start-up phase (before ${steadyMs} ms): the health-check rhythm is not settled`;
  return null;
};

interface ByFault {
  readonly removedFromLastHeard: Expectation;
  readonly removedFromFault: Expectation;
  readonly clientDetectedFromFault: Expectation;
}

const byFault = (f: Fault, s: V2Settings, d: Envelope, latency: LatencyEnvelope): ByFault => {
  const closeSeen = within(d.min - EPS, d.max);
  const followsClose = noBound('the removal follows the close, not the silence');
  const detect = v2ClientDetection(s, latency, f.kind === 'oneway' && f.direction === 'c2s');
  switch (f.kind) {
    case 'crash':
      // The OS sends a FIN at F; it lands after one one-way latency.
      return { removedFromLastHeard: followsClose, removedFromFault: closeSeen, clientDetectedFromFault: never('the client process is dead') };
    case 'rst':
      return { removedFromLastHeard: followsClose, removedFromFault: closeSeen, clientDetectedFromFault: closeSeen };
    case 'cut':
    case 'oneway':
    case 'pause': {
      const caveat = silentCaveat(s, d);
      if (caveat !== null) {
        const nb = noBound(caveat);
        return { removedFromLastHeard: silentFromHeard(s, d, latency), removedFromFault: nb, clientDetectedFromFault: nb };
      }
      // s2c: the client's own close (its FIN) waits in Loss behind the request it retransmits: it never reaches the server.
      const s2c = f.kind === 'oneway' && f.direction === 's2c';
      const heard = lastHeard(f, s, d);
      let clientDetected = within(detect.lowerMs, detect.upperMs);
      if (f.kind === 'pause') clientDetected = noBound('a frozen client notices nothing until it resumes');
      else if (f.kind === 'oneway' && f.direction === 'c2s') clientDetected = c2sDetection(s, d, detect, heard, latency);
      return {
        removedFromLastHeard: silentFromHeard(s, d, latency),
        removedFromFault: silentFromFault(s, d, heard, s2c),
        clientDetectedFromFault: clientDetected,
      };
    }
    default: {
      const nb = noBound(`a ${f.kind} fault: the simulation answers it`);
      return { removedFromLastHeard: silentFromHeard(s, d, latency), removedFromFault: nb, clientDetectedFromFault: nb };
    }
  }
};

/**
 * Silent faults the analysis does not cover (or null): a client probed while alive (its checks are
 * postponed by each probe, up to two keep-alives apart), or a gRPC server keep-alive that can close
 * the silent connection before the ejector's latest removal (20 s + 3 s + P after the last message).
 */
const silentCaveat = (s: V2Settings, d: Envelope): string | null => {
  if (s.ejection && startGapMs(s, d) >= K.idleLimitMs)
    return '2 × keep-alive + sleep + round trip ≥ the 20 s idle limit: the live client may be probed, and each probe postpones its health check';
  if (s.ejection && s.serverKeepAliveMs + s.serverKeepAliveTimeoutMs < K.idleLimitMs + K.ejectorPeriodMs + s.probeTimeoutMs) {
    return 'the gRPC server keep-alive can close a silent connection before the ejector';
  }
  return null;
};
