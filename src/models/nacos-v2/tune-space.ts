import type { TuneSpace } from '../../tune/spaces.js';
import { V2_KEYS } from './defaults.js';

/**
 * `livesim tune`: the search space of this model. A row is one tunable: its Nacos
 * key (as in the model's table of defaults), the grid searched by default (the Nacos default is
 * always on it, so the defaults are a point of the search and can be compared), what the setting
 * trades, and the releases where it has an effect (outside them the model uses a hard-coded value,
 * so searching it would only repeat runs). `--space KEY=SPEC` replaces a row's grid; `--set KEY=V`
 * takes a row out of the search.
 */
export const nacosV2TuneSpace: TuneSpace = {
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
};
