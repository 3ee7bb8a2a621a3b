import type { Host } from '../../sim/host.js';
import { msToUs } from '../../sim/time.js';
import { DelayEngine, type DelayTask } from '../nacos-v1/cluster-delay.js';
import { MEMBER_REPORT, type MemberManager } from '../nacos-v1/cluster-members.js';
import type { ClusterRpc } from './cluster-rpc.js';
import type { V2ClusterSettings } from './cluster-settings.js';
import { V2_CLUSTER_CONSTANTS as K } from './defaults.js';
import type { Publisher, Transport, V2ClusterHooks, V2Server } from './server.js';

/**
 * Distro for Nacos 2.x gRPC clients on one node (naming/.../consistency/ephemeral/distro/v2,
 * core/.../distributed/distro, tag 2.5.1 unless stated):
 *   - the node holding a connection owns its client (native); a change to it (ClientChangedEvent)
 *     is synced to every other member after the sync delay, its disconnect (ClientDisconnectEvent)
 *     as a DELETE; a sync that fails, or that finds the member not UP, is retried after the retry
 *     delay, for as long as the member exists;
 *   - every verify interval the node sends each UP member a verify per native client; the
 *     receiver renews its copy (lastRenewTime), or answers that it has none (or a stale revision,
 *     2.2.0+) and the owner syncs the client to it at once (ClientVerifyFailedEvent);
 *   - every 5 s from its start each node drops the copies not renewed for
 *     nacos.naming.client.expired.time (ConnectionBasedClientManager.ExpiredClientCleaner).
 * Only clients that publish instances are synced (subscriber-only clients carry no instances). The
 * verifies of one round to one member travel as one message: they leave at the same instant and
 * share the path, so only the number of datagrams differs from Nacos's one request per client.
 */
type Action = 'CHANGE' | 'ADD' | 'DELETE';

interface SyncTarget {
  readonly clientId: number;
  readonly target: string;
}

interface Native {
  readonly t: Transport;
  revision: number;
}

/** A copy of another node's client: publishes its instances here until deleted or expired. */
class Copy implements Publisher {
  readonly published = new Set<string>();
  readonly synced = true;
  revision = 0;

  constructor(
    readonly connectionId: number,
    readonly source: string,
    public lastRenewUs: number,
  ) {}
}

export type DistroMessage =
  | { readonly op: 'distro-sync'; readonly clientId: number; readonly ids: readonly string[]; readonly revision: number }
  | { readonly op: 'distro-delete'; readonly clientId: number }
  | { readonly op: 'distro-verify'; readonly clients: readonly { readonly clientId: number; readonly revision: number }[] }
  | { readonly op: typeof MEMBER_REPORT; readonly from: string };

interface Answer {
  readonly ok: boolean;
  /** distro-verify: the clients the receiver could not renew. */
  readonly invalid?: readonly number[];
}

const OK: Answer = { ok: true };

export class DistroNode implements V2ClusterHooks {
  server: V2Server | null = null;
  rpc: ClusterRpc | null = null;
  members: MemberManager | null = null;
  private readonly natives = new Map<number, Native>();
  private readonly copies = new Map<number, Copy>();
  private readonly engine: DelayEngine<SyncTarget>;

  constructor(
    private readonly host: Host,
    private readonly cs: V2ClusterSettings,
  ) {
    this.engine = new DelayEngine(host, msToUs(K.distroEngineTickMs), (key, task) => this.execute(key, task));
  }

  start(): void {
    this.host.schedule(msToUs(this.cs.verifyIntervalMs), this.verifyTask);
    this.host.schedule(0, this.cleaner);
  }

  /** The newest registered connection of `client` on this node, if any. */
  nativeOf(client: string): number | null {
    let found: number | null = null;
    for (const t of this.server?.connections.values() ?? []) if (t.client === client && (found === null || t.connectionId > found)) found = t.connectionId;
    return found;
  }

  // ——— the server's hooks: DistroClientDataProcessor.syncToAllServer ———

  changed(t: Transport): void {
    let n = this.natives.get(t.connectionId);
    if (n === undefined) {
      n = { t, revision: 0 };
      this.natives.set(t.connectionId, n);
    }
    n.revision++;
    this.syncToAll(t.connectionId, 'CHANGE');
  }

  disconnected(t: Transport): void {
    if (this.natives.delete(t.connectionId)) this.syncToAll(t.connectionId, 'DELETE');
  }

  private syncToAll(clientId: number, action: Action): void {
    for (const target of this.peers()) this.engine.add(`${clientId}>${target}`, action, { clientId, target }, msToUs(this.cs.syncDelayMs));
  }

  private peers(): readonly string[] {
    return this.members?.peers() ?? [];
  }

