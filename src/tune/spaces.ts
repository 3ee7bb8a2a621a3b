import { V1_KEYS } from '../models/nacos-v1/defaults.js';
import { V2_KEYS } from '../models/nacos-v2/defaults.js';
import { findModel } from '../models/registry.js';

/** Which detection a target is about (columns of the run metrics). */
export type DetectionKind = 'server' | 'subscriber' | 'client';

export const DETECTION_TITLES: Readonly<Record<DetectionKind, string>> = {
  server: 'server detection (fault → the registry removes the instance)',
  subscriber: "subscriber detection (fault → the last subscriber's usable view drops the instance)",
  client: 'client detection (fault → the client declares its connection dead)',
};

export interface Tunable {
  readonly key: string;
  /** Short column title. */
  readonly label: string;
  /** The default grid, as `--set` would take the values; includes the Nacos default. */
  readonly grid: readonly string[];
  /** What making it smaller buys and costs. */
  readonly trades: string;
  /** The setting is read by Nacos from this release of the given side on (else hard-coded). */
  readonly effectiveFrom?: { readonly side: 'client' | 'server'; readonly version: string; readonly source: string };
}

export interface TuneSpace {
  readonly model: string;
  readonly tunables: readonly Tunable[];
  /** The fault a target detection is measured under when `--fault` is not given. */
  readonly defaultFault: string;
  /** Detections the model's trace records. */
  readonly detections: readonly DetectionKind[];
}

/**
 * `livesim tune`: the search space of the models that do not carry their own, in one table. A row is one tunable: its Nacos
 * key (as in the model's table of defaults), the grid searched by default (the Nacos default is
 * always on it, so the defaults are a point of the search and can be compared), what the setting
 * trades, and the releases where it has an effect (outside them the model uses a hard-coded value,
 * so searching it would only repeat runs). `--space KEY=SPEC` replaces a row's grid; `--set KEY=V`
 * takes a row out of the search.
 */
export const TUNE_SPACES: readonly TuneSpace[] = [
  {
    model: 'nacos-v1',
    // A blackholing cut: the beats stop and the server expires the instance (shared/reference §A).
    defaultFault: 'cut',
    // 1.x clients send beats and never judge the server: no client-side detection.
    detections: ['server', 'subscriber'],
    tunables: [
      {
        key: V1_KEYS.beatInterval,
        label: 'beat.interval',
        grid: ['1s', '2s', '5s', '10s'],
        trades: 'beats per second at the server vs how fresh the last beat is when the fault starts',
      },
      {
        key: V1_KEYS.beatTimeout,
        label: 'beat.timeout',
        grid: ['5s', '10s', '15s', '30s'],
        trades: 'marks the instance unhealthy (subscribers stop using it) sooner vs false unhealthy marks and their pushes',
      },
      {
        key: V1_KEYS.deleteTimeout,
        label: 'delete.timeout',
        grid: ['5s', '10s', '15s', '20s', '30s', '45s', '60s'],
        trades: 'removes a dead instance sooner vs removing a live one whose beats were lost or late',
      },
    ],
  },
  {
    model: 'nacos-v2',
    // A half-open connection: cut blackholes both directions without FIN or RST (shared/reference §B3).
    defaultFault: 'cut',
    detections: ['server', 'subscriber', 'client'],
    // The server's ejector (idle limit 20 s, probe timeout) has no knobs (V2_CONSTANT_ROWS); its
    // gRPC keep-alive on the SDK port is the server-side setting that ends a half-open connection.
    tunables: [
      {
        key: V2_KEYS.keepAlive,
        label: 'keep.alive',
        grid: ['2s', '5s', '10s'],
        trades: 'health checks per second vs how soon an idle client checks its connection',
        effectiveFrom: { side: 'client', version: '2.1.2', source: 'src/models/nacos-v2/settings.ts (hard-coded 5 s before 2.1.2)' },
      },
      {
        key: V2_KEYS.healthTimeout,
        label: 'health.timeout',
        grid: ['500ms', '1s', '3s'],
        trades: 'client gives up on a dead connection sooner vs reconnecting (and being removed) when an answer is late',
        effectiveFrom: { side: 'client', version: '2.1.2', source: 'src/models/nacos-v2/settings.ts (hard-coded 3 s before 2.1.2)' },
      },
      {
        key: V2_KEYS.healthRetry,
        label: 'health.retry',
        grid: ['0', '1', '3'],
        trades: 'fewer attempts before reconnecting vs a single lost answer disconnecting the client',
        effectiveFrom: { side: 'client', version: '2.1.2', source: 'src/models/nacos-v2/settings.ts (one attempt before 2.1.2)' },
      },
      {
        key: V2_KEYS.serverKeepAlive,
        label: 'srv.keep-alive',
        grid: ['5s', '15s', '2h'],
        trades: 'the server PINGs an idle connection and closes a half-open one sooner vs PING traffic and closing slow clients',
        effectiveFrom: { side: 'server', version: '2.2.1', source: 'src/models/nacos-v2/settings.ts (grpc-java 2 h before 2.2.1)' },
      },
      {
        key: V2_KEYS.serverKeepAliveTimeout,
        label: 'srv.ka-timeout',
        grid: ['5s', '20s'],
        trades: 'an unanswered PING closes the connection sooner vs closing one whose PONG is merely late',
        effectiveFrom: { side: 'server', version: '2.2.1', source: 'src/models/nacos-v2/settings.ts (grpc-java 20 s before 2.2.1)' },
      },
    ],
  },
];

/** The model's own space (`analysis.tuneSpace` in its definition) first, then the table above. */
export const findTuneSpace = (model: string): TuneSpace | undefined => findModel(model)?.analysis?.tuneSpace ?? TUNE_SPACES.find((s) => s.model === model);
