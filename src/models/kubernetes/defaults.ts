import type { Constant, Knob } from '../knob.js';

/**
 * Kubernetes endpoint liveness (github:kubernetes/kubernetes, tags v1.31.0 and v1.32.0): the one
 * table of defaults. Each key is the real configuration name: a KubeletConfiguration field, a
 * kube-controller-manager or kube-apiserver flag, a Pod's readinessProbe field, or a
 * KubeProxyConfiguration field. Keys ending in -seconds / Seconds take whole seconds, as in
 * Kubernetes; the others take durations.
 */
export const K8S_KEYS = {
  leaseDuration: 'nodeLeaseDurationSeconds',
  statusUpdateFrequency: 'nodeStatusUpdateFrequency',
  monitorPeriod: 'node-monitor-period',
  monitorGrace: 'node-monitor-grace-period',
  evictionRate: 'node-eviction-rate',
  secondaryEvictionRate: 'secondary-node-eviction-rate',
  unhealthyZoneThreshold: 'unhealthy-zone-threshold',
  largeClusterThreshold: 'large-cluster-size-threshold',
  tolerationSeconds: 'default-unreachable-toleration-seconds',
  endpointBatchPeriod: 'endpointslice-updates-batch-period',
  probePeriod: 'readinessProbe.periodSeconds',
  probeTimeout: 'readinessProbe.timeoutSeconds',
  probeFailureThreshold: 'readinessProbe.failureThreshold',
  probeSuccessThreshold: 'readinessProbe.successThreshold',
  proxyMinSync: 'iptables.minSyncPeriod',
  watchDelay: 'sim.watchDelay',
  monitorPhase: 'sim.server.monitorPhase',
  probePhase: 'sim.probePhase',
} as const;

const K = 'kubernetes/kubernetes';
const KUBELET_CONFIG = `${K} v1.32.0 pkg/kubelet/apis/config/v1beta1/defaults.go (SetDefaults_KubeletConfiguration)`;
const NLC_DEFAULTS = `${K} v1.32.0 pkg/controller/nodelifecycle/config/v1alpha1/defaults.go (RecommendedDefaultNodeLifecycleControllerConfiguration)`;
const NLC_FLAGS = `${K} v1.32.0 cmd/kube-controller-manager/app/options/nodelifecyclecontroller.go AddFlags`;
const NLC = `${K} v1.32.0 pkg/controller/nodelifecycle/node_lifecycle_controller.go`;
const PROBE_DEFAULTS = `${K} v1.32.0 pkg/apis/core/v1/defaults.go SetDefaults_Probe`;
const PROXY_DEFAULTS = `${K} v1.32.0 pkg/proxy/apis/config/v1alpha1/defaults.go SetDefaults_KubeProxyConfiguration`;

