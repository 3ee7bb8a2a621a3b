import { msToUs } from '../../sim/time.js';
import { attachFramework } from '../framework/view.js';
import type { Config } from '../knob.js';
import type { Versions, World } from '../model.js';
import { V1Client } from './client.js';
import { V1ClusterServer } from './cluster-server.js';
import { v1ClusterSettings } from './cluster-settings.js';
import { v1Settings } from './settings.js';
import { V1Subscriber } from './subscriber.js';

/**
 * A Nacos 1.x cluster (`--servers N`, N > 1): every node a V1ClusterServer (cluster-server.ts).
 * Clients get the whole server list (NamingProxy.reqApi: a random start, each server once);
 * subscriber i asks s((i − 1) mod N + 1) first and gets its pushes from there, so the consumers'
 * views follow different nodes. `owner` names the node responsible for the service, as the first
 * live node sees it. See docs/models/cluster.md.
 */
export const buildV1Cluster = (world: World, config: Config, versions: Versions): void => {
  const s = v1Settings(config, versions.client);
  const cs = v1ClusterSettings(config);
  const serverNames = world.servers.map((h) => h.name);
  const nodes = world.servers.map((host) => {
    const node = new V1ClusterServer(world.endpoint(host), s, cs, serverNames);
    node.start();
    return { host, node };
  });
  world.setOwnerResolver?.(() => nodes.find(({ host }) => host.process !== 'dead')?.node.responsibleNode() ?? null);
  world.clients.forEach((host, i) => {
    const client = new V1Client(world.endpoint(host), s, serverNames);
    const startUs = i === 0 ? 0 : world.sim.rng(`client.start:${host.name}`).intInclusive(0, (s.startSpreadUs ?? msToUs(s.beatIntervalMs)) - 1);
    world.sim.at(startUs, () => client.start());
    if (i === 0) {
      for (const f of world.faults) if (f.kind === 'beat-error') world.sim.at(f.startUs, () => client.armBeatError());
    }
  });
  world.subscribers.forEach((host, i) => {
    const k = i % serverNames.length;
    const sub = new V1Subscriber(world.endpoint(host), s, [...serverNames.slice(k), ...serverNames.slice(0, k)]);
    world.sim.at(0, () => sub.start());
    attachFramework(host, config, sub);
  });
};
