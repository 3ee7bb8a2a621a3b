import { type Config, num } from '../models/knob.js';
import { V1_CONSTANTS } from '../models/nacos-v1/defaults.js';
import { type V1Settings, v1Settings } from '../models/nacos-v1/settings.js';
import { atLeast, type Version } from '../models/version.js';
import type { Fault } from '../sim/faults.js';
import type { LatencyEnvelope } from '../sim/latency.js';
import { usToMs } from '../sim/time.js';
import { type Expectation, envelope, type Heard, lastHeard, never, noBound, within } from './bounds-v1-heard.js';
import { v1OnV2Bounds, v1OnV2SafeEnvelope } from './bounds-v1-on-v2.js';

export type { Expectation, Interval } from './bounds-v1-heard.js';

/**
 * Analytic bounds on when a Nacos 1.x server notices a dead client, in the style of
 * Chen–Toueg–Aguilera's heartbeat analysis: a periodic sweeper with timeout T and period C
 * acts in (T, T + C] after the last heartbeat heard; measured from the fault, the last heartbeat
 * lies up to one beat cycle (its round trips included) before the fault or up to one or two
 * one-way latencies after it. Every term is read off the model code (src/models/nacos-v1) and
 * the Nacos source it follows; derivations and source lines: docs/bounds.md.
 */

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
  /** Consumers; default 1 (a gossip model counts them as members). */
  readonly subscribers?: number;
  /** The server release; default a 1.x server. A 2.x/3.x server's v1 path: bounds-v1-on-v2.ts. */
  readonly serverVersion?: Version;
}

const C = V1_CONSTANTS.beatCheckPeriodMs;
const SELF_DELETE = V1_CONSTANTS.selfDeleteMs;

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

/**
 * Is a fault-free run inside the envelope where no check can fire? The longest gap between two
 * lastBeat resets (registration → first beat, then beat → beat) must not exceed the timeout.
 */
export const v1SafeEnvelope = (config: Config, clientVersion: Version, latency: LatencyEnvelope, serverVersion?: Version): string | null => {
  if (serverVersion !== undefined && atLeast(serverVersion, '2.0.0')) return v1OnV2SafeEnvelope(config, clientVersion, serverVersion, latency);
  const s = v1Settings(config, clientVersion);
  const d = envelope(latency);
  if (num(config, 'net.loss') > 0) return 'net.loss > 0: beats can be lost';
  const gapMs = Math.max(s.beatIntervalMs + 3 * d.max - 3 * d.min, s.replyBeatIntervalMs + 4 * d.max);
  const limit = Math.min(s.beatTimeoutMs, s.expireInstance ? s.deleteTimeoutMs : Number.POSITIVE_INFINITY);
  return gapMs > limit ? `the longest gap between beats heard (${gapMs} ms) exceeds the timeout (${limit} ms)` : null;
};

export const v1Bounds = (input: BoundsInput): V1Bounds => {
  if (input.serverVersion !== undefined && atLeast(input.serverVersion, '2.0.0')) return v1OnV2Bounds(input);
  const { config, clientVersion, latency, faults, instances = 1, servers = 1 } = input;
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
