import type { Endpoint } from '../../sim/endpoint.js';
import type { StreamStack } from '../../sim/stream.js';
import { msToUs } from '../../sim/time.js';
import { type CachedHost, usableView } from '../consumer-view.js';
import type { ConsumerFramework } from '../framework/view.js';
import { GO_SDK } from '../sdk/defaults.js';
import { GoConnectionEventListener } from './go-redo.js';
import { GoRpcClient } from './go-rpc-client.js';
import type { ClientRequest, Response, ServiceInfo } from './messages.js';
import type { RpcClientListener } from './rpc-client.js';
import type { V2Settings } from './settings.js';

/**
 * A consumer running nacos-sdk-go v2 (`--consumer-sdk go`): NamingClient.Subscribe over its own
 * RpcClient (go-rpc-client.ts), re-subscribed only on CONNECTED (go-redo.ts), and its
 * ServiceInfoHolder.ProcessService (clients/naming_client/naming_cache/service_info_holder.go):
 *   - an empty host list is dropped unless ClientConfig.UpdateCacheWhenEmpty (default false): the
 *     consumer keeps the last non-empty list, so the last instance of a service is never removed
 *     from its view (Java: namingPushEmptyProtection, default false);
 *   - a list whose LastRefTime is not newer than the cached one is dropped;
 *   - with the ServiceInfoUpdater running (every release before v2.2.3; from v2.2.3 only with
 *     AsyncUpdateService), every 1 s each cached service older than its cacheMillis is queried
 *     again; only a stored list refreshes its time, so an empty answer is asked again each second.
 */
export class GoV2Subscriber implements RpcClientListener {
  framework: ConsumerFramework | null = null;
  private readonly rpc: GoRpcClient;
  private readonly listener: GoConnectionEventListener;
  private subscribed = false;
  private cache: ServiceInfo | null = null;
  /** UpdateTimeMap: when ProcessService last stored a list. */
  private updateTimeUs = 0;
  private view: string | null = null;

  constructor(
    private readonly ep: Endpoint,
    stack: StreamStack,
    private readonly s: V2Settings,
    servers: readonly string[],
    firstServer?: number,
  ) {
    this.rpc = new GoRpcClient(ep, stack, s, servers, this, firstServer);
    this.listener = new GoConnectionEventListener(ep);
    this.listener.add({ what: 'subscribe', cached: () => this.subscribed, send: (done) => this.subscribe(done) });
  }

  get cachedHosts(): readonly CachedHost[] | null {
    return this.cache?.hosts ?? null;
  }

  /** NewNamingClient starts the updater goroutine (first pass at once) and the RpcClient; then the application subscribes. */
  start(): void {
    if (this.s.polls) this.ep.host.schedule(0, this.updaterTick);
    this.rpc.start(() => {
      this.subscribed = true;
      this.subscribe(() => {});
    });
  }

  private subscribe(done: () => void): void {
    this.rpc.request({ type: 'subscribe' } satisfies ClientRequest, (response: Response | null) => {
      if (response?.serviceInfo !== undefined) this.process(response.serviceInfo);
      done();
    });
  }

  /** ServiceInfoUpdater.asyncUpdateService: one pass over the cached services, then time.Sleep(1 s). */
  private readonly updaterTick = (): void => {
    const cached = this.cache;
    if (cached !== null && this.ep.host.now() - this.updateTimeUs > msToUs(cached.cacheMillis)) {
      this.rpc.request({ type: 'query' } satisfies ClientRequest, this.queried);
    }
    this.ep.host.schedule(msToUs(GO_SDK.updaterTickMs), this.updaterTick);
  };

  private readonly queried = (response: Response | null): void => {
    if (response?.serviceInfo !== undefined) this.process(response.serviceInfo);
  };

  onConnected(): void {
    this.listener.onConnected();
  }

  onDisconnected(): void {}

  onNotify(info: ServiceInfo): void {
    this.ep.host.record('push.recv', { hosts: info.hosts.length });
    this.process(info);
  }

  private process(info: ServiceInfo): void {
    if (this.s.pushEmptyProtection && info.hosts.length === 0) return;
    if (this.cache !== null && this.cache.lastRefTime >= info.lastRefTime) return;
    this.updateTimeUs = this.ep.host.now();
    this.cache = info;
    const usable = usableView(info.hosts, false);
    if (usable !== this.view) {
      this.view = usable;
      this.ep.host.record('view.update', { instances: usable });
    }
    this.framework?.cacheChanged();
  }
}
