import type { Endpoint } from '../../sim/endpoint.js';
import type { EventHandle } from '../../sim/event-queue.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { K8S, type SliceEvent } from './messages.js';
import type { K8sSettings } from './settings.js';

/**
 * A consumer: kube-proxy watching the Service's EndpointSlices (pkg/proxy). Its rules — what it
 * routes by — are rewritten by a BoundedFrequencyRunner (pkg/util/async): at most once per
 * minSyncPeriod (a token bucket of burst 1), and at least every syncPeriod; a change asks for a
 * run now, or as soon as minSyncPeriod has passed since the last one. The usable view is the ready
 * endpoints of the last run.
 */
export class KubeProxy {
  private latest: readonly string[] | null = null;
  private version = -1;
  private applied: string | null = null;
  private lastRunUs: Micros | null = null;
  private pendingRun: EventHandle | null = null;
  private periodic: EventHandle | null = null;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: K8sSettings,
    private readonly server: string,
  ) {
    ep.onApp(K8S.slice, (d) => {
      const event = d.body as SliceEvent;
      // The watch stream is ordered (TCP): the datagram network is not, so older versions are dropped here.
      if (event.version <= this.version) return;
      this.version = event.version;
      this.latest = event.ready;
      this.requestRun();
    });
  }

  start(): void {
    this.ep.send(this.server, K8S.watch, {});
  }

  private get now(): Micros {
    return this.ep.host.now();
  }

  private requestRun(): void {
    if (this.pendingRun !== null) return;
    const earliestUs = this.lastRunUs === null ? this.now : this.lastRunUs + msToUs(this.s.proxyMinSyncMs);
    if (earliestUs <= this.now) {
      this.run();
      return;
    }
    this.pendingRun = this.ep.host.schedule(earliestUs - this.now, () => {
      this.pendingRun = null;
      this.run();
    });
  }

  private run(): void {
    if (this.pendingRun !== null) this.ep.host.cancel(this.pendingRun);
    if (this.periodic !== null) this.ep.host.cancel(this.periodic);
    this.pendingRun = null;
    this.lastRunUs = this.now;
    this.periodic = this.ep.host.schedule(msToUs(this.s.proxySyncMs), () => {
      this.periodic = null;
      this.run();
    });
    if (this.latest === null) return;
    const view = this.latest.join(',');
    if (view === this.applied) return;
    this.applied = view;
    this.ep.host.record('view.update', { instances: view });
  }
}
