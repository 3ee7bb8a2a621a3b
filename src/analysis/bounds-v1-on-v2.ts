import { type Config, num } from '../models/knob.js';
import { type V1Settings, v1Settings } from '../models/nacos-v1/settings.js';
import { V1_ON_V2_CONSTANTS as K2 } from '../models/nacos-v1/v2-path/defaults.js';
import type { V1OnV2Settings } from '../models/nacos-v1/v2-path/settings.js';
import type { Version } from '../models/version.js';
import type { LatencyEnvelope } from '../sim/latency.js';
import { usToMs } from '../sim/time.js';
import type { BoundsInput, V1Bounds } from './bounds.js';
import { type Envelope, type Expectation, envelope, type Heard, lastHeard, never, noBound, within } from './bounds-v1-heard.js';

/**
 * Bounds for a 1.x client against a 2.x/3.x server's v1 path (src/models/nacos-v1/v2-path/server.ts).
 * The client side — when the last beat heard lies relative to the fault — is the 1.x one
 * (bounds-v1-heard.ts). The server side differs (tag 2.2.3, the same to 3.0.3):
 * - the beat check of the instance's ip:port client runs every C = 5 s (fixed delay) and acts
 *   when now − lastHeartBeatTime > timeout, unhealthy then expired in the same run; the removal
 *   is immediate (no DELETE to itself): unhealthy in (T, T + C], removed in (D, D + C];
 * - the ExpiredClientCleaner (every 5 s from the server's start) removes the client with its
 *   instance once now − lastUpdatedTime > nacos.naming.client.expired.time E (2.0.3+), whatever
 *   the switches: in (E, E + 5 s]. Both clocks are reset by the same beat or registration, so the
 *   removal lies in (min(D, E), min(D + C, E + 5 s)];
 * - the removal is pushed by the push task at the first 100 ms engine tick ≥ 500 ms after it, and
 *   lands within one latency: staleness after the removal is in [dmin, 600 ms + dmax].
 */
const C = K2.beatCheckPeriodMs;
const CLEAN = K2.clientCleanerPeriodMs;
const PUSH_LATEST_MS = K2.pushTaskDelayMs + K2.pushEngineTickMs;

interface Sides {
  readonly s: V1Settings;
  readonly path: V1OnV2Settings;
}

/** Does the beat check act at all? 2.0.2+ skips it with healthCheckEnabled=false; 2.0.0/2.0.1 do not look at the switch. */
const checks = ({ s, path }: Sides): boolean => !(path.switchGatesCheck && !s.healthCheckEnabled);

const removedFromLastHeard = (x: Sides): Expectation => {
  const deletes = checks(x) && x.s.expireInstance;
  const E = x.path.clientExpiredMs;
  const lower = Math.min(deletes ? x.s.deleteTimeoutMs : Number.POSITIVE_INFINITY, E ?? Number.POSITIVE_INFINITY);
  const upper = Math.min(deletes ? x.s.deleteTimeoutMs + C : Number.POSITIVE_INFINITY, E === null ? Number.POSITIVE_INFINITY : E + CLEAN);
  if (Number.isFinite(lower)) return within(lower, upper);
  return never(
    checks(x)
      ? 'nacos.naming.expireInstance=false and a 2.0.0–2.0.2 server (no nacos.naming.client.expired.time): the instance is only marked unhealthy'
      : 'healthCheckEnabled=false and a 2.0.2 server (no nacos.naming.client.expired.time): nothing removes the instance',
  );
};

const unhealthyFromLastHeard = (x: Sides): Expectation => {
  if (!checks(x)) return never('healthCheckEnabled=false: the ip:port client’s beat check is skipped (HealthCheckEnableInterceptor, 2.0.2+)');
  const T = x.s.beatTimeoutMs;
  const D = x.s.deleteTimeoutMs;
  const E = x.path.clientExpiredMs;
  // A removal certain before any check can see the timeout passed leaves nothing to mark.
  if ((x.s.expireInstance && T >= D + C) || (E !== null && E + CLEAN <= T)) return never('the instance is removed before a check can mark it unhealthy');
  if (x.s.expireInstance && T > D) return noBound('delete timeout < heartbeat timeout: marked only if the deleting check also passes the heartbeat timeout');
  if (E !== null && E < T + C) return noBound('the client expiry may remove the instance before the check that would mark it');
  return within(T, T + C);
};

