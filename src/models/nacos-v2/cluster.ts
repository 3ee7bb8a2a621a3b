import type { FaultTargets } from '../../sim/faults.js';
import type { Host } from '../../sim/host.js';
import { StreamNet } from '../../sim/stream.js';
import { installStreamFaults } from '../../sim/stream-faults.js';
import { msToUs } from '../../sim/time.js';
import { attachFramework } from '../framework/view.js';
import { kernelSysctls } from '../kernel-knobs.js';
import type { Config } from '../knob.js';
import type { Versions, World } from '../model.js';
import { MemberManager } from '../nacos-v1/cluster-members.js';
import { appSettings } from './app-disconnect.js';
import { V2Client } from './client.js';
import { DistroNode } from './cluster-distro.js';
import { ClusterRpc } from './cluster-rpc.js';
import { v2ClusterSettings } from './cluster-settings.js';
import { GoV2Subscriber } from './go-subscriber.js';
import { consumerSdk, javaSideVersions, v2ConsumerSettings, v2ProviderSettings } from './sdk-go.js';
import { V2Server } from './server.js';
import { v2Settings } from './settings.js';
import { V2Subscriber } from './subscriber.js';

/**
 * A Nacos 2.x cluster (`--servers N`, N > 1): every node is a V2Server with a Distro node beside
 * it (cluster-distro.ts) and the core member list (nacos-v1/cluster-members.ts), talking over the
 * cluster RPC (cluster-rpc.ts). Clients get the whole server list and connect to one, round-robin
 * from a random start as RpcClient does; subscriber i connects first to s((i − 1) mod N + 1), so
 * the consumers' views follow different nodes. `owner` names the node holding c1's connection.
 * A 1.x (HTTP beat) client on a 2.x cluster is not modelled. See docs/models/cluster.md.
 */
/**
 * A server process that dies takes its sockets with it: its OS closes every connection (FIN). The
 * fault layer kills the process first (same instant, scheduled earlier), so the dead are known here.
 */
export const closeSocketsOfCrashedServers = (world: World, streams: StreamNet): void => {
  for (const f of world.faults) {
    if (f.kind !== 'server-crash') continue;
    world.sim.at(f.startUs, () => {
      for (const host of world.servers) if (host.process === 'dead') streams.stackOf(host.name)?.crash();
    });
  }
};

export const buildV2Cluster = (world: World, config: Config, versions: Versions): void => {
  const s = v2Settings(config, javaSideVersions(config, versions));
  const provider = v2ProviderSettings(config, versions);
  const cs = v2ClusterSettings(config, versions.server);
  const streams = new StreamNet(world.sim, world.net);
  const stack = (host: Host) => streams.stack(world.endpoint(host), kernelSysctls(config, world.servers.includes(host) ? 'server' : 'client'));
  const serverNames = world.servers.map((h) => h.name);
  const targets: FaultTargets = { client: world.clients[0] as Host, servers: world.servers };
  installStreamFaults(world.sim, streams, world.faults, targets);
  const nodes = world.servers.map((host) => {
    const ep = world.endpoint(host);
    const node = new DistroNode(host, cs);
    const rpc = new ClusterRpc(ep, (from, body, reply) => node.handle(from, body, reply));
    node.rpc = rpc;
    node.members = new MemberManager(host, serverNames, cs.members, (to, body, done) => rpc.call(to, body, msToUs(cs.memberReportTimeoutMs), done));
    node.server = new V2Server(ep, stack(host), s, node);
    node.members.start();
    node.start();
    return { host, node };
  });
  closeSocketsOfCrashedServers(world, streams);
  world.setOwnerResolver?.(() => {
    let owner: { name: string; connection: number } | null = null;
    for (const { host, node } of nodes) {
      const connection = host.process === 'dead' ? null : node.nativeOf('c1');
      if (connection !== null && (owner === null || connection > owner.connection)) owner = { name: host.name, connection };
    }
    return owner?.name ?? null;
  });
  world.clients.forEach((host, i) => {
    const client = new V2Client(world.endpoint(host), stack(host), provider, serverNames, undefined, appSettings(config));
    const startUs = i === 0 ? 0 : world.sim.rng(`client.start:${host.name}`).intInclusive(0, (s.startSpreadUs ?? msToUs(s.keepAliveMs)) - 1);
    world.sim.at(startUs, () => client.start());
  });
  const consumer = consumerSdk(config) === 'go' ? v2ConsumerSettings(config, versions) : null;
  world.subscribers.forEach((host, i) => {
    const ep = world.endpoint(host);
    const sub =
      consumer === null
        ? new V2Subscriber(ep, stack(host), s, serverNames, i % serverNames.length)
        : new GoV2Subscriber(ep, stack(host), consumer, serverNames, i % serverNames.length);
    world.sim.at(0, () => sub.start());
    attachFramework(host, config, sub);
  });
};
