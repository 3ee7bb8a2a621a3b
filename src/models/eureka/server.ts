import type { Endpoint } from '../../sim/endpoint.js';
import { HttpServer } from '../../sim/http.js';
import type { Micros } from '../../sim/time.js';
import { msToUs, usToMs } from '../../sim/time.js';
import { EUREKA_CONSTANTS as K } from './defaults.js';
import { type EurekaRequest, type EurekaResponse, FORBIDDEN, NO_CONTENT, NOT_FOUND, OK } from './messages.js';
import { ResponseCache } from './response-cache.js';
import { type EurekaSettings, evictionLimit, renewalThreshold } from './settings.js';

/** Lease.java: `lastUpdate` is the registration time, and after a renewal the renewal time + duration (sic). */
interface Lease {
  readonly durationUs: Micros;
  lastUpdateUs: Micros;
}

/**
 * A standalone Eureka server holding one application (eureka-core/.../registry/AbstractInstanceRegistry
 * and PeerAwareInstanceRegistryImpl, tag v2.0.6): register, renew, the EvictionTask with its
 * compensation time, self-preservation (the renewals of the last minute against the threshold,
 * the threshold recomputed every 15 minutes), and fetches served through the ResponseCache.
 *
 * The server opens for traffic when the run starts (no peers: Spring Cloud passes
 * default-open-for-traffic-count 1, Netflix's syncUp 0). Its eviction and renewal-rate timers
 * start together at that moment, which lies at an unknown phase before the clients start
 * (`sim.server.evictionPhase`); the 15-minute threshold task counts from the run's start.
 */
