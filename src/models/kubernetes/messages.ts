/**
 * The API calls liveness depends on, reduced to their fields. The kubelet's calls travel on its
 * long-lived connection to the API server (livesim: one datagram each way, no retransmission);
 * a watch event is one datagram from the API server to the watcher.
 */
export const K8S = {
  request: 'k8s.request',
  response: 'k8s.response',
  watch: 'k8s.watch',
  slice: 'k8s.endpointslice',
} as const;

export type ApiRequest =
  /** PUT leases/NODE: renewTime = now (coordination.k8s.io/v1 Lease in kube-node-lease). */
  | { readonly op: 'lease'; readonly node: string }
  /** PATCH nodes/NODE/status: Ready=True. */
  | { readonly op: 'node-status'; readonly node: string }
  /** PATCH pods/POD/status: the Ready condition. */
  | { readonly op: 'pod-status'; readonly node: string; readonly ready: boolean };

export interface ApiCall {
  readonly id: number;
  readonly req: ApiRequest;
}

/** What the kubelet learns of the API server's copy of its node and pod (livesim: carried on every answer; the kubelet's node and pod watches in Kubernetes). */
export interface ApiAnswer {
  readonly id: number;
  readonly nodeReady: boolean;
  readonly podReady: boolean;
}

/**
 * A watch event: the Service's ready endpoints, in node order, with the slice's resourceVersion
 * (a watch is one ordered stream: a consumer never applies an older version after a newer one).
 */
export interface SliceEvent {
  readonly version: number;
  readonly ready: readonly string[];
}
