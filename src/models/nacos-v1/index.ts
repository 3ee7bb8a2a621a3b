import { v1Bounds } from '../../analysis/bounds.js';
import { v1Mechanisms } from '../../analysis/mechanisms-v1.js';
import type { Host } from '../../sim/host.js';
import { msToUs } from '../../sim/time.js';
import { FRAMEWORK_CONSTANT_ROWS, FRAMEWORK_KNOBS } from '../framework/defaults.js';
import { attachFramework } from '../framework/view.js';
import type { Config } from '../knob.js';
import type { ModelDefinition, Versions, World } from '../model.js';
import { NETWORK_KNOBS } from '../network-knobs.js';
import { atLeast, formatVersion, LATEST_SERVER_RELEASE } from '../version.js';
import { nacosV1Target } from './bound-target.js';
import { V1_CAUSES } from './causes.js';
import { V1_CLUSTER_CAUSES } from './causes-cluster.js';
import { MIXED_CAUSES } from './causes-mixed.js';
import { V1Client } from './client.js';
import { buildV1Cluster } from './cluster.js';
import { V1_CAPACITY_KEYS, V1_CAPACITY_KNOBS, V1_CLUSTER_CONSTANT_ROWS, V1_CLUSTER_KNOBS, V1_CONSTANT_ROWS, V1_KEYS, V1_KNOBS } from './defaults.js';
import { v1QuietHandoff } from './quiet-handoff.js';
import { V1_REMEDIES } from './remedies.js';
import { V1Server } from './server.js';
import { v1Settings } from './settings.js';
import { V1Subscriber } from './subscriber.js';
import { nacosV1TuneSpace } from './tune-space.js';
import { V1_ON_V2_CONSTANT_ROWS, V1_ON_V2_KNOBS, V1_ON_V2_VERSION_NOTES } from './v2-path/defaults.js';
import { V1OnV2Server } from './v2-path/server.js';

/** The 2.x/3.x server's v1 path is modelled for one server. */
const validateRun = (_c: Config, versions: Versions, servers: number): string | null => {
  if (!atLeast(versions.server, '2.0.0')) return null;
  const v = formatVersion(versions.server);
  if (servers > 1)
    return `--server-version ${v} with --servers ${servers}: the ${v} server's v1 path is modelled for one server (give --servers 1, or a 1.x server)`;
  return null;
};

const validate = (c: Config): string | null => {
  const interval = c[V1_KEYS.beatInterval] as number;
  const timeout = c[V1_KEYS.beatTimeout] as number;
  const del = c[V1_KEYS.deleteTimeout] as number;
  // NamingUtils.checkInstanceIsLegal (api/.../naming/utils/NamingUtils.java, 1.4.8):
  // `getInstanceHeartBeatTimeOut() < getInstanceHeartBeatInterval() || getIpDeleteTimeout() < …Interval()`
  // throws, in Nacos's own words; equal values pass. (The check exists from client 1.4.1, #4514.)
  if (timeout < interval || del < interval) {
    return `Instance 'heart beat interval' must less than 'heart beat timeout' and 'ip delete timeout' (got ${V1_KEYS.beatInterval}=${interval}ms, ${V1_KEYS.beatTimeout}=${timeout}ms, ${V1_KEYS.deleteTimeout}=${del}ms)`;
  }
  return null;
};

const build = (world: World, config: Config, versions: Versions): void => {
  if (world.servers.length > 1) {
    buildV1Cluster(world, config, versions);
    return;
  }
  const s = v1Settings(config, versions.client, versions.server);
  const serverNames = world.servers.map((h) => h.name);
  const serverEp = world.endpoint(world.servers[0] as Host);
  // A 2.x/3.x server answers the same HTTP API from its v1 path; quiet stepping follows the 1.x server only.
  const server = s.v2Path === null ? new V1Server(serverEp, s) : null;
  if (server === null) new V1OnV2Server(serverEp, s);
  world.clients.forEach((host, i) => {
    const ep = world.endpoint(host);
    // Quiet stepping replays the Java client's cycle only.
    const quiet = server !== null && !s.openApiScript;
    const client = new V1Client(ep, s, serverNames, quiet ? v1QuietHandoff(ep, s, server, serverNames[0] as string) : undefined);
    // c1 registers at 0; the others at a phase of their own within one beat period (or sim.clientStartSpread).
    const spreadUs = s.startSpreadUs ?? msToUs(s.beatIntervalMs);
    const startUs = i === 0 ? 0 : world.sim.rng(`client.start:${host.name}`).intInclusive(0, spreadUs - 1);
    world.sim.at(startUs, () => client.start());
    if (i === 0) {
      for (const f of world.faults) if (f.kind === 'beat-error') world.sim.at(f.startUs, () => client.armBeatError());
    }
  });
  const subscribeUs = msToUs(config[V1_CAPACITY_KEYS.subscriberStart] as number);
  for (const host of world.subscribers) {
    const sub = new V1Subscriber(world.endpoint(host), s, serverNames);
    world.sim.at(subscribeUs, () => sub.start());
    attachFramework(host, config, sub, subscribeUs);
  }
};

export const nacosV1: ModelDefinition = {
  id: 'nacos-v1',
  title: 'Nacos 1.x clients: HTTP heartbeats, server beat check (a 1.x server, or the v1 path of 2.x/3.x), UDP push',
  knobs: [...V1_KNOBS, ...NETWORK_KNOBS, ...V1_CAPACITY_KNOBS, ...V1_CLUSTER_KNOBS, ...V1_ON_V2_KNOBS, ...FRAMEWORK_KNOBS],
  constants: [...V1_CONSTANT_ROWS, ...V1_CLUSTER_CONSTANT_ROWS, ...V1_ON_V2_CONSTANT_ROWS, ...FRAMEWORK_CONSTANT_ROWS],
  defaultVersion: '1.4.8',
  versionRange: { min: '1.0.0', max: '1.4.8' },
  // 1.x clients keep working against 2.x and 3.x servers through their v1 HTTP path (v2-path/server.ts).
  serverVersionRange: { min: '1.0.0', max: LATEST_SERVER_RELEASE },
  validateRun,
  versionNotes: [
    ...V1_ON_V2_VERSION_NOTES,
    {
      range: '< 1.4.2',
      side: 'client',
      behaviour: 'a runtime exception in the beat task (not a NacosException) stops the beat loop for good: a live instance expires',
      source: 'client/.../naming/beat/BeatReactor.java, tags 1.4.1 vs 1.4.2 (#5291, PR #5410, commit f217246c48)',
    },
    {
      range: '< 1.2.0',
      side: 'client',
      behaviour: 'no light beats and no re-register on 20404: every beat carries the instance, so the server re-creates it',
      source: 'client/.../naming/beat/BeatReactor.java (lightBeatEnabled and 20404 handling added in 1.2.0)',
    },
  ],
  faultKinds: ['cut', 'oneway', 'crash', 'pause', 'server-pause', 'loss', 'delay', 'flap', 'beat-error', 'server-crash', 'server-cut', 'peer-cut', 'rack-cut'],
  validate,
  build,
  // The run's windows (docs/bounds.md): a 1.x server, a 2.x/3.x server's v1 path, or a cluster's none.
  analysis: {
    bounds: (input) => v1Bounds(input),
    boundTarget: nacosV1Target,
    tuneSpace: nacosV1TuneSpace,
    causes: [...V1_CAUSES, ...V1_CLUSTER_CAUSES, ...MIXED_CAUSES],
    remedies: V1_REMEDIES,
    mechanisms: (input) => v1Mechanisms(input),
  },
};
