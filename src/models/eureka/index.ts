import type { Host } from '../../sim/host.js';
import { msToUs } from '../../sim/time.js';
import type { Config } from '../knob.js';
import type { ModelDefinition, World } from '../model.js';
import { NETWORK_KNOBS } from '../network-knobs.js';
import { eurekaAnalysis } from './analysis.js';
import { EurekaClient } from './client.js';
import { EUREKA_CONSTANT_ROWS, EUREKA_KNOBS, EUREKA_KEYS as KEY } from './defaults.js';
import { EurekaServer } from './server.js';
import { eurekaSettings } from './settings.js';
import { EurekaSubscriber } from './subscriber.js';

/** Eureka itself rejects none of these; a phase must lie within the period it is a phase of. */
const validate = (c: Config): string | null => {
  const s = eurekaSettings(c);
  if (s.evictionPhaseUs !== null && s.evictionPhaseUs >= msToUs(s.evictionIntervalMs))
    return `${KEY.evictionPhase} must be below ${KEY.evictionInterval} (got ${c[KEY.evictionPhase]}ms, ${s.evictionIntervalMs}ms)`;
  if (s.cachePhaseUs !== null && s.cachePhaseUs >= msToUs(s.responseCacheUpdateMs))
    return `${KEY.cachePhase} must be below ${KEY.responseCacheUpdate} (got ${c[KEY.cachePhase]}ms, ${s.responseCacheUpdateMs}ms)`;
  if (s.subscriberPhaseUs !== null && s.subscriberPhaseUs >= msToUs(s.fetchIntervalMs))
    return `${KEY.subscriberPhase} must be below ${KEY.fetchInterval} (got ${c[KEY.subscriberPhase]}ms, ${s.fetchIntervalMs}ms)`;
  return null;
};

/** A phase given, or one drawn from the run seed within the period (the server started at an unknown moment). */
const phaseUs = (world: World, given: number | null, periodMs: number, stream: string): number =>
  given ?? world.sim.rng(stream).intInclusive(0, msToUs(periodMs) - 1);

const build = (world: World, config: Config): void => {
  const s = eurekaSettings(config);
  const serverHost = world.servers[0] as Host;
  const evictionPhaseUs = phaseUs(world, s.evictionPhaseUs, s.evictionIntervalMs, `server.eviction-phase:${serverHost.name}`);
  const cachePhaseUs = phaseUs(world, s.cachePhaseUs, s.responseCacheUpdateMs, `server.cache-phase:${serverHost.name}`);
  new EurekaServer(world.endpoint(serverHost), s, evictionPhaseUs, cachePhaseUs);
  world.clients.forEach((host, i) => {
    const client = new EurekaClient(world.endpoint(host), s, serverHost.name);
    // c1 starts at 0; the others at a phase of their own within one renewal interval.
    const startUs = i === 0 ? 0 : world.sim.rng(`client.start:${host.name}`).intInclusive(0, msToUs(s.renewalIntervalMs) - 1);
    world.sim.at(startUs, () => client.start());
  });
  for (const host of world.subscribers) {
    const sub = new EurekaSubscriber(world.endpoint(host), s, serverHost.name);
    world.sim.at(phaseUs(world, s.subscriberPhaseUs, s.fetchIntervalMs, `subscriber.start:${host.name}`), () => sub.start());
  }
};

export const eureka: ModelDefinition = {
  id: 'eureka',
  title: 'Eureka: 30 s renewals, 2 × 90 s leases, eviction task, self-preservation, response cache',
  knobs: [...EUREKA_KNOBS, ...NETWORK_KNOBS],
  constants: EUREKA_CONSTANT_ROWS,
  defaultVersion: '2.0.6',
  versionRange: { min: '1.10.17', max: '2.0.6' },
  versionNotes: [],
  faultKinds: ['cut', 'oneway', 'crash', 'pause', 'server-pause', 'loss', 'delay', 'flap', 'rack-cut'],
  servers: { max: 1, why: 'peer replication between Eureka servers is not modelled yet' },
  validate,
  build,
  analysis: eurekaAnalysis,
};