/** The longest gap between two resets of the instance's clocks that no timeout covers, outside which false removals are possible. */
const safeEnvelope = (x: Sides, d: Envelope, loss: number): string | null => {
  if (loss > 0) return 'net.loss > 0: beats can be lost';
  const gapMs = Math.max(x.s.beatIntervalMs + 3 * d.max - 3 * d.min, x.s.replyBeatIntervalMs + 4 * d.max);
  const actsMs = [checks(x) ? x.s.beatTimeoutMs : Number.POSITIVE_INFINITY, checks(x) && x.s.expireInstance ? x.s.deleteTimeoutMs : Number.POSITIVE_INFINITY];
  const limit = Math.min(...actsMs, x.path.clientExpiredMs ?? Number.POSITIVE_INFINITY);
  return gapMs > limit ? `the longest gap between beats heard (${gapMs} ms) exceeds the timeout (${limit} ms)` : null;
};

/** v1SafeEnvelope for a 2.x/3.x server: null inside the envelope, else why not. */
export const v1OnV2SafeEnvelope = (config: Config, clientVersion: Version, serverVersion: Version, latency: LatencyEnvelope): string | null => {
  const s = v1Settings(config, clientVersion, serverVersion);
  return safeEnvelope({ s, path: s.v2Path as V1OnV2Settings }, envelope(latency), num(config, 'net.loss'));
};

const stale = (removed: Expectation, x: Sides, d: Envelope, instances: number, weak: string | null, faultAtMs: number): Expectation => {
  if (instances > 1) return noBound('several instances: the unhealthy mark may already hide it, depending on the protect threshold');
  if (removed.kind === 'no-bound') return removed;
  if (weak !== null) return noBound(`${weak}: pushes, polls or the instance itself can be lost before the fault`);
  if (!x.s.pushEnabled)
    return noBound('pushEnabled=false on a 2.x server: no push task runs, so list answers keep the data the first query built (ServiceStorage.getData)');
  if (faultAtMs <= PUSH_LATEST_MS + 4 * d.max) return noBound('the fault may come before the subscriber first lists the instance');
  // The consumer's own ip:port client is renewed by each poll (every cacheMillis + 4 one-way
  // latencies); the cleaner removes it after max(30 s, cacheMillis) or the client expiry E.
  const pollGapMs = x.s.pushCacheMillis + 4 * d.max;
  const subscriberExpiryMs = Math.min(Math.max(K2.emptyClientExpireMs, x.s.pushCacheMillis), x.path.clientExpiredMs ?? Number.POSITIVE_INFINITY);
  if (subscriberExpiryMs < pollGapMs)
    return noBound(
      `the consumer's ip:port client can expire between its polls (${subscriberExpiryMs} ms < ${pollGapMs} ms): the removal's push may find no subscriber, and its next poll re-subscribes`,
    );
  if (removed.kind === 'never') return never(`${removed.why}; the only instance stays in the consumers' view (protect threshold)`);
  if (x.s.pushEmptyProtection) return never('namingPushEmptyProtection=true: the consumer ignores the empty list and keeps calling the removed instance');
  return within(removed.interval.lowerMs + d.min, removed.interval.upperMs + PUSH_LATEST_MS + d.max);
};

/** The v1 bounds against a 2.x/3.x server (serverVersion ≥ 2.0.0; one server, ephemeral instances). */
export const v1OnV2Bounds = ({ config, clientVersion, serverVersion, latency, faults, instances = 1 }: BoundsInput): V1Bounds => {
  const s = v1Settings(config, clientVersion, serverVersion);
  const x: Sides = { s, path: s.v2Path as V1OnV2Settings };
  const d = envelope(latency);
  const loss = num(config, 'net.loss');
  const weak = safeEnvelope(x, d, loss);
  if (s.beatBodyOtherService) {
    const why = noBound(
      "#12161: the beats' JSON names another service, so ClientBeatProcessorV2 never refreshes the instance: removed (D, D + C] after each registration and re-created by the next beat, fault or none",
    );
    return { unhealthyFromLastHeard: why, removedFromLastHeard: why, unhealthyFromFault: why, removedFromFault: why, staleFromFault: why };
  }
  const heard = s.ephemeral
    ? { unhealthy: unhealthyFromLastHeard(x), removed: removedFromLastHeard(x) }
    : {
        unhealthy: noBound('persistent instance: marked by the server TCP check (HealthCheckTaskV2), which the 2.x path does not model'),
        removed: never('persistent (ephemeral=false) instances are never removed: the beat check and the client expiry skip them'),
      };
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
  const window: Heard = faults.length > 1 ? noBound('several faults: the simulation answers it') : lastHeard(fault, s, d, weak, loss > 0);
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
  return {
    unhealthyFromLastHeard: heard.unhealthy,
    removedFromLastHeard: heard.removed,
    unhealthyFromFault: fromFault(heard.unhealthy),
    removedFromFault,
    staleFromFault: heals(stale(removedFromFault, x, d, instances, weak, usToMs(fault.startUs))),
  };
};
