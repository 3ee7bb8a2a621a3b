import type { Host } from '../../sim/host.js';
import { msToUs } from '../../sim/time.js';
import type { Config } from '../knob.js';
import type { ModelDefinition, World } from '../model.js';
import { NETWORK_KNOBS } from '../network-knobs.js';
import { zkTarget } from './bound-target.js';
import { zkBounds } from './bounds.js';
import { ZkConsumer, ZkProvider } from './client.js';
import { ZK_KEYS as KEY, ZK_CONSTANT_ROWS, ZK_KNOBS } from './defaults.js';
import { ZkServer } from './server.js';
import { zkSettings } from './settings.js';
import { ZK_TUNE_SPACE } from './tune-space.js';

/** What ZooKeeper rejects (QuorumPeerConfig: min above max), and a phase within its tick. */
const validate = (c: Config): string | null => {
  const s = zkSettings(c);
  if (s.minSessionMs > s.maxSessionMs) return `minSessionTimeout must not be larger than maxSessionTimeout (got ${s.minSessionMs}ms, ${s.maxSessionMs}ms)`;
  if (s.tickPhaseUs !== null && s.tickPhaseUs >= msToUs(s.tickMs)) return `${KEY.tickPhase} must be below ${KEY.tickTime} (got ${c[KEY.tickPhase]}ms)`;
  return null;
};

const build = (world: World, config: Config): void => {
  const s = zkSettings(config);
  const serverHost = world.servers[0] as Host;
  const phaseUs = s.tickPhaseUs ?? world.sim.rng(`server.tick-phase:${serverHost.name}`).intInclusive(0, msToUs(s.tickMs) - 1);
  new ZkServer(world.endpoint(serverHost), s, phaseUs);
  world.clients.forEach((host, i) => {
    const p = new ZkProvider(world.endpoint(host), s, serverHost.name);
    // c1 at 0, the others within one ping interval.
    const startUs = i === 0 ? 0 : world.sim.rng(`client.start:${host.name}`).intInclusive(0, msToUs(s.pingAfterMs) - 1);
    world.sim.at(startUs, () => p.start());
  });
  for (const host of world.subscribers) {
    const c = new ZkConsumer(world.endpoint(host), s, serverHost.name);
    world.sim.at(0, () => c.start());
  }
};

export const zookeeper: ModelDefinition = {
  id: 'zookeeper',
  title: 'ZooKeeper: sessions in tick buckets, pings at readTimeout / 2, ephemeral nodes, child watches (Curator)',
  knobs: [...ZK_KNOBS, ...NETWORK_KNOBS],
  constants: ZK_CONSTANT_ROWS,
  defaultVersion: '3.9.3',
  versionRange: { min: '3.9.3', max: '3.9.3' },
  versionNotes: [],
  // The connection is datagrams without retransmission (session.ts): loss and flapping links are outside it.
  faultKinds: ['cut', 'oneway', 'crash', 'pause', 'server-pause', 'delay', 'rack-cut'],
  servers: { max: 1, why: 'the ZooKeeper ensemble (leader election, followers) is not modelled yet' },
  validate,
  build,
  analysis: { bounds: zkBounds, boundTarget: zkTarget, tuneSpace: ZK_TUNE_SPACE },
};
