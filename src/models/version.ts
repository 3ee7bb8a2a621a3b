/** Nacos release numbers (`1.4.8`, `2.2.3`, `2.3.0-BETA`) compared numerically, part by part. */
export type Version = readonly [number, number, number];

const FORM = /^(\d+)\.(\d+)\.(\d+)(?:[-.][A-Za-z0-9.]+)?$/;

export const parseVersion = (text: string): Version | null => {
  const m = FORM.exec(text.trim());
  return m === null ? null : [Number(m[1]), Number(m[2]), Number(m[3])];
};

export const compareVersions = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

export const atLeast = (v: Version, text: string): boolean => compareVersions(v, parseVersion(text) as Version) >= 0;

export const formatVersion = (v: Version): string => v.join('.');

export const inRange = (v: Version, from: string, to: string): boolean =>
  compareVersions(v, parseVersion(from) as Version) >= 0 && compareVersions(v, parseVersion(to) as Version) <= 0;

/**
 * The newest Nacos release verified in the mirror of github:alibaba/nacos (tags up to 3.0.3;
 * develop is 3.1.0-SNAPSHOT, not a release). Its liveness code equals 2.5.1's on both paths:
 * `git diff 2.5.1 3.0.3` over the gRPC files (RpcClient, GrpcClient, NamingGrpcRedoService,
 * NacosRuntimeConnectionEjector, ConnectionManager, ConnectionBasedClientManager, the push tasks)
 * and the v1 files (IpPortBasedClient, EphemeralIpPortClientManager, the beat checkers,
 * InstanceOperatorClientImpl) changes log text, metrics, event types and signatures only.
 */
export const LATEST_SERVER_RELEASE = '3.0.3';

/** The 1.x server livesim models when no server release is given: the last 1.x tag. */
export const LAST_1X_RELEASE: Version = [1, 4, 8];