export const K8S_KNOBS: readonly Knob[] = [
  {
    key: K8S_KEYS.leaseDuration,
    type: 'number',
    default: 40,
    min: 1,
    max: 3600,
    integer: true,
    description:
      'the node Lease’s duration; the kubelet renews it every 0.25 × this (10 s), jittered by up to 4 %, counted from the end of the previous renewal (a KubeletConfiguration field: there is no command-line flag)',
    source: `${KUBELET_CONFIG} NodeLeaseDurationSeconds = 40; ${K} v1.32.0 pkg/kubelet/kubelet.go nodeLeaseRenewIntervalFraction = 0.25`,
  },
  {
    key: K8S_KEYS.statusUpdateFrequency,
    type: 'duration',
    default: 10000,
    minMs: 1,
    description: 'the heartbeat client’s timeout is the smaller of this and the lease duration: a lease update unanswered for this long fails',
    source: `${KUBELET_CONFIG} NodeStatusUpdateFrequency = 10 * time.Second; ${K} v1.32.0 cmd/kubelet/app/server.go (heartbeat client Timeout, capped at the lease duration)`,
  },
  {
    key: K8S_KEYS.monitorPeriod,
    type: 'duration',
    default: 5000,
    minMs: 1,
    description: 'period of monitorNodeHealth (wait.Until, sliding): each pass reads every node’s Lease and condition',
    source: `${K} v1.32.0 staging/src/k8s.io/cloud-provider/config/v1alpha1/defaults.go SetDefaults_KubeCloudSharedConfiguration (NodeMonitorPeriod 5 * time.Second); ${NLC} Run (wait.UntilWithContext(ctx, …monitorNodeHealth, nc.nodeMonitorPeriod))`,
  },
  {
    key: K8S_KEYS.monitorGrace,
    type: 'duration',
    default: 'auto',
    minMs: 1,
    description:
      'a node whose Lease renewal was last seen longer ago than this (strictly) is marked Ready=Unknown and its pods Ready=False (auto: 40 s before v1.32.0, 50 s from v1.32.0)',
    source: `${NLC_DEFAULTS} NodeMonitorGracePeriod (40 * time.Second at v1.31.0, 50 * time.Second at v1.32.0: kubernetes PR #126287); ${NLC_FLAGS}; ${NLC} tryUpdateNodeHealth`,
  },
  {
    key: K8S_KEYS.evictionRate,
    type: 'number',
    default: 0.1,
    min: 0,
    max: 1000,
    description: 'nodes per second the NoExecute tainter may taint in a healthy zone (token bucket, burst 1)',
    source: `${NLC_FLAGS} node-eviction-rate 0.1; ${NLC} (scheduler.NewRateLimitedTimedQueue, flowcontrol.NewTokenBucketRateLimiter(qps, EvictionRateLimiterBurst = 1))`,
  },
  {
    key: K8S_KEYS.secondaryEvictionRate,
    type: 'number',
    default: 0.01,
    min: 0,
    max: 1000,
    description: 'the rate in a partially disrupted zone; 0 when the cluster has no more nodes than the large-cluster threshold',
    source: `${NLC_FLAGS} secondary-node-eviction-rate 0.01; ${NLC} ReducedQPSFunc / setLimiterInZone`,
  },
  {
    key: K8S_KEYS.unhealthyZoneThreshold,
    type: 'number',
    default: 0.55,
    min: 0,
    max: 1,
    description:
      'a zone with more than 2 not-Ready nodes and at least this share of them is partially disrupted; with none Ready, fully disrupted (no taints at all)',
    source: `${NLC_FLAGS} unhealthy-zone-threshold 0.55; ${NLC} ComputeZoneState, handleDisruption`,
  },
  {
    key: K8S_KEYS.largeClusterThreshold,
    type: 'number',
    default: 50,
    min: 0,
    max: 1_000_000,
    integer: true,
    description: 'clusters of at most this many nodes stop tainting in a partially disrupted zone (the secondary rate becomes 0)',
    source: `${NLC_FLAGS} large-cluster-size-threshold 50; ${NLC} ReducedQPSFunc`,
  },
  {
    key: K8S_KEYS.tolerationSeconds,
    type: 'number',
    default: 300,
    min: 0,
    max: 86400,
    integer: true,
    description:
      'tolerationSeconds the DefaultTolerationSeconds admission plugin gives every pod for node.kubernetes.io/unreachable:NoExecute: the taint eviction controller deletes the pod this long after the taint',
    source: `${K} v1.32.0 plugin/pkg/admission/defaulttolerationseconds/admission.go (default-unreachable-toleration-seconds 300); ${K} v1.32.0 pkg/controller/tainteviction/taint_eviction.go processPodOnNode`,
  },
  {
    key: K8S_KEYS.endpointBatchPeriod,
    type: 'duration',
    default: 0,
    minMs: 0,
    description: 'the EndpointSlice controller waits this long after a pod change before it syncs the service (batching)',
    source: `${K} v1.32.0 pkg/controller/endpointslice/config/v1alpha1/defaults.go (EndpointUpdatesBatchPeriod 0); ${K} v1.32.0 staging/src/k8s.io/endpointslice (controller: queue.AddAfter(key, endpointUpdatesBatchPeriod))`,
  },
  {
    key: K8S_KEYS.probePeriod,
    type: 'number',
    default: 10,
    min: 1,
    max: 3600,
    integer: true,
    description: 'seconds between readiness probes of the pod by its node’s kubelet (a ticker: fixed rate)',
    source: `${PROBE_DEFAULTS} PeriodSeconds = 10; ${K} v1.32.0 pkg/kubelet/prober/worker.go run (time.NewTicker)`,
  },
  {
    key: K8S_KEYS.probeTimeout,
    type: 'number',
    default: 1,
    min: 1,
    max: 3600,
    integer: true,
    description: 'seconds a probe waits for the app’s answer before it counts as a failure',
    source: `${PROBE_DEFAULTS} TimeoutSeconds = 1; ${K} v1.32.0 pkg/kubelet/prober/prober.go runProbe`,
  },
  {
    key: K8S_KEYS.probeFailureThreshold,
    type: 'number',
    default: 3,
    min: 1,
    max: 1000,
    integer: true,
    description: 'consecutive failed probes that turn the container (and the pod) not Ready',
    source: `${PROBE_DEFAULTS} FailureThreshold = 3; ${K} v1.32.0 pkg/kubelet/prober/worker.go doProbe (resultRun)`,
  },
  {
    key: K8S_KEYS.probeSuccessThreshold,
    type: 'number',
    default: 1,
    min: 1,
    max: 1000,
    integer: true,
    description: 'consecutive successful probes that turn a not-Ready container Ready again',
    source: `${PROBE_DEFAULTS} SuccessThreshold = 1; ${K} v1.32.0 pkg/kubelet/prober/worker.go doProbe`,
  },
  {
    key: K8S_KEYS.proxyMinSync,
    type: 'duration',
    default: 1000,
    minMs: 0,
    description:
      'kube-proxy’s rule rewrites are rate-limited to one per this, with a burst of 2 (BoundedFrequencyRunner): an EndpointSlice change waits only after two rewrites within it',
    source: `${PROXY_DEFAULTS} IPTables.MinSyncPeriod = 1 * time.Second; ${K} v1.32.0 pkg/proxy/iptables/proxier.go NewProxier (burstSyncs := 2); ${K} v1.32.0 pkg/util/async/bounded_frequency_runner.go tryRun`,
  },
  {
    key: K8S_KEYS.watchDelay,
    type: 'duration',
    default: 0,
    minMs: 0,
    description: 'extra delay of a watch event from the API server to a kube-proxy on top of the network leg (watch cache, informer handler)',
    source: 'livesim: a setting; the apiserver watch cache and client-go informer add milliseconds that no release states as a constant',
  },
  {
    key: K8S_KEYS.monitorPhase,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: 'first node-monitor pass after the nodes start (auto: drawn from the run seed within one monitor period)',
    source: 'livesim: the controller manager started at an unknown moment before the nodes',
  },
  {
    key: K8S_KEYS.probePhase,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: 'first readiness probe of each pod after its node starts (auto: drawn from the run seed within one probe period)',
    source: 'livesim: the probe worker starts with the pod (pkg/kubelet/prober/worker.go run), at an unknown moment',
  },
];

