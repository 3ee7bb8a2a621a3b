import type { Host } from '../../sim/host.js';
import { msToUs } from '../../sim/time.js';
import type { World } from '../model.js';
import { EtcdProvider, EtcdWatcher } from './client.js';
import { ETCD_CONSTANTS as K } from './defaults.js';
import { EtcdMember } from './member.js';
import { CommittedLog } from './raft.js';
import type { EtcdSettings } from './settings.js';

/**
 * An etcd cluster of s1…sN, s1 leading term 1 from the start. Provider ci's connection is on
 * member (i − 1) mod N (clientv3 spreads connections over its endpoints; livesim fixes the spread)
 * and moves to the next endpoint when its member's connection is reset; consumers watch on the
 * followers s2…sN (livesim: a consumer's watch does not move, so it is kept off the member that
 * leader faults hit). A fault's `owner` is the current leader.
 */
export const buildCluster = (world: World, s: EtcdSettings): void => {
  const names = world.servers.map((h) => h.name);
  const log = new CommittedLog();
  const leader = names[0] as string;
  const members = world.servers.map((host, i) => {
    const tickUs = world.sim.rng(`server.raft-tick-phase:${host.name}`).intInclusive(0, msToUs(s.heartbeatMs) - 1);
    const lessorUs = s.lessorPhaseUs ?? world.sim.rng(`server.lessor-phase:${host.name}`).intInclusive(0, msToUs(K.lessorCheckMs) - 1);
    const peers = names.filter((n) => n !== host.name);
    return new EtcdMember(world.endpoint(host), s, log, peers, i, leader, { tickUs, lessorUs });
  });
  world.setOwnerResolver?.(() => {
    let best: { name: string; term: number } | null = null;
    members.forEach((m, i) => {
      const term = m.leaderTerm;
      if (term !== null && (best === null || term > best.term)) best = { name: names[i] as string, term };
    });
    return (best as { name: string } | null)?.name ?? null;
  });
  world.clients.forEach((host: Host, i) => {
    const p = new EtcdProvider(world.endpoint(host), s, names, i % names.length);
    const startUs = i === 0 ? 0 : world.sim.rng(`client.start:${host.name}`).intInclusive(0, s.keepAliveAfterUs - 1);
    world.sim.at(startUs, () => p.start());
  });
  world.subscribers.forEach((host, i) => {
    const w = new EtcdWatcher(world.endpoint(host), names[1 + (i % (names.length - 1))] as string);
    world.sim.at(0, () => w.start());
  });
};
