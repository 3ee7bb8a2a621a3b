import { LINUX_TCP_SYSCTLS } from '../../sim/tcp-defaults.js';
import type { TcpSysctls } from '../../sim/tcp-settings.js';
import { msToUs } from '../../sim/time.js';
import { costUs } from '../capacity.js';
import { kernelSysctls } from '../kernel-knobs.js';
import { bool, type Config, num, str } from '../knob.js';
import type { Versions } from '../model.js';
import type { SdkKind } from '../sdk/defaults.js';
import { atLeast, compareVersions, parseVersion, type Version } from '../version.js';
import { V2_CAPACITY_KEYS as CAP, V2_CONSTANTS as K, V2_KEYS as KEY, V2_REFERENCE_COSTS_US as REF } from './defaults.js';

/** The v2 model's view of a resolved configuration, with the client and server releases settled. */
export interface V2Settings {
  /** The server hosts' TCP sysctls (stock Linux unless `sim.server.net.ipv4.*` is set): the bounds read them. */
  readonly serverKernel: TcpSysctls;
  // ——— client (RpcClient / GrpcClient, naming) ———
  readonly keepAliveMs: number;
  readonly healthTimeoutMs: number;
  /** Retries after a timed-out attempt: retry + 1 attempts. */
  readonly healthRetry: number;
  /** 2.2.4+: random.nextInt(500) ms sleep before an attempt while more than one retry is left. */
  readonly healthJitter: boolean;
  readonly requestTimeoutMs: number;
  readonly requestRetry: number;
  readonly serverCheckTimeoutMs: number;
  readonly channelKeepAliveMs: number;
  readonly channelKeepAliveTimeoutMs: number;
  readonly negotiationTimeoutMs: number;
  /** 2.3+ client: sends its ability table and, with a 2.3+ server, waits for SetupAck. */
  readonly clientAbilities: boolean;
  readonly redoDelayMs: number;
  /** 2.0.3+: NamingGrpcRedoService (periodic); before: one redo per CONNECTED event. */
  readonly periodicRedo: boolean;
  readonly pushEmptyProtection: boolean;
  /** Consumers poll (UpdateTask): always before 2.1.2, else per namingAsyncQuerySubscribeService (release default: true in 2.1.x, false from 2.2.0). */
  readonly polls: boolean;
  // ——— the client library (src/models/sdk/defaults.ts): the Java client's values unless sdk-go.ts overlays Go's ———
  readonly sdk: SdkKind;
  /** Error codes a health check still counts as healthy, [from, below) (Go: 3xx), or null (Java: success only). */
  readonly healthPassCodes: readonly [number, number] | null;
  /** The reconnect sleeps min(retryTurns + offset, max turns) × unit between failed connects: Java 1, Go 0. */
  readonly reconnectTurnOffset: number;
  /** Every failed try of a request waits min(100, timeout / 3) ms (Go waitReconnect); Java waits only while not connected. */
  readonly sleepAfterRequestError: boolean;
  /** A server request (push, probe) refreshes the idle clock (Java handleServerRequest; Go does not). */
  readonly serverRequestRefreshesActive: boolean;
  /** A server request is answered on the connection it came on (Go) rather than on the current one (Java). */
  readonly answersOnArrivingConnection: boolean;
  /** A healthy re-check after a failed request notifies CONNECTED, so the redo runs again (Go ≥ 2.2.7, #736). */
  readonly recheckNotifiesConnected: boolean;
  /** Go: the provider also subscribes to its own service (sim.client.subscribeSelf). */
  readonly subscribeSelf: boolean;
  // ——— server ———
  /** Outdated-connection ejection (absent in 2.2.0-2.2.4). */
  readonly ejection: boolean;
  readonly probeTimeoutMs: number;
  readonly probeWaitMs: number;
  readonly serverAbilities: boolean;
  readonly pushTaskDelayMs: number;
  readonly pushTaskTimeoutMs: number;
  readonly pushTaskRetryDelayMs: number;
  readonly serverKeepAliveMs: number;
  readonly serverKeepAliveTimeoutMs: number;
  readonly protectThreshold: number;
  readonly pushCacheMillis: number;
  /** First ejector run, ms after the server starts (`sim.ejectorPhase`; auto: ConnectionManager's 1 s). */
  readonly ejectorFirstRunMs: number;
  readonly capacity: V2Capacity;
  /** Clients c2…cN start at a phase drawn over this window (null: one keep-alive period). */
  readonly startSpreadUs: number | null;
}

/** The server's service capacity: gRPC workers and the CPU time of each kind of work (µs; 0 = done at once). */
export interface V2Capacity {
  readonly threads: number;
  readonly healthUs: number;
  readonly registerUs: number;
  readonly queryUs: number;
  readonly pushUs: number;
  readonly probeUs: number;
  /** A push ack or probe answer handled on the gRPC executor. */
  readonly ackUs: number;
  /** Per 1,000 instances in a push, subscribe or query answer. */
  readonly serializePer1000Us: number;
}

const v2Capacity = (c: Config): V2Capacity => ({
  threads: num(c, CAP.threads),
  healthUs: costUs(c, CAP.health, REF.health),
  registerUs: costUs(c, CAP.register, REF.register),
  queryUs: costUs(c, CAP.query, REF.query),
  pushUs: costUs(c, CAP.push, REF.push),
  probeUs: costUs(c, CAP.probe, REF.probe),
  ackUs: costUs(c, CAP.ack, REF.ack),
  serializePer1000Us: costUs(c, CAP.serialize, REF.serializePer1000),
});

