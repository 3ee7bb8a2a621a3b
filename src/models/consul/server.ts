import type { Endpoint } from '../../sim/endpoint.js';
import type { EventHandle } from '../../sim/event-queue.js';
import { msToUs } from '../../sim/time.js';
import { CONSUL_CONSTANTS as K } from './defaults.js';
import type { MemberEvents } from './memberlist.js';
import { type HealthQuery, type HealthResult, RPC, type SyncRequest } from './messages.js';
import { sendReliably } from './reliable.js';

interface NodeEntry {
  /** The node's serfHealth check, kept by the leader from Serf's member events. */
  serfHealthy: boolean;
  /** The node's service and whether its check passes; null: not registered. */
  service: { readonly checkPassing: boolean } | null;
}

interface Waiting {
  readonly from: string;
  readonly index: number;
  readonly timer: EventHandle;
}

/**
 * The Consul server (one node, its own leader; Raft is not modelled: a write applies at once):
 *   - the catalog: each node with its serfHealth check and its service's check, written by the
 *     agents' anti-entropy syncs (Catalog.Register / Deregister);
 *   - serfHealth from Serf's LAN member events: a member memberlist declares dead turns it
 *     critical ("Agent not live or unreachable", leader.go handleFailedMember), alive again
 *     passing (handleAliveMember); the leader reconciles each event as it comes (reconcileCh);
 *   - /v1/health/service/:name?passing as a blocking query: answered at once when the caller's
 *     index is behind, else held until the result changes or the wait (default_query_time 300 s
 *     plus a jitter of up to wait/16, rpc.go blockingQuery) runs out.
 * The followed instance's records: registered, unhealthy (no longer passing), healthy, removed.
 */
export class ConsulServer {
  private readonly catalog = new Map<string, NodeEntry>();
  private index = 1;
  private waiting: Waiting[] = [];

  constructor(
    private readonly ep: Endpoint,
    members: readonly string[],
  ) {
    for (const m of members) this.catalog.set(m, { serfHealthy: true, service: null });
    ep.on(RPC.sync, (d) => this.sync(d.body as SyncRequest));
    ep.on(RPC.query, (d) => this.query(d.from, d.body as HealthQuery));
  }

  /** What Serf tells the leader about LAN members. */
  readonly events: MemberEvents = {
    failed: (node) => this.setSerfHealth(node, false),
    alive: (node) => this.setSerfHealth(node, true),
  };

  private passingNodes(): string[] {
    return [...this.catalog].filter(([, e]) => e.serfHealthy && e.service?.checkPassing).map(([n]) => n);
  }

  private change(node: string, update: (e: NodeEntry) => void): void {
    const e = this.catalog.get(node) ?? { serfHealthy: true, service: null };
    this.catalog.set(node, e);
    const wasListed = e.service !== null;
    const wasPassing = wasListed && e.serfHealthy && (e.service?.checkPassing ?? false);
    const before = JSON.stringify(e);
    update(e);
    if (JSON.stringify(e) === before) return;
    const listed = e.service !== null;
    const passing = listed && e.serfHealthy && (e.service?.checkPassing ?? false);
    if (!wasListed && listed) this.ep.host.record('instance.register', { instance: node, via: 'sync' });
    if (wasListed && !listed) this.ep.host.record('instance.remove', { instance: node, reason: 'deregistered' });
    else if (wasPassing && !passing)
      this.ep.host.record('instance.unhealthy', { instance: node, reason: e.serfHealthy ? 'check critical' : 'serfHealth critical' });
    else if (listed && wasListed && !wasPassing && passing) this.ep.host.record('instance.healthy', { instance: node });
    this.index++;
    this.wake();
  }

  private setSerfHealth(node: string, healthy: boolean): void {
    this.ep.host.record('serf.member', { instance: node, status: healthy ? 'alive' : 'failed' });
    this.change(node, (e) => {
      e.serfHealthy = healthy;
    });
  }

  private sync(req: SyncRequest): void {
    this.ep.host.record('request.recv', { instance: req.node, op: 'sync' });
    this.change(req.node, (e) => {
      e.service = req.service === null ? null : { checkPassing: req.service.checkPassing };
    });
    this.ep.send(req.node, RPC.synced, { seq: req.seq });
  }

  private query(from: string, q: HealthQuery): void {
    this.ep.host.record('query.recv', { subscriber: from });
    if (q.index < this.index) {
      this.answer(from);
      return;
    }
    const waitUs = msToUs(K.defaultQueryTimeMs);
    const jitterUs = this.ep.host.sim.rng(`consul.query-jitter:${this.ep.name}`).intInclusive(0, Math.floor(waitUs / K.queryJitterFraction) - 1);
    const timer = this.ep.host.sim.schedule(waitUs + jitterUs, () => {
      this.waiting = this.waiting.filter((w) => w.timer !== timer);
      this.answer(from);
    });
    this.waiting.push({ from, index: q.index, timer });
  }

  private wake(): void {
    const due = this.waiting.filter((w) => w.index < this.index);
    this.waiting = this.waiting.filter((w) => w.index >= this.index);
    for (const w of due) {
      this.ep.host.sim.cancel(w.timer);
      this.answer(w.from);
    }
  }

  private answer(to: string): void {
    const r: HealthResult = { index: this.index, nodes: this.passingNodes() };
    sendReliably(this.ep, to, RPC.result, r);
  }
}
