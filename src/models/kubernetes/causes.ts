import { type Cause, setting, withSet } from '../../diagnose/cause.js';
import type { ScenarioFile } from '../../scenario/scenario.js';
import { K8S_KEYS as KEY } from './defaults.js';

/** Nodes the scenario runs (clients); the node controller needs one Ready node besides the failed one. */
const nodes = (s: ScenarioFile): number => s.clients ?? 1;
const withNodes = (s: ScenarioFile, n: number): ScenarioFile => ({ ...s, clients: Math.max(n, nodes(s)) });
const NLC = 'kubernetes/kubernetes v1.32.0 pkg/controller/nodelifecycle/node_lifecycle_controller.go';

/** Kubernetes's known causes for `livesim diagnose` (the model's `analysis.causes`). */
export const K8S_CAUSES: readonly Cause[] = [
  {
    id: 'k8-zone-disruption',
    model: 'kubernetes',
    title: 'The zone is fully disrupted: no node is Ready, so no node is tainted and no pod evicted',
    explanation:
      'With every node of a zone not Ready the node lifecycle controller assumes it lost the zone, not the nodes: it removes the NoExecute taints and stops tainting. A one-node cluster is there as soon as its node is cut. The pod is still NotReady, so kube-proxy stops routing to it; it is just never deleted.',
    source: `${NLC} handleDisruption (allAreFullyDisrupted: markNodeAsReachable, SwapLimiter(0)), ComputeZoneState`,
    symptoms: ['never-removed'],
    presentIn: (u) => nodes(u) < 2,
    scenario: (u) => ({ ...u, clients: 1 }),
    remedy: {
      change: 'run the workload on more nodes (one Ready node in the zone keeps the controller tainting), e.g. --clients 3',
      apply: (s) => withNodes(s, 3),
    },
  },
  {
    id: 'k8-toleration',
    model: 'kubernetes',
    title: 'tolerationSeconds 300: the pod of an unreachable node is deleted five minutes after the taint',
    explanation:
      'The DefaultTolerationSeconds admission plugin gives every pod 300 s of tolerance for node.kubernetes.io/unreachable:NoExecute; the pod leaves its endpoints at once (NotReady) but is deleted, and replaced elsewhere, only when that runs out.',
    source:
      'kubernetes/kubernetes v1.32.0 plugin/pkg/admission/defaulttolerationseconds/admission.go (default-unreachable-toleration-seconds 300); pkg/controller/tainteviction/taint_eviction.go',
    symptoms: ['slow-removal'],
    presentIn: (u) => Number(setting(u, KEY.tolerationSeconds) ?? 300) >= 60,
    scenario: (u) => withNodes(u, 2),
    remedy: {
      change: `--set ${KEY.tolerationSeconds}=30 (kube-apiserver flag; or tolerationSeconds in the pod's own tolerations)`,
      apply: (s) => withSet(s, { [KEY.tolerationSeconds]: '30' }),
    },
  },
];