/** The work of `perThousandUs` per 1,000 items for `items` items, in whole µs. */
export const perItemsUs = (perThousandUs: number, items: number): number => Math.round((perThousandUs * items) / 1000); // literal-ok: the costs are per 1,000 instances

const inRange = (v: Version, from: string, to: string): boolean =>
  compareVersions(v, parseVersion(from) as Version) >= 0 && compareVersions(v, parseVersion(to) as Version) <= 0;

export const v2Settings = (c: Config, versions: Versions): V2Settings => {
  const client = versions.client;
  const server = versions.server;
  const configurableHealth = atLeast(client, '2.1.2');
  const modern = atLeast(server, '2.3.0');
  const configurableKeepAlive = atLeast(server, '2.2.1');
  return {
    serverKernel: { ...LINUX_TCP_SYSCTLS, ...kernelSysctls(c, 'server') },
    keepAliveMs: configurableHealth ? num(c, KEY.keepAlive) : K.legacyKeepAliveMs,
    healthTimeoutMs: configurableHealth ? num(c, KEY.healthTimeout) : K.legacyHealthTimeoutMs,
    healthRetry: configurableHealth ? num(c, KEY.healthRetry) : 0,
    healthJitter: atLeast(client, '2.2.4'),
    requestTimeoutMs: num(c, KEY.requestTimeout),
    requestRetry: num(c, KEY.requestRetry),
    serverCheckTimeoutMs: num(c, KEY.serverCheckTimeout),
    channelKeepAliveMs: num(c, KEY.channelKeepAlive),
    channelKeepAliveTimeoutMs: num(c, KEY.channelKeepAliveTimeout),
    negotiationTimeoutMs: num(c, KEY.negotiationTimeout),
    clientAbilities: atLeast(client, '2.3.0'),
    redoDelayMs: atLeast(client, '2.3.0') ? num(c, KEY.redoDelay) : K.legacyRedoDelayMs,
    periodicRedo: atLeast(client, '2.0.3'),
    pushEmptyProtection: bool(c, KEY.pushEmptyProtection),
    polls: pollsByDefault(client, str(c, KEY.asyncQuery)),
    sdk: 'java',
    healthPassCodes: null,
    reconnectTurnOffset: K.reconnectSleepTurnOffset,
    sleepAfterRequestError: false,
    serverRequestRefreshesActive: true,
    answersOnArrivingConnection: false,
    recheckNotifiesConnected: false,
    subscribeSelf: false,
    ejection: !inRange(server, '2.2.0', '2.2.4'),
    probeTimeoutMs: modern ? K.probeTimeoutMs : K.probeTimeoutMsBefore23,
    probeWaitMs: modern ? K.probeWaitMs : K.probeWaitMsBefore23,
    serverAbilities: modern,
    pushTaskDelayMs: atLeast(server, '2.0.1') ? num(c, KEY.pushTaskDelay) : K.legacyPushTaskDelayMs,
    pushTaskTimeoutMs: atLeast(server, '2.0.1') ? num(c, KEY.pushTaskTimeout) : K.legacyPushTaskTimeoutMs,
    pushTaskRetryDelayMs: atLeast(server, '2.0.1') ? num(c, KEY.pushTaskRetryDelay) : K.legacyPushTaskRetryDelayMs,
    serverKeepAliveMs: configurableKeepAlive ? num(c, KEY.serverKeepAlive) : K.grpcServerKeepAliveMs,
    serverKeepAliveTimeoutMs: configurableKeepAlive ? num(c, KEY.serverKeepAliveTimeout) : K.grpcServerKeepAliveTimeoutMs,
    protectThreshold: num(c, KEY.protectThreshold),
    pushCacheMillis: num(c, KEY.pushCacheMillis),
    ejectorFirstRunMs: typeof c[KEY.ejectorPhase] === 'number' ? (c[KEY.ejectorPhase] as number) : K.ejectorInitialDelayMs,
    capacity: v2Capacity(c),
    startSpreadUs: typeof c[CAP.startSpread] === 'number' ? msToUs(c[CAP.startSpread] as number) : null,
  };
};

/**
 * ServiceInfoUpdateService: 2.0.0-2.1.1 always poll; from 2.1.2 `namingAsyncQuerySubscribeService`
 * decides, defaulting to true in 2.1.x and to false from 2.2.0 (isAsyncQueryForSubscribeService).
 */
export const pollsByDefault = (client: Version, setting: string): boolean => {
  if (!atLeast(client, '2.1.2')) return true;
  if (setting === 'auto') return !atLeast(client, '2.2.0');
  return setting === 'true';
};

/** Health-check attempts per check. */
export const healthAttempts = (s: V2Settings): number => s.healthRetry + 1;

/** Sleeps before attempts 1 … retry − 2 (the loop sleeps while retries left after decrement > 1). */
export const healthSleeps = (s: V2Settings): number => (s.healthJitter ? Math.max(0, s.healthRetry - 2) : 0); // literal-ok: RpcClient.healthCheck sleeps while reTryTimes > 1 after its decrement

/** Longest single sleep: random.nextInt(500) is at most 499 ms. */
export const HEALTH_SLEEP_MAX_MS = K.healthJitterBoundMs - 1;
