import type { Host } from '../../sim/host.js';
import { msToUs } from '../../sim/time.js';
import type { Config } from '../knob.js';
import type { ModelDefinition, World } from '../model.js';
import { NETWORK_KNOBS } from '../network-knobs.js';
import { etcdAnalysis } from './analysis.js';
import { EtcdProvider, EtcdWatcher } from './client.js';
import { buildCluster } from './cluster.js';
import { ETCD_CONSTANT_ROWS, ETCD_KNOBS, ETCD_CONSTANTS as K, ETCD_KEYS as KEY } from './defaults.js';
import { EtcdServer } from './server.js';
import { etcdSettings } from './settings.js';

/** What etcd rejects (embed.Config.Validate), and a lessor phase within its 500 ms pass. */
const validate = (c: Config): string | null => {
  const s = etcdSettings(c);
  if (K.minElectionTicks * s.heartbeatMs > s.electionMs)
    return `--election-timeout[${s.electionMs}ms] should be at least as 5 times as --heartbeat-interval[${s.heartbeatMs}ms]`;
  if (s.lessorPhaseUs !== null && s.lessorPhaseUs >= msToUs(K.lessorCheckMs))
    return `${KEY.lessorPhase} must be below ${K.lessorCheckMs}ms (got ${c[KEY.lessorPhase]}ms)`;
  return null;
};

const build = (world: World, config: Config): void => {
  const s = etcdSettings(config);
  if (world.servers.length > 1) {
    buildCluster(world, s);
    return;
  }
  const serverHost = world.servers[0] as Host;
  const phaseUs = s.lessorPhaseUs ?? world.sim.rng(`server.lessor-phase:${serverHost.name}`).intInclusive(0, msToUs(K.lessorCheckMs) - 1);
  new EtcdServer(world.endpoint(serverHost), s, phaseUs);
  world.clients.forEach((host, i) => {
    const p = new EtcdProvider(world.endpoint(host), s, [serverHost.name], 0);
    // c1 at 0, the others within one keepalive interval.
    const startUs = i === 0 ? 0 : world.sim.rng(`client.start:${host.name}`).intInclusive(0, s.keepAliveAfterUs - 1);
    world.sim.at(startUs, () => p.start());
  });
  for (const host of world.subscribers) {
    const w = new EtcdWatcher(world.endpoint(host), serverHost.name);
    world.sim.at(0, () => w.start());
  }
};

const SAME = 'the same in v3.5.33 and v3.6.14 (git diff v3.5.33 v3.6.14: client/v3/lease.go, concurrency/session.go, server/lease/lessor.go)';

export const etcd: ModelDefinition = {
  id: 'etcd',
  title:
    'etcd: a concurrency.Session lease (60 s), keepalives TTL/3 after each answer, 500 ms revoke passes, prefix watch; raft cluster with Promote on leader change',
  knobs: [...ETCD_KNOBS, ...NETWORK_KNOBS],
  constants: ETCD_CONSTANT_ROWS,
  defaultVersion: '3.6.14',
  versionRange: { min: '3.5.0', max: '3.6.14' },
  versionNotes: [
    {
      range: '3.5.0–3.5.33',
      side: 'server',
      behaviour: `the lessor's runLoop waits time.After(500 ms) after each pass; keepalive, deadline and minimum-TTL rules ${SAME}`,
      source: 'etcd-io/etcd v3.5.33 server/lease/lessor.go runLoop; client/v3/lease.go; server/etcdserver/server.go minTTL',
    },
    {
      range: '3.6.0–3.6.14',
      side: 'server',
      behaviour: `the runLoop runs on a time.NewTicker(500 ms): the same 500 ms passes (livesim models both alike); the rest ${SAME}`,
      source: 'etcd-io/etcd v3.6.14 server/lease/lessor.go runLoop (delayTicker)',
    },
  ],
  // Datagrams without retransmission (as the ZooKeeper model): a lost keepalive is sent again at the
  // next 500 ms pass, as in etcd, but a lost watch event would be lost for good; loss and flapping
  // links are left out.
  faultKinds: ['cut', 'oneway', 'crash', 'pause', 'server-pause', 'server-crash', 'delay', 'rack-cut'],
  validate,
  build,
  analysis: etcdAnalysis,
};