/** What Kubernetes does not let anyone change (or livesim does not vary), each with its source. */
export const K8S_CONSTANTS = {
  /** pkg/kubelet/kubelet.go nodeLeaseRenewIntervalFraction. */
  renewIntervalFraction: 0.25,
  /** component-helpers lease controller Run: wait.JitterUntil(c.sync, c.renewInterval, 0.04, true, …). */
  renewJitter: 0.04,
  /** component-helpers lease controller: maxUpdateRetries = 5. */
  maxUpdateRetries: 5,
  /** node_lifecycle_controller.go nodeEvictionPeriod = 100 * time.Millisecond (doNoExecuteTaintingPass). */
  taintPassMs: 100,
  /** scheduler.EvictionRateLimiterBurst. */
  evictionBurst: 1,
  /** ComputeZoneState: partial disruption needs more than this many not-Ready nodes. */
  partialDisruptionMinNotReady: 2,
  /** pkg/kubelet/kubelet.go genericPlegRelistPeriod = time.Second * 1. */
  plegRelistMs: 1000,
  /** pkg/kubelet/status/status_manager.go syncPeriod = 10 * time.Second (syncBatch). */
  statusSyncMs: 10_000,
  /** pkg/proxy/iptables/proxier.go NewProxier: burstSyncs := 2; maxInterval time.Hour. */
  proxyBurstSyncs: 2,
  proxyMaxIntervalMs: 3_600_000,
  secondMs: 1000,
} as const;