export class EurekaServer {
  private readonly leases = new Map<string, Lease>();
  private readonly cache: ResponseCache;
  private expectedClients: number;
  private threshold: number;
  /** MeasuredRate renewsLastMin: the bucket being counted and the last full one. */
  private currentBucket = 0;
  private lastBucket = 0;
  private lastEvictionUs: Micros | null = null;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: EurekaSettings,
    evictionPhaseUs: Micros,
    cachePhaseUs: Micros,
  ) {
    this.expectedClients = s.openForTrafficCount;
    this.threshold = renewalThreshold(s, this.expectedClients);
    this.cache = new ResponseCache(ep.host, s, cachePhaseUs, () => [...this.leases.keys()]);
    new HttpServer(ep, (_from, body, reply) => reply(this.handle(body as EurekaRequest)));
    const host = ep.host;
    // postInit: renewsLastMin.start() schedules its timer before the eviction timer; at equal times that one runs first.
    host.schedule(evictionPhaseUs, this.rollRenewalBucket);
    host.schedule(evictionPhaseUs, this.evictionTask);
    // Java runs these timers on threads of their own; at the same instant livesim runs the one armed first.
    host.schedule(msToUs(s.thresholdUpdateIntervalMs), this.updateRenewalThreshold);
  }

  private get now(): Micros {
    return this.ep.host.now();
  }

  private handle(req: EurekaRequest): EurekaResponse {
    switch (req.op) {
      case 'register':
        this.register(req.id, req.leaseDurationMs);
        return { status: NO_CONTENT };
      case 'renew':
        return { status: this.renew(req.id) ? OK : NOT_FOUND };
      case 'fetch':
        this.ep.host.record('query.recv', { subscriber: req.subscriber });
        if (!this.allowsAccess()) return { status: FORBIDDEN };
        return { status: OK, instances: this.cache.get() };
    }
  }

  /** AbstractInstanceRegistry.register: a new lease adds one expected client, but only when there already are some. */
  private register(id: string, durationMs: number): void {
    this.ep.host.record('request.recv', { instance: id, op: 'register' });
    const existing = this.leases.has(id);
    if (!existing && this.expectedClients > 0) this.setExpected(this.expectedClients + 1);
    this.leases.set(id, { durationUs: msToUs(durationMs), lastUpdateUs: this.now });
    this.ep.host.record('instance.register', { instance: id, via: 'register' });
    this.cache.invalidate();
  }

  /** AbstractInstanceRegistry.renew: counted in renewsLastMin only when the lease exists. */
  private renew(id: string): boolean {
    this.ep.host.record('beat.recv', { instance: id });
    const lease = this.leases.get(id);
    if (lease === undefined) return false;
    this.currentBucket++;
    lease.lastUpdateUs = this.now + lease.durationUs;
    return true;
  }

  /** Lease.isExpired(additionalLeaseMs): `now > lastUpdate + duration + additional`. */
  private expired(lease: Lease, additionalUs: Micros): boolean {
    return this.now > lease.lastUpdateUs + lease.durationUs + additionalUs;
  }

  /** PeerAwareInstanceRegistryImpl.isLeaseExpirationEnabled. */
  private expirationEnabled(): boolean {
    return !this.s.selfPreservation || (this.threshold > 0 && this.lastBucket > this.threshold);
  }

  private readonly rollRenewalBucket = (): void => {
    this.lastBucket = this.currentBucket;
    this.currentBucket = 0;
    this.ep.host.schedule(msToUs(K.renewalBucketMs), this.rollRenewalBucket);
  };

  /** EvictionTask.run: evict(compensation), the compensation being how late this run is against the last one. */
  private readonly evictionTask = (): void => {
    const last = this.lastEvictionUs;
    this.lastEvictionUs = this.now;
    const lateUs = last === null ? 0 : this.now - last - msToUs(this.s.evictionIntervalMs);
    // getCompensationTimeMs works in whole ms (TimeUnit.NANOSECONDS.toMillis).
    this.evict(msToUs(Math.max(0, Math.floor(usToMs(lateUs)))));
    this.ep.host.schedule(msToUs(this.s.evictionIntervalMs), this.evictionTask);
  };

  /** AbstractInstanceRegistry.evict: the expired leases, at most the eviction limit of them, picked at random (Knuth shuffle). */
  private evict(additionalUs: Micros): void {
    if (!this.expirationEnabled()) {
      this.ep.host.record('eviction.skip', { renewsLastMin: this.lastBucket, threshold: this.threshold });
      return;
    }
    const expired = [...this.leases].filter(([, lease]) => this.expired(lease, additionalUs)).map(([id]) => id);
    const toEvict = Math.min(expired.length, evictionLimit(this.s, this.leases.size));
    const random = this.ep.host.sim.rng(`server.evict:${this.ep.name}`);
    for (let i = 0; i < toEvict; i++) {
      const next = i + random.intInclusive(0, expired.length - i - 1);
      [expired[i], expired[next]] = [expired[next] as string, expired[i] as string];
      this.cancel(expired[i] as string);
    }
  }

  /** internalCancel: the lease goes, one expected client less, the response cache invalidated. */
  private cancel(id: string): void {
    this.leases.delete(id);
    this.ep.host.record('instance.remove', { instance: id, reason: 'lease expired, evicted' });
    if (this.expectedClients > 0) this.setExpected(this.expectedClients - 1);
    this.cache.invalidate();
  }

  /**
   * updateRenewalThreshold: the count is what the server's own client fetched (here the registry
   * itself: the server's client would see it at most one fetch and one cache update later).
   */
  private readonly updateRenewalThreshold = (): void => {
    const count = this.leases.size;
    if (count > this.s.renewalPercent * this.expectedClients || !this.s.selfPreservation) this.setExpected(count);
    this.ep.host.schedule(msToUs(this.s.thresholdUpdateIntervalMs), this.updateRenewalThreshold);
  };

  private setExpected(n: number): void {
    this.expectedClients = n;
    this.threshold = renewalThreshold(this.s, n);
  }

  /** shouldAllowAccess: a server that opened with no instances (count 0) refuses fetches until the wait has passed. */
  private allowsAccess(): boolean {
    return this.s.openForTrafficCount > 0 || this.now > msToUs(this.s.waitWhenSyncEmptyMs);
  }
}
