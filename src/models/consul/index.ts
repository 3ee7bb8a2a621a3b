import type { Host } from '../../sim/host.js';
import { msToUs } from '../../sim/time.js';
import type { Config } from '../knob.js';
import type { ModelDefinition, World } from '../model.js';
import { NETWORK_KNOBS } from '../network-knobs.js';
import { ConsulAgent } from './agent.js';
import { consulAnalysis } from './analysis.js';
import { CONSUL_CONSTANT_ROWS, CONSUL_KNOBS, CONSUL_KEYS as KEY } from './defaults.js';
import { type MemberEvents, Memberlist } from './memberlist.js';
import { nodeFaultRules } from './node-faults.js';
import { Prober } from './probe.js';
import { StateSync } from './pushpull.js';
import { ConsulServer } from './server.js';
import { consulSettings } from './settings.js';
import { ConsulWatch } from './subscriber.js';

/**
 * Consul rejects none of these. livesim asks the probe timeout not to exceed the probe interval
 * (memberlist does not check it either: hashicorp/memberlist#149, the indirect probes then go out
 * too late to matter) and a start phase to lie within one probe interval.
 */
const validate = (c: Config): string | null => {
  const s = consulSettings(c);
  if (s.probeTimeoutMs > s.probeIntervalMs)
    return `${KEY.probeTimeout} must not exceed ${KEY.probeInterval} (got ${s.probeTimeoutMs}ms, ${s.probeIntervalMs}ms)`;
  if (s.agentPhaseUs !== null && s.agentPhaseUs >= msToUs(s.probeIntervalMs))
    return `${KEY.agentPhase} must be below ${KEY.probeInterval} (got ${c[KEY.agentPhase]}ms)`;
  return null;
};

const build = (world: World, config: Config): void => {
  const s = consulSettings(config);
  const serverHost = world.servers[0] as Host;
  const hosts = [...world.servers, ...world.clients, ...world.subscribers];
  const members = hosts.map((h) => h.name);
  const isServer = (h: string): boolean => world.servers.some((x) => x.name === h);
  for (const rule of nodeFaultRules(world.faults, (world.clients[0] as Host).name, isServer)) world.net.addRule(rule);
  const server = new ConsulServer(world.endpoint(serverHost), members);
  for (const host of hosts) {
    const ep = world.endpoint(host);
    const events: MemberEvents | null = host === serverHost ? server.events : null;
    const ml = new Memberlist(ep, s, members, events);
    const prober = new Prober(ml, host === serverHost);
    const stateSync = new StateSync(ml, members.length);
    const agent = world.clients.includes(host) ? new ConsulAgent(ep, s, serverHost.name) : null;
    const watch = world.subscribers.includes(host) ? new ConsulWatch(ep, serverHost.name) : null;
    const startUs = s.agentPhaseUs ?? world.sim.rng(`consul.agent-start:${host.name}`).intInclusive(0, msToUs(s.probeIntervalMs) - 1);
    world.sim.at(startUs, () => {
      prober.start();
      ml.startGossip();
      stateSync.start();
      if (agent !== null) {
        // The application registers its service with its check; a TTL check it passes now and every interval (in its own process).
        agent.registerService();
        agent.pass();
        agent.start();
        const pass = (): void => {
          agent.pass();
          host.schedule(msToUs(s.ttlUpdateIntervalMs), pass);
        };
        if (s.checkType === 'ttl') host.schedule(msToUs(s.ttlUpdateIntervalMs), pass);
      }
      watch?.start();
    });
  }
};

export const consul: ModelDefinition = {
  id: 'consul',
  title: 'Consul: agent TTL and HTTP checks, deregister_critical_service_after, memberlist SWIM/Lifeguard gossip, serfHealth, blocking queries',
  knobs: [...CONSUL_KNOBS, ...NETWORK_KNOBS],
  constants: CONSUL_CONSTANT_ROWS,
  defaultVersion: '1.20.0',
  versionRange: { min: '1.20.0', max: '1.20.0' },
  versionNotes: [],
  // crash and pause hit the application (the agent is a process of its own); cut, oneway and flap the node's every path.
  faultKinds: ['cut', 'oneway', 'crash', 'pause', 'flap', 'rack-cut'],
  servers: { max: 1, why: 'Raft between Consul servers is not modelled yet' },
  validate,
  build,
  analysis: consulAnalysis,
};
