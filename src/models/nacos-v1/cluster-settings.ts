import { type Config, num, str } from '../knob.js';
import type { MemberSettings } from './cluster-members.js';
import { V1_CLUSTER_CONSTANTS as K, V1_CLUSTER_KEYS as KEY } from './defaults.js';

/** The 1.x cluster's view of a resolved configuration. */
export interface V1ClusterSettings {
  /** What DistroMapper hashes: groupName@@serviceName. */
  readonly serviceTag: string;
  /** Each of the two Distro delays: taskDispatchPeriod / 2. */
  readonly syncStageMs: number;
  readonly syncRetryDelayMs: number;
  readonly statusSyncPeriodMs: number;
  readonly members: MemberSettings;
}

/** Constants.DEFAULT_GROUP and Constants.SERVICE_INFO_SPLITER, as DistroFilter joins them. */
const GROUPED = (service: string): string => (service.includes('@@') ? service : `DEFAULT_GROUP@@${service}`);

export const v1ClusterSettings = (c: Config): V1ClusterSettings => ({
  serviceTag: GROUPED(str(c, KEY.serviceName)),
  syncStageMs: num(c, KEY.taskDispatchPeriod) / 2, // literal-ok: taskDispatchPeriod / 2 (DistroConsistencyServiceImpl.put)
  syncRetryDelayMs: num(c, KEY.syncRetryDelay),
  statusSyncPeriodMs: num(c, KEY.statusSyncPeriod),
  members: {
    reportPeriodMs: K.memberReportPeriodMs,
    reportInitialDelayMs: K.memberReportInitialDelayMs,
    failAccessCnt: num(c, KEY.failAccessCnt),
    downOnRefused: true,
  },
});
