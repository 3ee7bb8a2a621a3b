import type { Endpoint } from '../../sim/endpoint.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { ETCD_CONSTANTS as K } from './defaults.js';
import { ETCD, type GrantRequest, type KeepAliveRequest, type PutRequest } from './messages.js';
import type { EtcdSettings } from './settings.js';

interface Lease {
  readonly id: number;
  readonly host: string;
  readonly ttlS: number;
  expiryUs: Micros;
  readonly keys: Set<string>;
  /** Keepalives that came after expiry: Renew waits for the revoke, then answers not found (TTL 0). */
  readonly waiting: string[];
}

/**
 * A single etcd member, the leader (v3.5.33 / v3.6.14): the primary lessor, the key space under
 * the service prefix, and the prefix's watchers.
 *   - Grant raises the TTL to the minimum and sets expiry = now + TTL (lessor.Grant, refresh(0));
 *   - a keepalive renews it (Renew: expiry = now + TTL; answered with the TTL), or, for a lease
 *     past its expiry, waits for its revoke and answers TTL 0 (Renew: <-l.revokec → ErrLeaseNotFound);
 *   - every 500 ms the runLoop revokes the leases with now ≥ expiry, earliest expiry first, at most
 *     revokeLimit a pass; a revoke deletes the lease's keys, and the watchers of the prefix hear of
 *     it at once (watchableStore.notify in the delete's txn End).
 * Every lease here has the same TTL, so expiry order is renewal order: the map is kept in it (a
 * renewal moves its lease to the end), which is what the lessor's expiry heap yields. Raft's
 * commit of the revoke (a single member's own WAL fsync) takes no simulated time.
 */
export class EtcdServer {
  private readonly leases = new Map<number, Lease>();
  /** Keys under the prefix → their lease. */
  private readonly keys = new Map<string, number>();
  private readonly watchers = new Set<string>();
  /** host:attempt → the lease that Grant call got (a repeat of the call gets the same one). */
  private readonly grants = new Map<string, number>();
  private nextLeaseId = 1;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: EtcdSettings,
    phaseUs: Micros,
  ) {
    ep.onApp(ETCD.grant, (d) => this.grant(d.from, d.body as GrantRequest));
    ep.onApp(ETCD.put, (d) => this.put(d.from, d.body as PutRequest));
    ep.onApp(ETCD.keepAlive, (d) => this.keepAlive(d.from, d.body as KeepAliveRequest));
    ep.onApp(ETCD.watch, (d) => this.watch(d.from));
    ep.host.schedule(phaseUs, this.runLoop);
  }

  private get now(): Micros {
    return this.ep.host.now();
  }

  private grant(from: string, req: GrantRequest): void {
    this.ep.host.record('request.recv', { instance: from, op: 'grant' });
    const call = `${from}:${req.attempt}`;
    let id = this.grants.get(call);
    if (id === undefined) {
      id = this.nextLeaseId++;
      this.grants.set(call, id);
      const ttlS = Math.max(req.ttlS, this.s.minTtlS);
      this.leases.set(id, { id, host: from, ttlS, expiryUs: this.now + msToUs(ttlS * K.secondMs), keys: new Set(), waiting: [] });
    }
    const lease = this.leases.get(id);
    this.ep.send(from, ETCD.granted, { attempt: req.attempt, id, ttlS: lease?.ttlS ?? 0 });
  }

  /** Put with a lease: the key attached to it (a lease gone by now fails the put: ErrLeaseNotFound). */
  private put(from: string, req: PutRequest): void {
    this.ep.host.record('request.recv', { instance: from, op: 'put' });
    const lease = this.leases.get(req.lease);
    if (lease === undefined) {
      this.ep.send(from, ETCD.putDone, { ok: false });
      return;
    }
    const before = this.keys.get(req.key);
    if (before !== undefined) this.leases.get(before)?.keys.delete(req.key);
    this.keys.set(req.key, lease.id);
    lease.keys.add(req.key);
    this.ep.host.record('instance.register', { instance: req.key, via: 'put' });
    this.notify({ put: req.key });
    this.ep.send(from, ETCD.putDone, { ok: true });
  }

  private keepAlive(from: string, req: KeepAliveRequest): void {
    this.ep.host.record('beat.recv', { instance: from });
    const lease = this.leases.get(req.id);
    if (lease === undefined) {
      this.ep.send(from, ETCD.keepAliveAnswer, { id: req.id, ttlS: 0 });
      return;
    }
    if (this.now >= lease.expiryUs) {
      lease.waiting.push(from);
      return;
    }
    lease.expiryUs = this.now + msToUs(lease.ttlS * K.secondMs);
    this.leases.delete(lease.id);
    this.leases.set(lease.id, lease);
    this.ep.send(from, ETCD.keepAliveAnswer, { id: lease.id, ttlS: lease.ttlS });
  }

  /** Watch on the prefix: the keys now (the consumer's Get), then every change. */
  private watch(from: string): void {
    this.ep.host.record('query.recv', { subscriber: from });
    this.watchers.add(from);
    this.ep.send(from, ETCD.watchEvents, { keys: [...this.keys.keys()] });
  }

  private notify(change: { readonly put?: string; readonly deleted?: readonly string[] }): void {
    for (const w of this.watchers) this.ep.send(w, ETCD.watchEvents, change);
  }

  /** runLoop → revokeExpiredLeases every 500 ms. */
  private readonly runLoop = (): void => {
    const deleted: string[] = [];
    let revoked = 0;
    for (const lease of this.leases.values()) {
      if (lease.expiryUs > this.now || revoked === this.s.revokeLimit) break;
      revoked++;
      deleted.push(...this.revoke(lease));
    }
    // livesim: the revokes of one pass reach each watcher as one message.
    if (deleted.length > 0) this.notify({ deleted });
    this.ep.host.schedule(msToUs(K.lessorCheckMs), this.runLoop);
  };

  private revoke(lease: Lease): string[] {
    this.leases.delete(lease.id);
    this.ep.host.record('lease.revoke', { instance: lease.host, lease: lease.id });
    const gone: string[] = [];
    for (const key of lease.keys) {
      if (this.keys.get(key) !== lease.id) continue;
      this.keys.delete(key);
      this.ep.host.record('instance.remove', { instance: key, reason: 'lease expired' });
      gone.push(key);
    }
    for (const host of lease.waiting) this.ep.send(host, ETCD.keepAliveAnswer, { id: lease.id, ttlS: 0 });
    return gone;
  }
}
