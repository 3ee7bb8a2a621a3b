import type { Host } from '../../sim/host.js';
import { msToUs } from '../../sim/time.js';
import type { CachedHost } from '../consumer-view.js';
import { type Config, num } from '../knob.js';
import { FRAMEWORK_DEFAULTS, FRAMEWORK_KEYS, type FrameworkKind, type FrameworkSpec } from './defaults.js';

/** What a framework reads: the Nacos client's cached list of the service (null before the first). */
export interface ClientCache {
  readonly cachedHosts: readonly CachedHost[] | null;
}

/** The framework the config names, or null for none. */
export const frameworkSpec = (config: Config): FrameworkSpec | null => {
  const kind = (config[FRAMEWORK_KEYS.framework] ?? 'none') as FrameworkKind;
  if (kind === 'none') return null;
  return {
    kind,
    ttlMs: num(config, FRAMEWORK_KEYS.sclbTtl),
    initialDelayMs: FRAMEWORK_DEFAULTS.ribbonInitialDelayMs,
    intervalMs: num(config, FRAMEWORK_KEYS.ribbonInterval),
    emptyProtection: config[FRAMEWORK_KEYS.dubboEmptyProtection] === true,
  };
};

const ids = (hosts: readonly CachedHost[], healthyOnly: boolean): string =>
  hosts
    .filter((h) => h.healthy || !healthyOnly)
    .map((h) => h.id)
    .join(',');

/**
 * The list a consumer framework routes by, built on the Nacos client's cache, recorded as
 * `framework.view` whenever it changes. The consumer is taken to call the service continuously
 * (the premise of "consumers still call a dead address"), so a list that a call would reload is
 * reloaded at the moment it becomes due:
 *   spring-cloud-loadbalancer — the healthy instances (selectInstances(healthy=true)), loaded at the
 *     first call and served for `ttl` after each load; an empty list is never cached, so while the
 *     client has none every call reads the client again;
 *   ribbon — the healthy instances, read when the load balancer is built, 1 s later, then every
 *     ServerListRefreshInterval (a fixed delay);
 *   dubbo — every enabled instance, healthy or not, at once on each change of the client's cache
 *     (NamingEvent); with empty protection an empty list is ignored.
 * Its timers are the consumer process's: they wait while it is frozen.
 */
export class ConsumerFramework {
  private view: string | null = null;
  /** Spring Cloud LoadBalancer: the last load was empty, so the next call (any change) reloads. */
  private uncached = false;

  constructor(
    private readonly host: Host,
    readonly spec: FrameworkSpec,
    private readonly cache: ClientCache,
  ) {}

  /** The consumer's first call builds the framework's list. */
  start(): void {
    if (this.spec.kind === 'dubbo') {
      this.cacheChanged();
      return;
    }
    this.load();
    if (this.spec.kind === 'ribbon') this.host.schedule(msToUs(this.spec.initialDelayMs), this.ribbonRefresh);
  }

  /** The client's cache took a new list (a push or a query that processServiceInfo accepted). */
  cacheChanged(): void {
    if (this.spec.kind === 'dubbo') {
      const all = ids(this.cache.cachedHosts ?? [], false);
      if (all === '' && this.spec.emptyProtection && this.view !== null) return;
      this.publish(all);
    } else if (this.spec.kind === 'spring-cloud-loadbalancer' && this.uncached) this.load();
  }

  private load(): void {
    const healthy = ids(this.cache.cachedHosts ?? [], true);
    this.publish(healthy);
    if (this.spec.kind !== 'spring-cloud-loadbalancer') return;
    this.uncached = healthy === '';
    if (!this.uncached) this.host.schedule(msToUs(this.spec.ttlMs), this.expired);
  }

  private readonly expired = (): void => {
    this.load();
  };

  private readonly ribbonRefresh = (): void => {
    this.load();
    this.host.schedule(msToUs(this.spec.intervalMs), this.ribbonRefresh);
  };

  private publish(list: string): void {
    if (list === this.view) return;
    this.view = list;
    this.host.record('framework.view', { instances: list });
  }
}

/** A subscriber that a framework can sit on. */
export interface FrameworkHost extends ClientCache {
  framework: ConsumerFramework | null;
}

/** Puts the configured framework (if any) on a subscriber; its first call comes with the subscriber's start. */
export const attachFramework = (host: Host, config: Config, sub: FrameworkHost, startUs = 0): void => {
  const spec = frameworkSpec(config);
  if (spec === null) return;
  const framework = new ConsumerFramework(host, spec, sub);
  sub.framework = framework;
  host.sim.at(startUs, () => framework.start());
};
