import type { Host } from '../../sim/host.js';
import { msToUs } from '../../sim/time.js';
import type { Config } from '../knob.js';
import type { ModelDefinition, Versions, World } from '../model.js';
import { NETWORK_KNOBS } from '../network-knobs.js';
import type { Version } from '../version.js';
import { k8sAnalysis } from './analysis.js';
import { ControlPlane } from './control-plane.js';
import { K8S_CONSTANT_ROWS, K8S_CONSTANTS, K8S_KNOBS, K8S_KEYS as KEY } from './defaults.js';
import { KubeProxy } from './kube-proxy.js';
import { Kubelet } from './kubelet.js';
import { GRACE_50S_FROM, k8sSettings } from './settings.js';

/** validate() checks phases only, which no release moves: any release will do. */
const ANY_RELEASE: Version = [1, 32, 0]; // literal-ok: the default release

/** Kubernetes rejects none of these; a phase must lie within the period it is a phase of. */
const validate = (c: Config): string | null => {
  const s = k8sSettings(c, ANY_RELEASE);
  if (s.monitorPhaseUs !== null && s.monitorPhaseUs >= msToUs(s.monitorPeriodMs))
    return `${KEY.monitorPhase} must be below ${KEY.monitorPeriod} (got ${c[KEY.monitorPhase]}ms, ${s.monitorPeriodMs}ms)`;
  if (s.probePhaseUs !== null && s.probePhaseUs >= msToUs(s.probePeriodMs))
    return `${KEY.probePhase} must be below ${KEY.probePeriod} × 1000 (got ${c[KEY.probePhase]}ms, ${s.probePeriodMs}ms)`;
  return null;
};

const build = (world: World, config: Config, versions: Versions): void => {
  const s = k8sSettings(config, versions.server);
  const serverHost = world.servers[0] as Host;
  const monitorPhaseUs = s.monitorPhaseUs ?? world.sim.rng(`server.monitor-phase:${serverHost.name}`).intInclusive(0, msToUs(s.monitorPeriodMs) - 1);
  // The tainting pass has a phase of its own (its own wait.Until goroutine), never on a monitor pass.
  const taintPhaseUs = world.sim.rng(`server.taint-phase:${serverHost.name}`).intInclusive(1, msToUs(K8S_CONSTANTS.taintPassMs) - 1);
  new ControlPlane(world.endpoint(serverHost), s, monitorPhaseUs, monitorPhaseUs + taintPhaseUs);
  world.clients.forEach((host, i) => {
    const jitter = world.sim.rng(`kubelet.lease-jitter:${host.name}`);
    const probePhaseUs = s.probePhaseUs ?? world.sim.rng(`kubelet.probe-phase:${host.name}`).intInclusive(0, msToUs(s.probePeriodMs) - 1);
    const kubelet = new Kubelet(world.endpoint(host), s, serverHost.name, jitter, probePhaseUs);
    if (i === 0) for (const f of world.faults) if (f.kind === 'crash') world.sim.at(f.startUs, () => kubelet.containerExitedAt(f.startUs));
    // c1's node starts at 0; the others within one renew interval.
    const startUs = i === 0 ? 0 : world.sim.rng(`client.start:${host.name}`).intInclusive(0, msToUs(s.renewIntervalMs) - 1);
    world.sim.at(startUs, () => kubelet.start());
  });
  for (const host of world.subscribers) {
    const proxy = new KubeProxy(world.endpoint(host), s, serverHost.name);
    world.sim.at(0, () => proxy.start());
  }
};

export const kubernetes: ModelDefinition = {
  id: 'kubernetes',
  title: 'Kubernetes: node leases, node-monitor grace, pods NotReady, EndpointSlices, taint eviction; readiness probes',
  knobs: [...K8S_KNOBS, ...NETWORK_KNOBS],
  constants: K8S_CONSTANT_ROWS,
  defaultVersion: '1.32.0',
  versionRange: { min: '1.31.0', max: '1.32.0' },
  versionNotes: [
    {
      range: '1.31.0 - 1.31.0',
      side: 'server',
      behaviour: 'node-monitor-grace-period defaults to 40 s',
      source: 'kubernetes/kubernetes v1.31.0 pkg/controller/nodelifecycle/config/v1alpha1/defaults.go (40 * time.Second)',
    },
    {
      range: `${GRACE_50S_FROM} - 1.32.0`,
      side: 'server',
      behaviour: 'node-monitor-grace-period defaults to 50 s',
      source: 'kubernetes/kubernetes v1.32.0 pkg/controller/nodelifecycle/config/v1alpha1/defaults.go (50 * time.Second, PR #126287)',
    },
  ],
  // The kubelet's connection is datagrams without retransmission (api-client.ts): loss and flapping links are outside it.
  faultKinds: ['cut', 'oneway', 'crash', 'pause', 'server-pause', 'delay', 'rack-cut'],
  servers: { max: 1, why: 'one control plane (API server and controllers on s1); several API servers and controller-manager leader election are not modelled' },
  validate,
  build,
  analysis: k8sAnalysis,
};
