import type { Endpoint } from '../../sim/endpoint.js';
import { HttpClient } from '../../sim/http.js';
import { msToUs } from '../../sim/time.js';
import { EUREKA_CONSTANTS as K } from './defaults.js';
import { type EurekaRequest, type EurekaResponse, OK } from './messages.js';
import type { EurekaSettings } from './settings.js';
import { TimedSupervisor } from './supervisor.js';

/**
 * A consumer's DiscoveryClient (fetch-registry on): a full fetch in the constructor, then the
 * CacheRefreshThread under a TimedSupervisorTask every registry-fetch interval. A failed fetch
 * keeps the applications it had; the usable view is the UP instances of the last good fetch
 * (shouldFilterOnlyUpInstances). Deltas are not modelled: a delta comes from the same response
 * cache on the same timer, so it carries the same change at the same moment.
 */
export class EurekaSubscriber {
  private readonly http: HttpClient;
  private readonly refresh: TimedSupervisor;
  private view: string | null = null;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: EurekaSettings,
    private readonly server: string,
  ) {
    this.http = new HttpClient(ep);
    this.refresh = new TimedSupervisor(ep.host, s.fetchIntervalMs, s.cacheRefreshBackOff, K.cacheRefreshThreads, (done) => this.fetch(done));
  }

  /** The constructor's fetchRegistry blocks; initScheduledTasks then arms the refresh one interval later. */
  start(): void {
    this.fetch(() => this.refresh.start());
  }

  private fetch(done: () => void): void {
    const req: EurekaRequest = { op: 'fetch', subscriber: this.ep.name };
    const timeouts = { connectTimeoutUs: msToUs(this.s.connectTimeoutMs), readTimeoutUs: msToUs(this.s.readTimeoutMs) };
    this.http.request(this.server, req, timeouts, (r) => {
      const body = r.ok ? (r.body as EurekaResponse) : null;
      if (body !== null && body.status === OK && body.instances !== undefined) this.show(body.instances.join(','));
      done();
    });
  }

  private show(view: string): void {
    if (view === this.view) return;
    this.view = view;
    this.ep.host.record('view.update', { instances: view });
  }
}
