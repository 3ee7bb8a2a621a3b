import { v2ClusterBounds } from '../../analysis/bounds-cluster.js';
import { v2Bounds } from '../../analysis/bounds-v2.js';
import { v2Mechanisms } from '../../analysis/mechanisms-v2.js';
import type { FaultTargets } from '../../sim/faults.js';
import type { Host } from '../../sim/host.js';
import { StreamNet } from '../../sim/stream.js';
import { installStreamFaults } from '../../sim/stream-faults.js';
import { msToUs } from '../../sim/time.js';
import { FRAMEWORK_CONSTANT_ROWS, FRAMEWORK_KNOBS } from '../framework/defaults.js';
import { attachFramework } from '../framework/view.js';
import { KERNEL_KNOBS, kernelSysctls } from '../kernel-knobs.js';
import type { Config } from '../knob.js';
import type { ModelDefinition, Versions, World } from '../model.js';
import { NETWORK_KNOBS } from '../network-knobs.js';
import { PROXY_CONSTANT_ROWS, PROXY_KNOBS } from '../proxy/defaults.js';
import { SDK_CONSTANT_ROWS, SDK_KNOBS, SDK_VERSION_NOTES } from '../sdk/defaults.js';
import { LATEST_SERVER_RELEASE } from '../version.js';
import { appSettings } from './app-disconnect.js';
import { nacosV2Target } from './bound-target.js';
import { V2_CAUSES } from './causes.js';
import { V2_CLUSTER_CAUSES } from './causes-cluster.js';
import { PROXY_CAUSES, withoutProxy } from './causes-proxy.js';
import { GO_SDK_CAUSES } from './causes-sdk-go.js';
import { V2Client } from './client.js';
import { buildV2Cluster, closeSocketsOfCrashedServers } from './cluster.js';
import { V2_CAPACITY_KNOBS, V2_CLUSTER_CONSTANT_ROWS, V2_CLUSTER_KNOBS, V2_CONSTANT_ROWS, V2_KNOBS, V2_VERSION_NOTES } from './defaults.js';
import { GoV2Subscriber } from './go-subscriber.js';
import { installProxy } from './proxy.js';
import { v2QuietHandoff } from './quiet-handoff.js';
import { V2_REMEDIES } from './remedies.js';
import { consumerSdk, defaultClientVersion, javaSideVersions, sdkProblem, V2_DEFAULT_RELEASE, v2ConsumerSettings, v2ProviderSettings } from './sdk-go.js';
import { V2Server } from './server.js';
import { v2Settings } from './settings.js';
import { V2Subscriber } from './subscriber.js';
import { nacosV2TuneSpace } from './tune-space.js';

/** Nacos has no cross-key rule for these settings; every range is checked per knob. */
const validate = (_c: Config): string | null => null;

const build = (world: World, config: Config, versions: Versions): void => {
  if (world.servers.length > 1) {
    buildV2Cluster(world, config, versions);
    return;
  }
  const s = v2Settings(config, javaSideVersions(config, versions));
  const provider = v2ProviderSettings(config, versions);
  const streams = new StreamNet(world.sim, world.net);
  const stack = (host: Host) => streams.stack(world.endpoint(host), kernelSysctls(config, world.servers.includes(host) ? 'server' : 'client'));
  // With a proxy every client and subscriber connects to it; the stream faults (rst, nat-idle) act on the client's leg.
  const proxy = installProxy(world, streams, config);
  const serverNames = proxy === null ? world.servers.map((h) => h.name) : [proxy.name];
  const targets: FaultTargets = { client: world.clients[0] as Host, servers: proxy === null ? world.servers : [proxy] };
  installStreamFaults(world.sim, streams, world.faults, targets);
  closeSocketsOfCrashedServers(world, streams);
  const server = new V2Server(world.endpoint(world.servers[0] as Host), stack(world.servers[0] as Host), s);
  world.clients.forEach((host, i) => {
    const ep = world.endpoint(host);
    // Quiet stepping replays a direct connection's Java cycle: not through a proxy, not the Go SDK's timer.
    const quiet = proxy === null && provider.sdk === 'java' ? v2QuietHandoff(ep, s, server) : undefined;
    const client = new V2Client(ep, stack(host), provider, serverNames, quiet, appSettings(config));
    // c1 starts at 0; the others at a phase of their own within one keep-alive period (or sim.clientStartSpread).
    const startUs = i === 0 ? 0 : world.sim.rng(`client.start:${host.name}`).intInclusive(0, (s.startSpreadUs ?? msToUs(s.keepAliveMs)) - 1);
    world.sim.at(startUs, () => client.start());
  });
  const consumer = consumerSdk(config) === 'go' ? v2ConsumerSettings(config, versions) : null;
  for (const host of world.subscribers) {
    const sub =
      consumer === null
        ? new V2Subscriber(world.endpoint(host), stack(host), s, serverNames)
        : new GoV2Subscriber(world.endpoint(host), stack(host), consumer, serverNames);
    world.sim.at(0, () => sub.start());
    attachFramework(host, config, sub);
  }
};

export const nacosV2: ModelDefinition = {
  id: 'nacos-v2',
  title: 'Nacos 2.x: gRPC connections, client health check and redo, server ejector, push',
  knobs: [...V2_KNOBS, ...NETWORK_KNOBS, ...KERNEL_KNOBS, ...V2_CAPACITY_KNOBS, ...V2_CLUSTER_KNOBS, ...PROXY_KNOBS, ...FRAMEWORK_KNOBS, ...SDK_KNOBS],
  constants: [...V2_CONSTANT_ROWS, ...V2_CLUSTER_CONSTANT_ROWS, ...PROXY_CONSTANT_ROWS, ...FRAMEWORK_CONSTANT_ROWS, ...SDK_CONSTANT_ROWS],
  defaultVersion: V2_DEFAULT_RELEASE,
  // 3.0.x: the liveness code equals 2.5.1's (src/models/version.ts LATEST_SERVER_RELEASE).
  versionRange: { min: '2.0.0', max: LATEST_SERVER_RELEASE },
  versionNotes: [...V2_VERSION_NOTES, ...SDK_VERSION_NOTES],
  defaultClientVersion,
  faultKinds: [
    'cut',
    'oneway',
    'rst',
    'crash',
    'pause',
    'server-pause',
    'loss',
    'delay',
    'flap',
    'nat-idle',
    'server-crash',
    'server-cut',
    'peer-cut',
    'rack-cut',
  ],
  validate,
  validateRun: (config, versions) => sdkProblem(config, versions),
  build,
  // The run's windows (docs/bounds.md): one server, or a cluster's (bounds-cluster.ts).
  analysis: {
    bounds: (input) => ((input.servers ?? 1) > 1 ? v2ClusterBounds : v2Bounds)(input),
    boundTarget: nacosV2Target,
    tuneSpace: nacosV2TuneSpace,
    remedies: V2_REMEDIES,
    mechanisms: (input) => v2Mechanisms(input),
    // A proxy stands in front of one server (src/scenario/resolve.ts): the cluster causes need none.
    causes: [...V2_CAUSES, ...PROXY_CAUSES, ...V2_CLUSTER_CAUSES.map((c) => ({ ...c, appliesTo: withoutProxy })), ...GO_SDK_CAUSES],
  },
};