  /** DistroSyncChangeTask / DistroSyncDeleteTask through DistroClientTransportAgent.syncData. */
  private execute(key: string, task: DelayTask<SyncTarget>): void {
    const { clientId, target } = task.payload;
    if (this.members?.state(target) !== 'UP') {
      this.failed(key, task);
      return;
    }
    let body: DistroMessage;
    if (task.action === 'DELETE') body = { op: 'distro-delete', clientId };
    else {
      const n = this.natives.get(clientId);
      // The client is gone: no data to sync, the task is dropped.
      if (n === undefined) return;
      body = { op: 'distro-sync', clientId, ids: [...n.t.published], revision: n.revision };
    }
    this.rpc?.call(target, body, msToUs(this.cs.syncTimeoutMs), (r) => {
      if (!r.ok || !(r.body as Answer).ok) this.failed(key, task);
    });
  }

  private failed(key: string, task: DelayTask<SyncTarget>): void {
    this.host.record('distro.sync-fail', { to: task.payload.target, client: task.payload.clientId, action: task.action });
    this.engine.add(key, task.action, task.payload, msToUs(this.cs.syncRetryDelayMs));
  }

  /** DistroVerifyTimedTask: scheduleWithFixedDelay(interval, interval); only to UP members. */
  private readonly verifyTask = (): void => {
    this.host.schedule(msToUs(this.cs.verifyIntervalMs), this.verifyTask);
    if (this.natives.size === 0) return;
    const clients = [...this.natives.values()].map((n) => ({ clientId: n.t.connectionId, revision: this.cs.verifyRevision ? n.revision : 0 }));
    for (const target of this.peers()) {
      if (this.members?.state(target) !== 'UP') continue;
      this.rpc?.call(target, { op: 'distro-verify', clients } satisfies DistroMessage, msToUs(this.cs.verifyTimeoutMs), (r) => {
        if (!r.ok) return;
        for (const clientId of (r.body as Answer).invalid ?? []) {
          if (!this.natives.has(clientId)) continue;
          // ClientVerifyFailedEvent → syncToTarget(ADD, delay 0).
          this.host.record('distro.verify-fail', { to: target, client: clientId });
          this.engine.add(`${clientId}>${target}`, 'ADD', { clientId, target }, 0);
        }
      });
    }
  };

  /** ExpiredClientCleaner: a copy not renewed for the expired time is released like a disconnect. */
  private readonly cleaner = (): void => {
    const now = this.host.now();
    for (const [clientId, c] of [...this.copies]) {
      if (now - c.lastRenewUs > msToUs(this.cs.clientExpiredMs)) {
        this.host.record('distro.expire', { client: clientId, owner: c.source });
        this.release(clientId, 'client-expired');
      }
    }
    this.host.schedule(msToUs(K.expiredCleanerPeriodMs), this.cleaner);
  };

  private release(clientId: number, reason: string): void {
    const c = this.copies.get(clientId);
    if (c === undefined) return;
    this.copies.delete(clientId);
    for (const id of [...c.published]) this.server?.unpublish(c, id, reason);
  }

  // ——— what other nodes send (DistroClientDataProcessor.processData / processVerifyData) ———

  handle(from: string, body: unknown, reply: (response: unknown) => void): void {
    const m = body as DistroMessage;
    switch (m.op) {
      case MEMBER_REPORT:
        this.members?.onReport(from);
        reply(OK);
        return;
      case 'distro-sync':
        this.upgrade(from, m.clientId, m.ids, m.revision);
        reply(OK);
        return;
      case 'distro-delete':
        this.release(m.clientId, 'distro-delete');
        reply(OK);
        return;
      case 'distro-verify': {
        const invalid: number[] = [];
        for (const { clientId, revision } of m.clients) {
          const c = this.copies.get(clientId);
          if (c !== undefined && (!this.cs.verifyRevision || revision === 0 || c.revision === revision)) c.lastRenewUs = this.host.now();
          else invalid.push(clientId);
        }
        reply({ ok: true, invalid } satisfies Answer);
        return;
      }
    }
  }

  /** syncClientConnected (a new copy's lastRenewTime is now) + upgradeClient (publish exactly the synced instances). */
  private upgrade(from: string, clientId: number, ids: readonly string[], revision: number): void {
    let c = this.copies.get(clientId);
    if (c === undefined) {
      c = new Copy(clientId, from, this.host.now());
      this.copies.set(clientId, c);
    }
    const server = this.server;
    if (server === null) return;
    for (const id of ids) if (!c.published.has(id)) server.publish(c, id);
    for (const id of [...c.published]) if (!ids.includes(id)) server.unpublish(c, id, 'distro-sync');
    c.revision = revision;
  }
}
