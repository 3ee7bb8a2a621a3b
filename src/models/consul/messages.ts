/** Memberlist's UDP messages (net.go messageType) and the Consul RPCs liveness depends on, one datagram each. */
export const ML = {
  ping: 'ml.ping',
  indirectPing: 'ml.indirect-ping',
  ack: 'ml.ack',
  nack: 'ml.nack',
  gossip: 'ml.gossip',
} as const;

export const RPC = {
  /** Catalog.Register / Catalog.Deregister from the agent's anti-entropy syncer. */
  sync: 'consul.sync',
  synced: 'consul.synced',
  /** Health.ServiceNodes with ?passing, a blocking query (index, wait). */
  query: 'consul.health-query',
  result: 'consul.health-result',
} as const;

/** A member's state as memberlist gossips it (alive, suspect and dead messages). */
export type MemberState = 'alive' | 'suspect' | 'dead';

export interface GossipMsg {
  readonly state: MemberState;
  readonly node: string;
  readonly incarnation: number;
  readonly from: string;
}

/** Every UDP packet carries the queued broadcasts piggybacked (sendMsg: compound message). */
export interface Packet {
  readonly piggy: readonly GossipMsg[];
}

export interface PingMsg extends Packet {
  readonly seq: number;
  readonly node: string;
  readonly source: string;
}

export interface IndirectPingMsg extends Packet {
  readonly seq: number;
  readonly target: string;
  readonly source: string;
}

export interface AckMsg extends Packet {
  readonly seq: number;
}

/** The agent's view of its service and check, as anti-entropy sends it to the servers. */
export interface SyncRequest {
  readonly node: string;
  readonly seq: number;
  /** null: the service was deregistered. */
  readonly service: { readonly id: string; readonly checkPassing: boolean } | null;
}

export interface HealthQuery {
  readonly index: number;
}

export interface HealthResult {
  readonly index: number;
  readonly nodes: readonly string[];
}
