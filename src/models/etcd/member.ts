import type { Endpoint } from '../../sim/endpoint.js';
import type { Datagram } from '../../sim/network.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { ETCD_CONSTANTS as K } from './defaults.js';
import { ETCD, type GrantRequest, type KeepAliveRequest, type PutRequest } from './messages.js';
import { type CommittedLog, RaftNode } from './raft.js';
import type { EtcdSettings } from './settings.js';

/** The raft entries the lease path writes (etcdserverpb InternalRaftRequest: LeaseGrant, Put, LeaseRevoke), and the leader's no-op. */
type Entry =
  | { readonly kind: 'grant'; readonly id: number; readonly ttlS: number; readonly host: string; readonly via: string; readonly attempt: number }
  | { readonly kind: 'put'; readonly key: string; readonly lease: number; readonly host: string; readonly via: string }
  | { readonly kind: 'revoke'; readonly id: number }
  | { readonly kind: 'noop'; readonly term: number };

interface LeaseState {
  readonly ttlS: number;
  readonly keys: Set<string>;
}

/** The kinds a client sends a member; a crashed member's OS resets the connection (ETCD.reset). */
const CLIENT_KINDS = [ETCD.grant, ETCD.put, ETCD.keepAlive, ETCD.watch] as const;

/**
 * One member of an etcd cluster (v3.5.33 / v3.6.14): raft below, the key space and leases as
 * applied from the committed log, and — on the leader, once its no-op is applied — the primary
 * lessor: Promote(electionTimeout) sets every lease to expire at now + TTL + the election timeout
 * (Lease.refresh(extend): the remaining TTL is the whole TTL without checkpoints); a keepalive
 * renews on the leader, and a follower forwards it to the leader (LeaseRenew → leasehttp); the
 * runLoop's pass every 500 ms proposes the revoke of each expired lease (again after ReqTimeout
 * if not applied), and every member deletes the keys when it applies it, telling its watchers.
 * Reduced (livesim): a keepalive reaching a member without a leader, or a leader whose lessor is
 * not promoted yet, is dropped (etcd holds it until then; the client sends it again on its next
 * 500 ms pass); a Grant or Put reaching a member without a leader is dropped (the client's Grant
 * is sent again).
 */
