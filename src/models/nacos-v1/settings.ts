import { msToUs } from '../../sim/time.js';
import { costUs } from '../capacity.js';
import { bool, type Config, num, str } from '../knob.js';
import { atLeast, LAST_1X_RELEASE, type Version } from '../version.js';
import { V1_CAPACITY_KEYS as CAP, V1_KEYS as KEY, V1_REFERENCE_COSTS_US as REF, V1_KNOBS } from './defaults.js';
import { type BeatSender, V1_ON_V2_KEYS as V2P } from './v2-path/defaults.js';
import { type V1OnV2Settings, v1OnV2Settings } from './v2-path/settings.js';

/** The v1 model's view of a resolved configuration, with units and version behaviour settled. */
export interface V1Settings {
  readonly beatIntervalMs: number;
  readonly beatTimeoutMs: number;
  readonly deleteTimeoutMs: number;
  readonly ephemeral: boolean;
  readonly expireInstance: boolean;
  readonly healthCheckEnabled: boolean;
  readonly lightBeatEnabled: boolean;
  readonly clientBeatIntervalMs: number;
  /** What the beat reply tells the client: the instance's own interval if its metadata sets one. */
  readonly replyBeatIntervalMs: number;
  readonly protectThreshold: number;
  readonly pushEmptyProtection: boolean;
  readonly pushEnabled: boolean;
  readonly pushCacheMillis: number;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  /** null: the service is created by c1's registration. */
  readonly checkPhaseUs: number | null;
  /** 1.4.2+ (#5291): the beat loop reschedules in `finally`, so a runtime exception does not kill it. */
  readonly beatLoopSurvivesErrors: boolean;
  /** 1.2.0+: light beats and the client's re-register on 20404. */
  readonly reRegistersOnNotFound: boolean;
  /** 1.2.0+: the HTTP client reads and closes the response stream (the JDK keeps the connection); 1.1.x disconnects. */
  readonly reusesConnections: boolean;
  /** NamingProxy.reqApi with a single server: maxRetry tries back to back. */
  readonly singleServerTries: number;
  readonly capacity: V1Capacity;
  /** Clients c2…cN start at a phase drawn over this window (null: one beat interval). */
  readonly startSpreadUs: number | null;
  /** c1's beats come from a script calling the open API (sim.beatSender), not from BeatReactor. */
  readonly openApiScript: boolean;
  /** …and its beat JSON names another service than the URL (#12161). */
  readonly beatBodyOtherService: boolean;
  /** A 2.x/3.x server: its v1 HTTP path (v2-path/server.ts); null: a 1.x server. */
  readonly v2Path: V1OnV2Settings | null;
}

/** The server's service capacity: workers per pool and the CPU time of each kind of work (µs; 0 = done at once). */
export interface V1Capacity {
  readonly threads: number;
  readonly healthThreads: number;
  readonly beatUs: number;
  readonly beatProcessUs: number;
  /** Per 1,000 instances of the service walked. */
  readonly scanPer1000Us: number;
  readonly registerUs: number;
  readonly queryUs: number;
  readonly pushUs: number;
  /** Per 1,000 instances in a push or a list answer. */
  readonly serializePer1000Us: number;
}

const v1Capacity = (c: Config): V1Capacity => ({
  threads: num(c, CAP.threads),
  healthThreads: num(c, CAP.healthThreads),
  beatUs: costUs(c, CAP.beat, REF.beat),
  beatProcessUs: costUs(c, CAP.beatProcess, REF.beatProcess),
  scanPer1000Us: costUs(c, CAP.scan, REF.scanPer1000),
  registerUs: costUs(c, CAP.register, REF.register),
  queryUs: costUs(c, CAP.query, REF.query),
  pushUs: costUs(c, CAP.push, REF.push),
  serializePer1000Us: costUs(c, CAP.serialize, REF.serializePer1000),
});

/** The work of `perThousandUs` per 1,000 items for `items` items, in whole µs. */
export const perItemsUs = (perThousandUs: number, items: number): number => Math.round((perThousandUs * items) / 1000); // literal-ok: the costs are per 1,000 instances

const defaultOf = (key: string): unknown => V1_KNOBS.find((k) => k.key === key)?.default;

/** The 1.x server (1.4.8) unless `server` names a 2.x or 3.x release. */
export const v1Settings = (c: Config, client: Version, server: Version = LAST_1X_RELEASE): V1Settings => {
  const beatIntervalMs = num(c, KEY.beatInterval);
  const metadataSetsInterval = beatIntervalMs !== defaultOf(KEY.beatInterval);
  // An open-API script beats like a 1.1.x client (full beats, a new connection each, no 20404
  // handling) at its own fixed period: the server's clientBeatInterval is not read.
  const sender = str(c, V2P.beatSender) as BeatSender;
  const script = sender !== 'java';
  const phase = c[KEY.checkPhase];
  return {
    beatIntervalMs,
    beatTimeoutMs: num(c, KEY.beatTimeout),
    deleteTimeoutMs: num(c, KEY.deleteTimeout),
    ephemeral: bool(c, KEY.ephemeral),
    expireInstance: bool(c, KEY.expireInstance),
    healthCheckEnabled: bool(c, KEY.healthCheckEnabled),
    lightBeatEnabled: bool(c, KEY.lightBeatEnabled),
    clientBeatIntervalMs: num(c, KEY.clientBeatInterval),
    replyBeatIntervalMs: script || metadataSetsInterval ? beatIntervalMs : num(c, KEY.clientBeatInterval),
    protectThreshold: num(c, KEY.protectThreshold),
    pushEmptyProtection: bool(c, KEY.pushEmptyProtection),
    pushEnabled: bool(c, KEY.pushEnabled),
    pushCacheMillis: num(c, KEY.pushCacheMillis),
    connectTimeoutMs: num(c, KEY.connectTimeout),
    readTimeoutMs: num(c, KEY.readTimeout),
    checkPhaseUs: typeof phase === 'number' ? msToUs(phase) : null,
    beatLoopSurvivesErrors: atLeast(client, '1.4.2'),
    reRegistersOnNotFound: !script && atLeast(client, '1.2.0'),
    reusesConnections: !script && atLeast(client, '1.2.0'),
    openApiScript: script,
    beatBodyOtherService: sender === 'openapi-other-service',
    singleServerTries: num(c, KEY.maxRetry),
    capacity: v1Capacity(c),
    startSpreadUs: typeof c[CAP.startSpread] === 'number' ? msToUs(c[CAP.startSpread] as number) : null,
    v2Path: v1OnV2Settings(c, server),
  };
};
