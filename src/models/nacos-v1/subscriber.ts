import type { Endpoint } from '../../sim/endpoint.js';
import { HttpClient } from '../../sim/http.js';
import { msToUs } from '../../sim/time.js';
import { type CachedHost, usableView } from '../consumer-view.js';
import type { ConsumerFramework } from '../framework/view.js';
import { V1_CONSTANTS as K } from './defaults.js';
import { isHttpError, type PushPacket, type ServiceInfo, UDP_ACK, UDP_PUSH, type V1Request } from './messages.js';
import type { V1Settings } from './settings.js';

/**
 * A Nacos 1.x consumer of the service: HostReactor (first query, then UpdateTask polling with
 * back-off), PushReceiver (UDP push, acked even when ignored) and the cache that
 * `selectInstances(healthy=true)` reads. The usable view is recorded whenever it changes.
 */
export class V1Subscriber {
  /** A consumer framework routing by this cache (src/models/framework/view.ts), if any. */
  framework: ConsumerFramework | null = null;
  private readonly http: HttpClient;
  private cache: ServiceInfo | null = null;
  /** UpdateTask.lastRefTime: starts at Long.MAX_VALUE so that the first run does a full update. */
  private lastRefTime = Number.POSITIVE_INFINITY;
  private failCount = 0;
  private view: string | null = null;
  /** The last host list read and its usable view: the server sends the same list object until it changes. */
  private readHosts: ServiceInfo['hosts'] | null = null;
  private readUsable: string | null = null;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: V1Settings,
    private readonly servers: readonly string[],
  ) {
    this.http = new HttpClient(ep);
    ep.onApp(UDP_PUSH, (d) => this.onPush(d.from, d.body as PushPacket));
  }

  /** The hosts of the cached list (what selectInstances reads), null before the first. */
  get cachedHosts(): readonly CachedHost[] | null {
    return this.cache?.hosts ?? null;
  }

  /** subscribe → getServiceInfo: a synchronous first query, then the UpdateTask 1 s later. */
  start(): void {
    this.query((info) => {
      if (info !== null) this.process(info);
    });
    this.ep.host.schedule(msToUs(K.pollInitialDelayMs), this.updateTask);
  }

  private readonly updateTask = (): void => {
    const cached = this.cache;
    if (cached === null) {
      // No cache yet: update and retry after DEFAULT_DELAY, without touching lastRefTime.
      this.query((info) => {
        if (info !== null) this.process(info);
        this.reschedule(K.pollInitialDelayMs, info === null);
      });
      return;
    }
    const full = cached.lastRefTime <= this.lastRefTime;
    this.query((info) => {
      if (full && info === null) return this.reschedule(K.pollInitialDelayMs, true);
      if (full && info !== null) this.process(info);
      const now = this.cache;
      if (now === null) return this.reschedule(K.pollInitialDelayMs, false);
      this.lastRefTime = now.lastRefTime;
      if (now.hosts.length === 0) return this.reschedule(K.pollInitialDelayMs, true);
      this.failCount = 0;
      this.reschedule(now.cacheMillis, false);
    });
  };

  private reschedule(delayMs: number, failed: boolean): void {
    if (failed && this.failCount < K.pollMaxFailCount) this.failCount++;
    const next = Math.min(delayMs * 2 ** this.failCount, K.pollMaxDelayMs);
    this.ep.host.schedule(msToUs(next), this.updateTask);
  }

  /**
   * queryList with udpPort and healthyOnly=false; null when every try failed. A consumer of a
   * cluster asks its own node first (servers[0]) and the others in turn when that fails.
   */
  private query(done: (info: ServiceInfo | null) => void): void {
    const req: V1Request = { op: 'list', subscriber: this.ep.name };
    const timeouts = { connectTimeoutUs: msToUs(this.s.connectTimeoutMs), readTimeoutUs: msToUs(this.s.readTimeoutMs) };
    const attempt = (i: number): void => {
      this.http.request(this.servers[i] as string, req, timeouts, (r) => {
        if (r.ok && !isHttpError(r.body)) done(r.body as ServiceInfo);
        else if (i + 1 < this.servers.length) attempt(i + 1);
        else done(null);
      });
    };
    attempt(0);
  }

  private onPush(from: string, packet: PushPacket): void {
    this.ep.host.record('push.recv', { pushId: packet.pushId });
    this.process(packet.data);
    this.ep.send(from, UDP_ACK, { pushId: packet.pushId });
  }

  /** processServiceJson: with push-empty protection a list without a healthy host is ignored. */
  private process(info: ServiceInfo): void {
    if (info.hosts !== this.readHosts) {
      this.readHosts = info.hosts;
      this.readUsable = usableView(info.hosts, this.s.pushEmptyProtection);
    }
    const usable = this.readUsable;
    if (usable === null) return;
    this.cache = info;
    if (usable !== this.view) {
      this.view = usable;
      this.ep.host.record('view.update', { instances: usable });
    }
    this.framework?.cacheChanged();
  }
}