export const K8S_CONSTANT_ROWS: readonly Constant[] = [
  {
    name: 'lease renew interval fraction',
    value: K8S_CONSTANTS.renewIntervalFraction,
    unit: 'ratio',
    description: 'of nodeLeaseDurationSeconds: the kubelet renews its node Lease every 40 s × 0.25 = 10 s',
    source: `${K} v1.32.0 pkg/kubelet/kubelet.go nodeLeaseRenewIntervalFraction = 0.25 (renewInterval = leaseDuration × fraction)`,
  },
  {
    name: 'lease renew jitter',
    value: K8S_CONSTANTS.renewJitter,
    unit: 'ratio',
    description: 'each wait between renewals is the interval × (1 + U[0, 0.04)), counted after the renewal returned (sliding)',
    source: `${K} v1.32.0 staging/src/k8s.io/component-helpers/apimachinery/lease/controller.go Run (wait.JitterUntil(c.sync, c.renewInterval, 0.04, true, stopCh))`,
  },
  {
    name: 'lease update attempts',
    value: K8S_CONSTANTS.maxUpdateRetries,
    unit: 'count',
    description: 'a renewal tries its Update this many times (each up to the heartbeat client timeout) before it gives up until the next interval',
    source: `${K} v1.32.0 staging/src/k8s.io/component-helpers/apimachinery/lease/controller.go maxUpdateRetries = 5, retryUpdateLease`,
  },
  {
    name: 'NoExecute tainting pass',
    value: K8S_CONSTANTS.taintPassMs,
    unit: 'ms',
    description: 'period of doNoExecuteTaintingPass, which taints the nodes queued by the monitor pass (one pass after it saw them not Ready)',
    source: `${NLC} nodeEvictionPeriod = 100 * time.Millisecond; Run (wait.UntilWithContext(ctx, nc.doNoExecuteTaintingPass, nodeEvictionPeriod))`,
  },
  {
    name: 'eviction rate limiter burst',
    value: K8S_CONSTANTS.evictionBurst,
    unit: 'count',
    description: 'tokens the per-zone tainting queue holds: the first node is tainted at once, the next after 1 / rate',
    source: `${K} v1.32.0 pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go EvictionRateLimiterBurst = 1`,
  },
  {
    name: 'PLEG relist period',
    value: K8S_CONSTANTS.plegRelistMs,
    unit: 'ms',
    description: 'the kubelet notices a container that exited within this (its pod turns not Ready, its status is sent)',
    source: `${K} v1.32.0 pkg/kubelet/kubelet.go genericPlegRelistPeriod = time.Second * 1`,
  },
  {
    name: 'status manager batch',
    value: K8S_CONSTANTS.statusSyncMs,
    unit: 'ms',
    description: 'the kubelet resends a pod status that failed, or that the API server holds otherwise (MarkPodsNotReady), at this tick',
    source: `${K} v1.32.0 pkg/kubelet/status/status_manager.go syncPeriod = 10 * time.Second (Start: syncTicker, syncBatch)`,
  },
  {
    name: 'kube-proxy sync burst',
    value: K8S_CONSTANTS.proxyBurstSyncs,
    unit: 'count',
    description: 'rule rewrites kube-proxy may make back to back before minSyncPeriod applies (token bucket at 1 / minSyncPeriod)',
    source: `${K} v1.32.0 pkg/proxy/iptables/proxier.go NewProxier (burstSyncs := 2, NewBoundedFrequencyRunner(…, minSyncPeriod, time.Hour, burstSyncs))`,
  },
  {
    name: 'kube-proxy max interval',
    value: K8S_CONSTANTS.proxyMaxIntervalMs,
    unit: 'ms',
    description: 'the runner rewrites the rules at least this often without a change',
    source: `${K} v1.32.0 pkg/proxy/iptables/proxier.go NewProxier (maxInterval time.Hour: "time.Hour is arbitrary")`,
  },
];
