/** ZooKeeper's requests and notifications, reduced to what liveness depends on (one datagram each). */
export const ZK = {
  connect: 'zk.connect',
  connected: 'zk.connected',
  ping: 'zk.ping',
  pong: 'zk.pong',
  create: 'zk.create',
  created: 'zk.created',
  getChildren: 'zk.get-children',
  children: 'zk.children',
  watch: 'zk.watch',
} as const;

/** ConnectRequest: sessionId 0 asks for a new session. */
export interface ConnectRequest {
  readonly sessionId: number;
  readonly timeoutMs: number;
}

/** ConnectResponse: timeout 0 means the session has expired (the client gets Expired). */
export interface ConnectResponse {
  readonly sessionId: number;
  readonly timeoutMs: number;
}

export interface SessionRequest {
  readonly sessionId: number;
}

export interface ChildrenResponse {
  readonly children: readonly string[];
}
