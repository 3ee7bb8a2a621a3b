import { type Config, num } from '../knob.js';
import type { MemberSettings } from '../nacos-v1/cluster-members.js';
import { atLeast, type Version } from '../version.js';
import { V2_CLUSTER_CONSTANTS as K, V2_CLUSTER_KEYS as KEY } from './defaults.js';

/** The 2.x cluster's view of a resolved configuration, with the server release settled. */
export interface V2ClusterSettings {
  readonly clientExpiredMs: number;
  readonly verifyIntervalMs: number;
  readonly verifyTimeoutMs: number;
  readonly syncDelayMs: number;
  readonly syncTimeoutMs: number;
  readonly syncRetryDelayMs: number;
  /** 2.2.0+: a verify carries the client's revision and a stale copy fails it. */
  readonly verifyRevision: boolean;
  readonly members: MemberSettings;
  readonly memberReportTimeoutMs: number;
}

export const v2ClusterSettings = (c: Config, server: Version): V2ClusterSettings => {
  // 2.0.0-2.1.x: GlobalConfig.overrideDistroConfiguration replaces the sync delay and retry with
  // the 1.x keys (taskDispatchPeriod 2 s, syncRetryDelay 5 s); 2.2.0 dropped the override.
  const modernSync = atLeast(server, '2.2.0');
  return {
    clientExpiredMs: atLeast(server, '2.0.3') ? num(c, KEY.clientExpiredTime) : K.legacyClientExpiredMs,
    verifyIntervalMs: atLeast(server, '2.0.1') ? num(c, KEY.verifyInterval) : K.legacyVerifyIntervalMs,
    verifyTimeoutMs: num(c, KEY.verifyTimeout),
    syncDelayMs: modernSync ? num(c, KEY.syncDelay) : num(c, KEY.legacySyncDelay),
    syncTimeoutMs: num(c, KEY.syncTimeout),
    syncRetryDelayMs: modernSync ? num(c, KEY.syncRetryDelay) : num(c, KEY.legacySyncRetryDelay),
    verifyRevision: modernSync,
    members: {
      reportPeriodMs: K.memberReportPeriodMs,
      reportInitialDelayMs: K.memberReportInitialDelayMs,
      failAccessCnt: num(c, KEY.failAccessCnt),
      downOnRefused: false,
    },
    memberReportTimeoutMs: K.memberReportTimeoutMs,
  };
};
