import type { Endpoint } from '../../sim/endpoint.js';
import type { StreamStack } from '../../sim/stream.js';
import { msToUs } from '../../sim/time.js';
import { type CachedHost, usableView } from '../consumer-view.js';
import type { ConsumerFramework } from '../framework/view.js';
import { Redo, RedoService } from './client.js';
import { V2_CONSTANTS as K } from './defaults.js';
import type { ClientRequest, Response, ServiceInfo } from './messages.js';
import { RpcClient, type RpcClientListener } from './rpc-client.js';
import type { V2Settings } from './settings.js';

/**
 * A Nacos 2.x consumer of the service: subscribe over its own gRPC connection (with redo),
 * NamingPushRequestHandler for pushes, ServiceInfoHolder's cache (with push-empty protection),
 * and the UpdateTask poll where the release polls by default. The usable view (healthy
 * instances) is recorded whenever it changes.
 */
export class V2Subscriber implements RpcClientListener {
  /** A consumer framework routing by this cache (src/models/framework/view.ts), if any. */
  framework: ConsumerFramework | null = null;
  private readonly rpc: RpcClient;
  private readonly redoService: RedoService;
  private readonly redo = new Redo();
  private cache: ServiceInfo | null = null;
  private view: string | null = null;
  /** UpdateTask state (ServiceInfoUpdateService). */
  private lastRefTime = Number.NEGATIVE_INFINITY;
  private failCount = 0;

  constructor(
    private readonly ep: Endpoint,
    stack: StreamStack,
    private readonly s: V2Settings,
    servers: readonly string[],
    /** Which server to connect to first (a cluster spreads its consumers); by default a random one. */
    firstServer?: number,
  ) {
    this.rpc = new RpcClient(ep, stack, s, servers, this, firstServer);
    this.redoService = new RedoService(ep, s);
    this.redoService.add('subscribe', this.redo, (fromRun) => this.doSubscribe(fromRun));
  }

  /** The hosts of the cached list (what selectInstances reads), null before the first. */
  get cachedHosts(): readonly CachedHost[] | null {
    return this.cache?.hosts ?? null;
  }

  start(): void {
    this.rpc.start(() => this.subscribe());
  }

  /** NacosNamingService.subscribe: schedule the UpdateTask (if polling), then the gRPC subscribe. */
  private subscribe(): void {
    if (this.s.polls) this.ep.host.schedule(msToUs(K.pollInitialDelayMs), this.updateTask);
    this.redo.cached = true;
    this.doSubscribe(false);
  }

  private doSubscribe(fromRun: boolean): void {
    this.redo.inFlight = true;
    this.rpc.request({ type: 'subscribe' } satisfies ClientRequest, this.subscribed, fromRun);
  }

  private readonly subscribed = (response: Response | null, fromRun: unknown): void => {
    if (response?.serviceInfo !== undefined) this.process(response.serviceInfo);
    this.redoService.done(this.redo, response !== null, fromRun === true);
  };

  onConnected(): void {
    this.redoService.onConnected();
  }

  onDisconnected(): void {
    this.redoService.onDisconnected();
  }

  onNotify(info: ServiceInfo): void {
    this.ep.host.record('push.recv', { hosts: info.hosts.length });
    this.process(info);
  }

  /** ServiceInfoUpdateService.UpdateTask.run: query when no push came since the last run. */
  private readonly updateTask = (): void => {
    const cached = this.cache;
    if (cached === null || cached.lastRefTime <= this.lastRefTime) {
      this.rpc.request({ type: 'query' } satisfies ClientRequest, this.queried);
      return;
    }
    this.afterUpdate(cached);
  };

  private readonly queried = (response: Response | null): void => {
    const info = response?.serviceInfo;
    if (info === undefined) {
      // handleNacosException: count the failure, retry after DEFAULT_DELAY << failCount.
      this.incFailCount();
      this.reschedule(K.pollInitialDelayMs);
      return;
    }
    const first = this.cache === null;
    this.process(info);
    if (first) {
      this.lastRefTime = info.lastRefTime;
      this.reschedule(info.cacheMillis * K.pollCacheMultiple);
      return;
    }
    this.afterUpdate(info);
  };

  private afterUpdate(info: ServiceInfo): void {
    this.lastRefTime = info.lastRefTime;
    if (info.hosts.length === 0) {
      this.incFailCount();
      this.reschedule(K.pollInitialDelayMs);
      return;
    }
    this.failCount = 0;
    this.reschedule(info.cacheMillis * K.pollCacheMultiple);
  }

  private incFailCount(): void {
    if (this.failCount < K.pollMaxFailCount) this.failCount++;
  }

  private reschedule(delayMs: number): void {
    this.ep.host.schedule(msToUs(Math.min(delayMs * 2 ** this.failCount, K.pollMaxDelayMs)), this.updateTask);
  }

  /** ServiceInfoHolder.processServiceInfo: with push-empty protection a list with no healthy host is ignored. */
  private process(info: ServiceInfo): void {
    const usable = usableView(info.hosts, this.s.pushEmptyProtection);
    if (usable === null) return;
    this.cache = info;
    if (usable !== this.view) {
      this.view = usable;
      this.ep.host.record('view.update', { instances: usable });
    }
    this.framework?.cacheChanged();
  }
}
