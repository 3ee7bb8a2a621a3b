import { type Cause, setting, withSet } from '../../diagnose/cause.js';
import type { ScenarioFile } from '../../scenario/scenario.js';
import { K8S_KNOBS, K8S_KEYS as KEY } from './defaults.js';

/** The failed node and one Ready node: below that the zone is fully disrupted. */
const MIN_NODES = 2; // literal-ok: handleDisruption needs one Ready node besides the failed one
/** The remedies' values: a few nodes, and the 30 s tolerance common recipes give. */
const REMEDY_NODES = 3; // literal-ok: a small fleet, one zone
const REMEDY_TOLERATION_S = 30; // literal-ok: the value operators' guides set
const DEFAULT_TOLERATION_S = Number(K8S_KNOBS.find((k) => k.key === KEY.tolerationSeconds)?.default);

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
    presentIn: (u) => nodes(u) < MIN_NODES,
    scenario: (u) => ({ ...u, clients: Math.min(nodes(u), MIN_NODES - 1) }),
    remedy: {
      change: `run the workload on more nodes (one Ready node in the zone keeps the controller tainting), e.g. --clients ${REMEDY_NODES}`,
      apply: (s) => withNodes(s, REMEDY_NODES),
    },
  },
  {
    id: 'k8-toleration',
    model: 'kubernetes',
    title: 'tolerationSeconds 300 (the default): the pod of an unreachable node is deleted five minutes after the taint',
    explanation:
      'The DefaultTolerationSeconds admission plugin gives every pod 300 s of tolerance for node.kubernetes.io/unreachable:NoExecute; the pod leaves its endpoints at once (NotReady) but is deleted, and replaced elsewhere, only when that runs out.',
    source:
      'kubernetes/kubernetes v1.32.0 plugin/pkg/admission/defaulttolerationseconds/admission.go (default-unreachable-toleration-seconds 300); pkg/controller/tainteviction/taint_eviction.go',
    symptoms: ['slow-removal'],
    presentIn: (u) => Number(setting(u, KEY.tolerationSeconds) ?? DEFAULT_TOLERATION_S) > REMEDY_TOLERATION_S,
    scenario: (u) => withNodes(u, MIN_NODES),
    remedy: {
      change: `--set ${KEY.tolerationSeconds}=${REMEDY_TOLERATION_S} (kube-apiserver flag; or tolerationSeconds in the pod's own tolerations)`,
      apply: (s) => withSet(s, { [KEY.tolerationSeconds]: String(REMEDY_TOLERATION_S) }),
    },
  },
];
