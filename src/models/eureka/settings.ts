import { msToUs } from '../../sim/time.js';
import { bool, type Config, num } from '../knob.js';
import { EUREKA_CONSTANTS as K, EUREKA_KEYS as KEY } from './defaults.js';

/** The Eureka model's view of a resolved configuration, every duration in ms. */
export interface EurekaSettings {
  readonly renewalIntervalMs: number;
  readonly leaseDurationMs: number;
  readonly evictionIntervalMs: number;
  readonly selfPreservation: boolean;
  readonly renewalPercent: number;
  readonly thresholdUpdateIntervalMs: number;
  readonly expectedRenewalIntervalMs: number;
  readonly responseCacheUpdateMs: number;
  readonly readOnlyCache: boolean;
  readonly waitWhenSyncEmptyMs: number;
  readonly openForTrafficCount: number;
  readonly fetchIntervalMs: number;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly heartbeatBackOff: number;
  readonly cacheRefreshBackOff: number;
  /** null: drawn from the run seed. */
  readonly evictionPhaseUs: number | null;
  readonly cachePhaseUs: number | null;
  readonly subscriberPhaseUs: number | null;
}

const seconds = (c: Config, key: string): number => num(c, key) * K.secondMs;
const phaseUs = (c: Config, key: string): number | null => (typeof c[key] === 'number' ? msToUs(c[key] as number) : null);

export const eurekaSettings = (c: Config): EurekaSettings => ({
  renewalIntervalMs: seconds(c, KEY.renewalInterval),
  leaseDurationMs: seconds(c, KEY.leaseDuration),
  evictionIntervalMs: num(c, KEY.evictionInterval),
  selfPreservation: bool(c, KEY.selfPreservation),
  renewalPercent: num(c, KEY.renewalPercent),
  thresholdUpdateIntervalMs: num(c, KEY.thresholdUpdateInterval),
  expectedRenewalIntervalMs: seconds(c, KEY.expectedRenewalInterval),
  responseCacheUpdateMs: num(c, KEY.responseCacheUpdate),
  readOnlyCache: bool(c, KEY.readOnlyCache),
  waitWhenSyncEmptyMs: num(c, KEY.waitWhenSyncEmpty),
  openForTrafficCount: num(c, KEY.openForTrafficCount),
  fetchIntervalMs: seconds(c, KEY.fetchInterval),
  connectTimeoutMs: seconds(c, KEY.connectTimeout),
  readTimeoutMs: seconds(c, KEY.readTimeout),
  heartbeatBackOff: num(c, KEY.heartbeatBackOff),
  cacheRefreshBackOff: num(c, KEY.cacheRefreshBackOff),
  evictionPhaseUs: phaseUs(c, KEY.evictionPhase),
  cachePhaseUs: phaseUs(c, KEY.cachePhase),
  subscriberPhaseUs: phaseUs(c, KEY.subscriberPhase),
});

/**
 * updateRenewsPerMinThreshold: `(int) (expected × (60.0 / expected interval s) × percent)`. The
 * product is taken in Java's order in doubles, then truncated.
 */
export const renewalThreshold = (s: EurekaSettings, expectedClients: number): number =>
  Math.trunc(expectedClients * (K.minuteMs / s.expectedRenewalIntervalMs) * s.renewalPercent);

/** evict(): `registrySize − (int) (registrySize × percent)` leases at most per run. */
export const evictionLimit = (s: EurekaSettings, registrySize: number): number => registrySize - Math.trunc(registrySize * s.renewalPercent);