export class EtcdMember {
  private readonly raft: RaftNode;
  private readonly leases = new Map<number, LeaseState>();
  private readonly keys = new Map<string, number>();
  private readonly watchers = new Set<string>();
  /** The primary lessor's expiries, earliest first (every lease has the same TTL: renewal order). */
  private expiry: Map<number, Micros> | null = null;
  private readonly revokeRetryAt = new Map<number, Micros>();
  /** Keepalives of expired leases: answered TTL 0 when the revoke is applied. */
  private readonly waiting = new Map<number, (() => void)[]>();
  private readonly calls = new Map<string, Entry>();
  private nextId = 1;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: EtcdSettings,
    log: CommittedLog,
    private readonly peers: readonly string[],
    private readonly index: number,
    leader: string,
    phases: { readonly tickUs: Micros; readonly lessorUs: Micros },
  ) {
    this.raft = new RaftNode(ep, peers, s, log, { apply: (e) => this.apply(e as Entry), roleChanged: () => this.roleChanged() }, phases.tickUs, leader);
    for (const kind of CLIENT_KINDS) ep.on(kind, (d) => this.fromClient(d));
    ep.onApp(ETCD.renewForward, (d) => this.renewForwarded(d.from, d.body as KeepAliveRequest & { client: string }));
    ep.onApp(ETCD.renewAnswer, (d) => {
      const b = d.body as { id: number; ttlS: number; client: string };
      this.ep.send(b.client, ETCD.keepAliveAnswer, { id: b.id, ttlS: b.ttlS });
    });
    if (this.raft.isLeader) this.expiry = new Map();
    ep.host.schedule(phases.lessorUs, this.runLoop);
  }

  private get now(): Micros {
    return this.ep.host.now();
  }

  /** The term this member leads, or null. */
  get leaderTerm(): number | null {
    return this.raft.isLeader && this.ep.host.process !== 'dead' ? this.raft.term : null;
  }

  private fromClient(d: Datagram): void {
    if (this.ep.host.process === 'dead') {
      this.ep.send(d.from, ETCD.reset, {});
      return;
    }
    this.ep.host.runInProcess(this.serve, d);
  }

  private readonly serve = (arg: unknown): void => {
    const d = arg as Datagram;
    if (d.kind === ETCD.grant) this.grant(d.from, d.body as GrantRequest);
    else if (d.kind === ETCD.put) this.put(d.from, d.body as PutRequest);
    else if (d.kind === ETCD.keepAlive) this.keepAlive(d.from, d.body as KeepAliveRequest);
    else this.watch(d.from);
  };

  /** The member picks the lease ID (idutil.Generator: unique per member) and proposes the grant. */
  private grant(from: string, req: GrantRequest): void {
    this.ep.host.record('request.recv', { instance: from, op: 'grant' });
    const call = `${from}:${req.attempt}`;
    const known = this.calls.get(call);
    if (known?.kind === 'grant' && this.leases.has(known.id)) {
      this.ep.send(from, ETCD.granted, { attempt: req.attempt, id: known.id, ttlS: this.leases.get(known.id)?.ttlS });
      return;
    }
    const id = known?.kind === 'grant' ? known.id : this.nextId++ * (this.peers.length + 1) + this.index;
    const entry: Entry = { kind: 'grant', id, ttlS: Math.max(req.ttlS, this.s.minTtlS), host: from, via: this.ep.name, attempt: req.attempt };
    this.calls.set(call, entry);
    this.raft.propose(entry);
  }

  private put(from: string, req: PutRequest): void {
    this.ep.host.record('request.recv', { instance: from, op: 'put' });
    this.raft.propose({ kind: 'put', key: req.key, lease: req.lease, host: from, via: this.ep.name });
  }

  private keepAlive(from: string, req: KeepAliveRequest): void {
    this.ep.host.record('beat.recv', { instance: from });
    const reply = (ttlS: number) => this.ep.send(from, ETCD.keepAliveAnswer, { id: req.id, ttlS });
    if (this.raft.isLeader) this.renew(req.id, reply);
    else if (this.raft.lead !== null) this.ep.send(this.raft.lead, ETCD.renewForward, { id: req.id, client: from });
  }

  private renewForwarded(from: string, req: KeepAliveRequest & { client: string }): void {
    if (!this.raft.isLeader) return;
    this.renew(req.id, (ttlS) => this.ep.send(from, ETCD.renewAnswer, { id: req.id, ttlS, client: req.client }));
  }

  /** lessor.Renew on the primary. */
  private renew(id: number, reply: (ttlS: number) => void): void {
    if (this.expiry === null) return;
    const lease = this.leases.get(id);
    const expiry = this.expiry.get(id);
    if (lease === undefined || expiry === undefined) {
      reply(0);
      return;
    }
    if (this.now >= expiry) {
      this.waiting.set(id, [...(this.waiting.get(id) ?? []), () => reply(0)]);
      return;
    }
    this.expiry.delete(id);
    this.expiry.set(id, this.now + msToUs(lease.ttlS * K.secondMs));
    reply(lease.ttlS);
  }

  private watch(from: string): void {
    this.ep.host.record('query.recv', { subscriber: from });
    this.watchers.add(from);
    this.ep.send(from, ETCD.watchEvents, { keys: [...this.keys.keys()] });
  }

  private notify(change: { readonly put?: string; readonly deleted?: readonly string[] }): void {
    for (const w of this.watchers) this.ep.send(w, ETCD.watchEvents, change);
  }

  private roleChanged(): void {
    // Demote: a member that is no longer leader holds its leases forever.
    if (!this.raft.isLeader) this.expiry = null;
  }

  private apply(e: Entry): void {
    const via = this.raft.isLeader ? 'put' : 'sync';
    if (e.kind === 'noop') {
      if (this.raft.isLeader && e.term === this.raft.term) this.promote();
    } else if (e.kind === 'grant') {
      if (!this.leases.has(e.id)) {
        this.leases.set(e.id, { ttlS: e.ttlS, keys: new Set() });
        this.expiry?.set(e.id, this.now + msToUs(e.ttlS * K.secondMs));
      }
      if (e.via === this.ep.name) this.ep.send(e.host, ETCD.granted, { attempt: e.attempt, id: e.id, ttlS: e.ttlS });
    } else if (e.kind === 'put') {
      const lease = this.leases.get(e.lease);
      if (lease !== undefined) {
        const before = this.keys.get(e.key);
        if (before !== undefined) this.leases.get(before)?.keys.delete(e.key);
        this.keys.set(e.key, e.lease);
        lease.keys.add(e.key);
        this.ep.host.record('instance.register', { instance: e.key, via });
        this.notify({ put: e.key });
      }
      if (e.via === this.ep.name) this.ep.send(e.host, ETCD.putDone, { ok: lease !== undefined });
    } else this.revoke(e.id);
  }

  /** Promote(extend): every lease expires at now + extend + its TTL. */
  private promote(): void {
    const extendUs = msToUs(this.s.electionTimeoutMs);
    this.expiry = new Map();
    for (const [id, lease] of this.leases) this.expiry.set(id, this.now + extendUs + msToUs(lease.ttlS * K.secondMs));
    this.ep.host.record('lessor.promote', { leases: this.leases.size });
  }

  private revoke(id: number): void {
    const lease = this.leases.get(id);
    if (lease === undefined) return;
    this.leases.delete(id);
    this.expiry?.delete(id);
    this.revokeRetryAt.delete(id);
    const gone: string[] = [];
    for (const key of lease.keys) {
      if (this.keys.get(key) !== id) continue;
      this.keys.delete(key);
      this.ep.host.record('instance.remove', { instance: key, reason: 'lease expired' });
      gone.push(key);
    }
    if (gone.length > 0) this.notify({ deleted: gone });
    for (const answer of this.waiting.get(id) ?? []) answer();
    this.waiting.delete(id);
  }

  /** runLoop → revokeExpiredLeases: propose the revoke of up to revokeLimit expired leases. */
  private readonly runLoop = (): void => {
    if (this.expiry !== null && this.raft.isLeader) {
      let proposed = 0;
      for (const [id, at] of this.expiry) {
        if (at > this.now || proposed === this.s.revokeLimit) break;
        if ((this.revokeRetryAt.get(id) ?? 0) > this.now) continue;
        this.revokeRetryAt.set(id, this.now + msToUs(K.reqTimeoutBaseMs + K.reqTimeoutElections * this.s.electionTimeoutMs));
        this.raft.propose({ kind: 'revoke', id });
        proposed++;
      }
    }
    this.ep.host.schedule(msToUs(K.lessorCheckMs), this.runLoop);
  };
}
