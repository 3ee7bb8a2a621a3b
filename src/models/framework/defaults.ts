import type { Constant, Knob } from '../knob.js';

/**
 * What a consumer routes by: the Nacos client's cache itself, or a framework's list built on top
 * of it. Each framework is one row of FRAMEWORKS below, with its defaults and their sources; the
 * behaviour is src/models/framework/view.ts.
 */
export const FRAMEWORK_KEYS = {
  framework: 'sim.consumer.framework',
  sclbTtl: 'spring.cloud.loadbalancer.cache.ttl',
  ribbonInterval: 'ribbon.ServerListRefreshInterval',
  dubboEmptyProtection: 'dubbo.registry.enable-empty-protection',
} as const;

export type FrameworkKind = 'none' | 'spring-cloud-loadbalancer' | 'ribbon' | 'dubbo';
export const FRAMEWORK_KINDS: readonly FrameworkKind[] = ['none', 'spring-cloud-loadbalancer', 'ribbon', 'dubbo'];

const SCLB_TTL =
  'spring-cloud/spring-cloud-commons v4.3.3 spring-cloud-loadbalancer/.../cache/LoadBalancerCacheProperties.java: ttl = Duration.ofSeconds(35), "time counted from writing of the record, after which cache entries are expired"';
const SCLB_EMPTY =
  'spring-cloud-commons v4.3.3 .../core/CachingServiceInstanceListSupplier.java: a cached list that is null or empty is a miss (Mono.empty()), so an empty list is read again from the DiscoveryClient at the next call';
const SCA_SELECT =
  'alibaba/spring-cloud-alibaba 2023.0.0.0-RC1 NacosServiceDiscovery.getInstances and 2.2.10-RC2 ribbon/NacosServerList: namingService.selectInstances(serviceId, group, true) — healthy instances from the Nacos client cache';
const RIBBON_TIMING =
  'Netflix/ribbon v2.7.18 ribbon-loadbalancer/.../PollingServerListUpdater.java: LISTOFSERVERS_CACHE_UPDATE_DELAY = 1000, LISTOFSERVERS_CACHE_REPEAT_INTERVAL = 30 * 1000, scheduleWithFixedDelay(initialDelayMs, refreshIntervalMs); the interval is CommonClientConfigKey.ServerListRefreshInterval';
const DUBBO_ALL =
  'apache/dubbo dubbo-3.3.1 dubbo-registry-nacos/.../NacosRegistry.java: getAllInstances and NamingEvent.getInstances, filtered by isEnabled only (filterEnabledInstances) — an unhealthy instance stays in the invoker list';
const DUBBO_EMPTY =
  'apache/dubbo dubbo-3.3.1 dubbo-common/.../RegistryConstants.java: DEFAULT_ENABLE_EMPTY_PROTECTION = false (since dubbo-3.2.0); dubbo-3.0.10 and 3.1.11 NacosRegistry.toUrlWithEmpty read getParameter(ENABLE_EMPTY_PROTECTION_KEY, true): an empty list is not notified and the old invokers stay';

export interface FrameworkSpec {
  readonly kind: Exclude<FrameworkKind, 'none'>;
  /** Spring Cloud LoadBalancer: how long a loaded list is served before the next call reloads it. */
  readonly ttlMs: number;
  /** Ribbon: the first refresh after the load balancer is built, then the fixed delay between refreshes. */
  readonly initialDelayMs: number;
  readonly intervalMs: number;
  /** Dubbo: an empty list from the registry is ignored (the old invokers stay). */
  readonly emptyProtection: boolean;
}

export const FRAMEWORK_DEFAULTS = {
  sclbTtlMs: 35_000,
  ribbonInitialDelayMs: 1_000,
  ribbonIntervalMs: 30_000,
  dubboEmptyProtection: false,
} as const;

export const FRAMEWORK_KNOBS: readonly Knob[] = [
  {
    key: FRAMEWORK_KEYS.framework,
    type: 'enum',
    default: 'none',
    values: FRAMEWORK_KINDS,
    description:
      "what the subscribers route by: the Nacos client's cache (none), or Spring Cloud LoadBalancer's cached list, Ribbon's polled server list or Dubbo's invoker list built on it (--consumer-framework)",
    source: `livesim: the frameworks and their defaults are the table of src/models/framework/defaults.ts; ${SCA_SELECT}`,
  },
  {
    key: FRAMEWORK_KEYS.sclbTtl,
    type: 'duration',
    default: FRAMEWORK_DEFAULTS.sclbTtlMs,
    minMs: 1,
    description:
      'Spring Cloud LoadBalancer: a loaded instance list is served this long after it was written, then the next call reloads it (an empty list is not cached)',
    source: `${SCLB_TTL}; ${SCLB_EMPTY}`,
  },
  {
    key: FRAMEWORK_KEYS.ribbonInterval,
    type: 'duration',
    default: FRAMEWORK_DEFAULTS.ribbonIntervalMs,
    minMs: 1,
    description: 'Ribbon: fixed delay between server-list refreshes (the first 1 s after the load balancer is built)',
    source: RIBBON_TIMING,
  },
  {
    key: FRAMEWORK_KEYS.dubboEmptyProtection,
    type: 'boolean',
    default: FRAMEWORK_DEFAULTS.dubboEmptyProtection,
    description: 'Dubbo: ignore an empty provider list and keep calling the old providers (default false from Dubbo 3.2.0, true in 3.0.x-3.1.x)',
    source: DUBBO_EMPTY,
  },
];

export const FRAMEWORK_CONSTANT_ROWS: readonly Constant[] = [
  {
    name: 'Ribbon first server-list refresh',
    value: FRAMEWORK_DEFAULTS.ribbonInitialDelayMs,
    unit: 'ms',
    description: 'delay from building the load balancer to its first scheduled refresh',
    source: RIBBON_TIMING,
  },
  {
    name: 'Dubbo routes by every enabled instance',
    value: 1,
    unit: 'count',
    description: 'Dubbo ignores the healthy flag: an instance a 1.x server marked unhealthy is still called until it is deleted',
    source: DUBBO_ALL,
  },
];
