/** The etcd gRPC calls liveness depends on (api/v3/etcdserverpb rpc.proto), one datagram each. */
export const ETCD = {
  grant: 'etcd.lease-grant',
  granted: 'etcd.lease-granted',
  put: 'etcd.put',
  putDone: 'etcd.put-done',
  keepAlive: 'etcd.lease-keepalive',
  keepAliveAnswer: 'etcd.lease-keepalive-answer',
  watch: 'etcd.watch',
  watchEvents: 'etcd.watch-events',
  /** A crashed member's OS resets the client's connection (gRPC sees the stream fail). */
  reset: 'etcd.reset',
  /** A follower's LeaseRenew forwarded to the leader (leasehttp.RenewHTTP) and its answer. */
  renewForward: 'etcd.renew-forward',
  renewAnswer: 'etcd.renew-answer',
} as const;

/** LeaseGrantRequest; `attempt` lets the server answer a repeat of the same call with the lease it granted (livesim: TCP delivers a call once). */
export interface GrantRequest {
  readonly ttlS: number;
  readonly attempt: number;
}

export interface GrantResponse {
  readonly attempt: number;
  readonly id: number;
  readonly ttlS: number;
}

/** PutRequest with a lease: the provider's key under the service prefix. */
export interface PutRequest {
  readonly key: string;
  readonly lease: number;
}

export interface KeepAliveRequest {
  readonly id: number;
}

/** LeaseKeepAliveResponse: TTL 0 means the lease is gone (ErrLeaseNotFound → ttl = 0). */
export interface KeepAliveResponse {
  readonly id: number;
  readonly ttlS: number;
}

/** What the consumer hears on its watch: the keys of its first Get, then each change (a put, or the keys a pass of revokes deleted). */
export interface WatchEvents {
  readonly keys?: readonly string[];
  readonly put?: string;
  readonly deleted?: readonly string[];
}
