import { msToUs } from '../../sim/time.js';
import { type Config, num } from '../knob.js';
import { atLeast, type Version } from '../version.js';
import { K8S_CONSTANTS as K, K8S_KEYS as KEY } from './defaults.js';

/** The release whose kube-controller-manager defaults node-monitor-grace-period to 50 s (PR #126287). */
export const GRACE_50S_FROM = '1.32.0';
/** NodeMonitorGracePeriod before and from that release. */
const GRACE_BEFORE_MS = 40_000; // literal-ok: defaults.go at v1.31.0, 40 * time.Second
const GRACE_FROM_MS = 50_000; // literal-ok: defaults.go at v1.32.0, 50 * time.Second

/** The Kubernetes model's view of a resolved configuration, every duration in ms. */
export interface K8sSettings {
  readonly leaseDurationMs: number;
  /** leaseDuration × 0.25. */
  readonly renewIntervalMs: number;
  /** The heartbeat client's timeout: min(nodeStatusUpdateFrequency, lease duration). */
  readonly heartbeatTimeoutMs: number;
  readonly monitorPeriodMs: number;
  readonly graceMs: number;
  readonly evictionRate: number;
  readonly secondaryEvictionRate: number;
  readonly unhealthyZoneThreshold: number;
  readonly largeClusterThreshold: number;
  readonly tolerationMs: number;
  readonly endpointBatchMs: number;
  readonly probePeriodMs: number;
  readonly probeTimeoutMs: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
  readonly proxyMinSyncMs: number;
  readonly watchDelayMs: number;
  /** null: drawn from the run seed. */
  readonly monitorPhaseUs: number | null;
  readonly probePhaseUs: number | null;
}

const seconds = (c: Config, key: string): number => num(c, key) * K.secondMs;
const phaseUs = (c: Config, key: string): number | null => (typeof c[key] === 'number' ? msToUs(c[key] as number) : null);

/** node-monitor-grace-period when not set: the controller manager's release decides. */
export const defaultGraceMs = (server: Version): number => (atLeast(server, GRACE_50S_FROM) ? GRACE_FROM_MS : GRACE_BEFORE_MS);

export const k8sSettings = (c: Config, server: Version): K8sSettings => {
  const leaseDurationMs = seconds(c, KEY.leaseDuration);
  return {
    leaseDurationMs,
    renewIntervalMs: leaseDurationMs * K.renewIntervalFraction,
    heartbeatTimeoutMs: Math.min(num(c, KEY.statusUpdateFrequency), leaseDurationMs),
    monitorPeriodMs: num(c, KEY.monitorPeriod),
    graceMs: typeof c[KEY.monitorGrace] === 'number' ? (c[KEY.monitorGrace] as number) : defaultGraceMs(server),
    evictionRate: num(c, KEY.evictionRate),
    secondaryEvictionRate: num(c, KEY.secondaryEvictionRate),
    unhealthyZoneThreshold: num(c, KEY.unhealthyZoneThreshold),
    largeClusterThreshold: num(c, KEY.largeClusterThreshold),
    tolerationMs: seconds(c, KEY.tolerationSeconds),
    endpointBatchMs: num(c, KEY.endpointBatchPeriod),
    probePeriodMs: seconds(c, KEY.probePeriod),
    probeTimeoutMs: seconds(c, KEY.probeTimeout),
    failureThreshold: num(c, KEY.probeFailureThreshold),
    successThreshold: num(c, KEY.probeSuccessThreshold),
    proxyMinSyncMs: num(c, KEY.proxyMinSync),
    watchDelayMs: num(c, KEY.watchDelay),
    monitorPhaseUs: phaseUs(c, KEY.monitorPhase),
    probePhaseUs: phaseUs(c, KEY.probePhase),
  };
};
