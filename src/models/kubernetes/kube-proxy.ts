import type { Endpoint } from '../../sim/endpoint.js';
import type { EventHandle } from '../../sim/event-queue.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { K8S_CONSTANTS as K } from './defaults.js';
import { K8S, type SliceEvent } from './messages.js';
import { TokenBucket } from './rate-limiter.js';
import type { K8sSettings } from './settings.js';

const MS_PER_S = 1000; // literal-ok: runs per second from a period in ms

/**
 * A consumer: kube-proxy watching the Service's EndpointSlices (pkg/proxy, iptables mode). Its
 * rules — what it routes by — are rewritten by a BoundedFrequencyRunner (pkg/util/async): a
 * change asks for a run, which happens at once if the token bucket (1 / minSyncPeriod, burst 2)
 * has a token, else minSyncPeriod after the last run; without changes it runs every hour. The
 * usable view is the ready endpoints of the last run.
 */
export class KubeProxy {
  private latest: readonly string[] | null = null;
  private version = -1;
  private applied: string | null = null;
  private lastRunUs: Micros = 0;
  private pendingRun: EventHandle | null = null;
  private periodic: EventHandle | null = null;
  private readonly limiter: TokenBucket | null;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: K8sSettings,
    private readonly server: string,
  ) {
    this.limiter = s.proxyMinSyncMs > 0 ? new TokenBucket(MS_PER_S / s.proxyMinSyncMs, K.proxyBurstSyncs, 0) : null;
    ep.onApp(K8S.slice, (d) => {
      const event = d.body as SliceEvent;
      // The watch stream is ordered (TCP): the datagram network is not, so older versions are dropped here.
      if (event.version <= this.version) return;
      this.version = event.version;
      this.latest = event.ready;
      this.tryRun();
    });
  }

  start(): void {
    this.ep.send(this.server, K8S.watch, {});
  }

  private get now(): Micros {
    return this.ep.host.now();
  }

  /** tryRun: a token, run now; none, the timer at lastRun + minSyncPeriod (unless it is due sooner). */
  private tryRun(): void {
    if (this.limiter === null || this.limiter.tryAccept(this.now)) {
      this.run();
      return;
    }
    if (this.pendingRun !== null) return;
    const waitUs = Math.max(0, this.lastRunUs + msToUs(this.s.proxyMinSyncMs) - this.now);
    this.pendingRun = this.ep.host.schedule(waitUs, () => {
      this.pendingRun = null;
      // By then a token has been refilled (one per minSyncPeriod since the last run).
      this.limiter?.tryAccept(this.now);
      this.run();
    });
  }

  private run(): void {
    if (this.pendingRun !== null) this.ep.host.cancel(this.pendingRun);
    if (this.periodic !== null) this.ep.host.cancel(this.periodic);
    this.pendingRun = null;
    this.lastRunUs = this.now;
    this.periodic = this.ep.host.schedule(msToUs(K.proxyMaxIntervalMs), () => {
      this.periodic = null;
      this.tryRun();
    });
    if (this.latest === null) return;
    const view = this.latest.join(',');
    if (view === this.applied) return;
    this.applied = view;
    this.ep.host.record('view.update', { instances: view });
  }
}
