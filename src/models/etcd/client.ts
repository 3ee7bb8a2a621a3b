import type { Endpoint } from '../../sim/endpoint.js';
import type { EventHandle } from '../../sim/event-queue.js';
import { msToUs } from '../../sim/time.js';
import { ETCD_CONSTANTS as K } from './defaults.js';
import { ClientLessor } from './keepalive.js';
import { ETCD, type GrantResponse, type WatchEvents } from './messages.js';
import type { EtcdSettings } from './settings.js';

/**
 * A provider: concurrency.NewSession (Grant with the session TTL, then KeepAlive), then a Put of
 * its key under the service prefix with the session's lease. When the session is Done (its lease
 * gone, or unanswered for TTL) it opens a new one (livesim: the application's loop; the Grant is
 * sent again every second until answered, standing in for the unary call over TCP).
 */
export class EtcdProvider {
  private readonly lessor: ClientLessor;
  private attempt = 0;
  private grantTimer: EventHandle | null = null;
  private member: number;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: EtcdSettings,
    /** The cluster's endpoints, and the one the client's connection starts on. */
    private readonly members: readonly string[],
    first: number,
  ) {
    this.member = first;
    this.lessor = new ClientLessor(ep, () => this.server);
    ep.onApp(ETCD.granted, (d) => this.granted(d.body as GrantResponse));
    // The connection's member crashed: gRPC moves to the next endpoint; the keepalive stream follows.
    ep.onApp(ETCD.reset, (d) => {
      if (d.from !== this.server) return;
      this.member = (this.member + 1) % this.members.length;
      this.lessor.streamFailed();
    });
  }

  private get server(): string {
    return this.members[this.member] as string;
  }

  start(): void {
    this.newSession();
  }

  private newSession(): void {
    this.attempt++;
    this.sendGrant();
  }

  private readonly sendGrant = (): void => {
    this.ep.send(this.server, ETCD.grant, { ttlS: this.s.requestedTtlS, attempt: this.attempt });
    this.grantTimer = this.ep.host.schedule(msToUs(K.regrantRetryMs), this.sendGrant);
  };

  private granted(r: GrantResponse): void {
    if (r.attempt !== this.attempt || this.grantTimer === null) return;
    this.ep.host.cancel(this.grantTimer);
    this.grantTimer = null;
    this.lessor.keep(r.id, (why) => {
      this.ep.host.record('client.detected', { reason: why, lease: r.id });
      this.newSession();
    });
    this.ep.send(this.server, ETCD.put, { key: this.ep.name, lease: r.id });
  }
}

/** A consumer: Get and Watch on the service prefix; the usable view is the keys it holds. */
export class EtcdWatcher {
  private readonly keys = new Set<string>();
  private view: string | null = null;

  constructor(
    private readonly ep: Endpoint,
    private readonly server: string,
  ) {
    ep.onApp(ETCD.watchEvents, (d) => this.events(d.body as WatchEvents));
  }

  start(): void {
    this.ep.send(this.server, ETCD.watch, {});
  }

  private events(e: WatchEvents): void {
    for (const k of e.keys ?? []) this.keys.add(k);
    if (e.put !== undefined) this.keys.add(e.put);
    for (const k of e.deleted ?? []) this.keys.delete(k);
    const view = [...this.keys].join(',');
    if (view === this.view) return;
    this.view = view;
    this.ep.host.record('view.update', { instances: view });
  }
}
