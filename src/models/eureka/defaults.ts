import type { Constant, Knob } from '../knob.js';

/**
 * Eureka liveness (Netflix/eureka, tag v2.0.6; the Spring Cloud Netflix keys, tag v5.0.2): the
 * one table of defaults. Each key is the Spring Cloud property most deployments set, with the
 * Netflix Archaius key (the `eureka.` namespace of eureka-client.properties / eureka-server.properties)
 * as an alias; both projects ship the same default. Each source names its project and tag
 * (github:Netflix/eureka v2.0.6, github:spring-cloud/spring-cloud-netflix v5.0.2).
 * Keys ending in -seconds take whole seconds, as in Eureka; -ms keys take durations or bare ms.
 */
export const EUREKA_KEYS = {
  renewalInterval: 'eureka.instance.lease-renewal-interval-in-seconds',
  leaseDuration: 'eureka.instance.lease-expiration-duration-in-seconds',
  evictionInterval: 'eureka.server.eviction-interval-timer-in-ms',
  selfPreservation: 'eureka.server.enable-self-preservation',
  renewalPercent: 'eureka.server.renewal-percent-threshold',
  thresholdUpdateInterval: 'eureka.server.renewal-threshold-update-interval-ms',
  expectedRenewalInterval: 'eureka.server.expected-client-renewal-interval-seconds',
  responseCacheUpdate: 'eureka.server.response-cache-update-interval-ms',
  readOnlyCache: 'eureka.server.use-read-only-response-cache',
  waitWhenSyncEmpty: 'eureka.server.wait-time-in-ms-when-sync-empty',
  openForTrafficCount: 'eureka.instance.registry.default-open-for-traffic-count',
  fetchInterval: 'eureka.client.registry-fetch-interval-seconds',
  connectTimeout: 'eureka.client.eureka-server-connect-timeout-seconds',
  readTimeout: 'eureka.client.eureka-server-read-timeout-seconds',
  heartbeatBackOff: 'eureka.client.heartbeat-executor-exponential-back-off-bound',
  cacheRefreshBackOff: 'eureka.client.cache-refresh-executor-exponential-back-off-bound',
  evictionPhase: 'sim.server.evictionPhase',
  cachePhase: 'sim.server.responseCachePhase',
  subscriberPhase: 'sim.subscriberStartPhase',
} as const;

const NX_SERVER = 'Netflix/eureka v2.0.6 eureka-core/src/main/java/com/netflix/eureka/DefaultEurekaServerConfig.java';
const SC_SERVER = 'spring-cloud-netflix v5.0.2 spring-cloud-netflix-eureka-server/.../server/EurekaServerConfigBean.java';
const NX_CLIENT = 'Netflix/eureka v2.0.6 eureka-client/src/main/java/com/netflix/discovery/DefaultEurekaClientConfig.java';
const SC_CLIENT = 'spring-cloud-netflix v5.0.2 spring-cloud-netflix-eureka-client/.../eureka/EurekaClientConfigBean.java';
const SC_INSTANCE = 'spring-cloud-netflix v5.0.2 spring-cloud-netflix-eureka-client/.../eureka/EurekaInstanceConfigBean.java';

export const EUREKA_KNOBS: readonly Knob[] = [
  {
    key: EUREKA_KEYS.renewalInterval,
    aliases: ['eureka.lease.renewalInterval', 'renewal.interval'],
    type: 'number',
    default: 30,
    min: 1,
    max: 3600,
    integer: true,
    description: 'seconds between heartbeats (PUT apps/APP/ID), counted from the end of the previous one (TimedSupervisorTask)',
    source: `Netflix/eureka v2.0.6 eureka-client/.../appinfo/LeaseInfo.java DEFAULT_LEASE_RENEWAL_INTERVAL = 30, AbstractInstanceConfig LEASE_RENEWAL_INTERVAL_SECONDS; ${SC_INSTANCE} leaseRenewalIntervalInSeconds = 30`,
  },
  {
    key: EUREKA_KEYS.leaseDuration,
    aliases: ['eureka.lease.duration', 'lease.duration'],
    type: 'number',
    default: 90,
    min: 1,
    max: 86400,
    integer: true,
    description:
      'lease duration D sent with the registration; a renewed lease expires only 2·D after the renewal (Lease.renew adds D, isExpired adds it again)',
    source: `Netflix/eureka v2.0.6 eureka-core/.../lease/Lease.java DEFAULT_DURATION_IN_SECS = 90, renew() and isExpired() (comment: "the expiry will actually be 2 * duration … will not be fixed"); ${SC_INSTANCE} leaseExpirationDurationInSeconds = 90`,
  },
  {
    key: EUREKA_KEYS.evictionInterval,
    aliases: ['eureka.evictionIntervalTimerInMs', 'eviction.interval'],
    type: 'duration',
    default: 60000,
    minMs: 1,
    description: 'period of the EvictionTask (java.util.Timer, fixed delay) that removes expired leases',
    source: `${NX_SERVER} getEvictionIntervalTimerInMs (60 * 1000); Netflix/eureka v2.0.6 .../registry/AbstractInstanceRegistry.postInit; ${SC_SERVER} evictionIntervalTimerInMs = 60 * 1000`,
  },
  {
    key: EUREKA_KEYS.selfPreservation,
    aliases: ['eureka.enableSelfPreservation', 'self-preservation'],
    type: 'boolean',
    default: true,
    description: 'lease expiry stops while the renewals of the last minute are not above the threshold (isLeaseExpirationEnabled)',
    source: `${NX_SERVER} shouldEnableSelfPreservation (true); Netflix/eureka v2.0.6 .../registry/PeerAwareInstanceRegistryImpl.isLeaseExpirationEnabled; ${SC_SERVER} enableSelfPreservation = true`,
  },
  {
    key: EUREKA_KEYS.renewalPercent,
    aliases: ['eureka.renewalPercentThreshold'],
    type: 'number',
    default: 0.85,
    min: 0,
    max: 1,
    description: 'threshold = (int)(expected clients × 60/expected interval × this); also: at most registry − (int)(registry × this) leases evicted per run',
    source: `${NX_SERVER} getRenewalPercentThreshold (0.85); AbstractInstanceRegistry.updateRenewsPerMinThreshold and evict(); ${SC_SERVER} renewalPercentThreshold = 0.85`,
  },
  {
    key: EUREKA_KEYS.thresholdUpdateInterval,
    aliases: ['eureka.renewalThresholdUpdateIntervalMs'],
    type: 'duration',
    default: 900000,
    minMs: 1,
    description: 'period of updateRenewalThreshold: expected clients := registered count when that exceeds percent × expected',
    source: `${NX_SERVER} getRenewalThresholdUpdateIntervalMs (15 * 60 * 1000); PeerAwareInstanceRegistryImpl.scheduleRenewalThresholdUpdateTask; ${SC_SERVER} renewalThresholdUpdateIntervalMs = 900000`,
  },
  {
    key: EUREKA_KEYS.expectedRenewalInterval,
    aliases: ['eureka.expectedClientRenewalIntervalSeconds'],
    type: 'number',
    default: 30,
    min: 1,
    max: 3600,
    integer: true,
    description: 'renewal interval the server assumes when it turns expected clients into renewals per minute',
    source: `${NX_SERVER} getExpectedClientRenewalIntervalSeconds (30); ${SC_SERVER} expectedClientRenewalIntervalSeconds = 30`,
  },
  {
    key: EUREKA_KEYS.responseCacheUpdate,
    aliases: ['eureka.responseCacheUpdateIntervalMs', 'response-cache.interval'],
    type: 'duration',
    default: 30000,
    minMs: 1,
    description: 'period of the task that copies the readWrite response cache into the readOnly one that fetches are served from',
    source: `${NX_SERVER} getResponseCacheUpdateIntervalMs (30 * 1000); Netflix/eureka v2.0.6 .../registry/ResponseCacheImpl (getCacheUpdateTask, getValue); ${SC_SERVER} responseCacheUpdateIntervalMs = 30000`,
  },
  {
    key: EUREKA_KEYS.readOnlyCache,
    aliases: ['eureka.shouldUseReadOnlyResponseCache'],
    type: 'boolean',
    default: true,
    description: 'serve fetches from the readOnly cache (false: from the readWrite cache, invalidated at every change)',
    source: `${NX_SERVER} shouldUseReadOnlyResponseCache (true); ResponseCacheImpl.getValue; ${SC_SERVER} useReadOnlyResponseCache = true`,
  },
  {
    key: EUREKA_KEYS.waitWhenSyncEmpty,
    aliases: ['eureka.waitTimeInMsWhenSyncEmpty'],
    type: 'duration',
    default: 300000,
    minMs: 0,
    description: 'when the server opened with no instances (open-for-traffic count 0), fetches get 403 for this long after start',
    source: `${NX_SERVER} getWaitTimeInMsWhenSyncEmpty (1000 * 60 * 5); PeerAwareInstanceRegistryImpl.shouldAllowAccess; Netflix/eureka v2.0.6 .../resources/ApplicationsResource (FORBIDDEN)`,
  },
  {
    key: EUREKA_KEYS.openForTrafficCount,
    aliases: ['eureka.server.defaultOpenForTrafficCount'],
    type: 'number',
    default: 1,
    min: 0,
    max: 1_000_000,
    integer: true,
    description:
      'expected clients a standalone server opens with (its peers gave it none): Spring Cloud passes 1; Netflix eureka-server passes syncUp’s 0 (then registrations add none, the threshold stays 0 and leases never expire until the threshold update)',
    source:
      'spring-cloud-netflix v5.0.2 spring-cloud-netflix-eureka-server/.../server/InstanceRegistryProperties.java defaultOpenForTrafficCount = 1, InstanceRegistry.openForTraffic; Netflix/eureka v2.0.6 PeerAwareInstanceRegistryImpl.openForTraffic, AbstractInstanceRegistry.register (adds 1 only when expected > 0)',
  },
  {
    key: EUREKA_KEYS.fetchInterval,
    aliases: ['eureka.client.refresh.interval', 'fetch.interval'],
    type: 'number',
    default: 30,
    min: 1,
    max: 3600,
    integer: true,
    description: 'seconds between a consumer’s registry fetches (CacheRefreshThread under TimedSupervisorTask), from the end of the previous one',
    source: `${NX_CLIENT} getRegistryFetchIntervalSeconds (30); Netflix/eureka v2.0.6 .../discovery/DiscoveryClient.initScheduledTasks; ${SC_CLIENT} registryFetchIntervalSeconds = 30`,
  },
  {
    key: EUREKA_KEYS.connectTimeout,
    aliases: ['eureka.eurekaServer.connectTimeout'],
    type: 'number',
    default: 5,
    min: 1,
    max: 3600,
    integer: true,
    description: 'client HTTP connect timeout to the Eureka server, seconds',
    source: `${NX_CLIENT} getEurekaServerConnectTimeoutSeconds (5); ${SC_CLIENT} eurekaServerConnectTimeoutSeconds = 5`,
  },
  {
    key: EUREKA_KEYS.readTimeout,
    aliases: ['eureka.eurekaServer.readTimeout'],
    type: 'number',
    default: 8,
    min: 1,
    max: 3600,
    integer: true,
    description: 'client HTTP read timeout to the Eureka server, seconds',
    source: `${NX_CLIENT} getEurekaServerReadTimeoutSeconds (8); ${SC_CLIENT} eurekaServerReadTimeoutSeconds = 8`,
  },
  {
    key: EUREKA_KEYS.heartbeatBackOff,
    aliases: ['eureka.client.heartbeat.exponentialBackOffBound'],
    type: 'number',
    default: 10,
    min: 1,
    max: 1000,
    integer: true,
    description: 'a heartbeat that outlasts the renewal interval doubles the next delay, up to interval × this',
    source: `${NX_CLIENT} getHeartbeatExecutorExponentialBackOffBound (DEFAULT_EXECUTOR_THREAD_POOL_BACKOFF_BOUND = 10); Netflix/eureka v2.0.6 .../discovery/TimedSupervisorTask.run`,
  },
  {
    key: EUREKA_KEYS.cacheRefreshBackOff,
    aliases: ['eureka.client.cacheRefresh.exponentialBackOffBound'],
    type: 'number',
    default: 10,
    min: 1,
    max: 1000,
    integer: true,
    description: 'a fetch that outlasts the fetch interval doubles the next delay, up to interval × this',
    source: `${NX_CLIENT} getCacheRefreshExecutorExponentialBackOffBound (10); TimedSupervisorTask.run`,
  },
  {
    key: EUREKA_KEYS.evictionPhase,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: 'first run of the eviction and renewal-rate timers after the clients start (auto: drawn from the run seed within one eviction interval)',
    source:
      'livesim: both timers start together in AbstractInstanceRegistry.postInit (renewsLastMin.start, then evictionTimer.schedule), when the server opened — any moment before the clients',
  },
  {
    key: EUREKA_KEYS.cachePhase,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: 'first readOnly-cache update after the clients start (auto: drawn from the run seed within one update interval)',
    source: 'livesim: ResponseCacheImpl aligns its timer to a wall-clock multiple of the interval, unrelated to the eviction timer',
  },
  {
    key: EUREKA_KEYS.subscriberPhase,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: 'when the consumers start after c1 (auto: each drawn from the run seed within one fetch interval)',
    source: 'livesim: a consumer starts whenever its application does; its fetch timer counts from then',
  },
];

/** What Eureka does not let anyone change (or livesim does not vary), each with its source. */
export const EUREKA_CONSTANTS = {
  /** Lease.renew sets lastUpdate = now + D and isExpired tests now > lastUpdate + D: a renewed lease lasts 2·D. */
  renewedLeaseCounts: 2,
  /** MeasuredRate(1000 * 60 * 1): renewals are counted per minute bucket. */
  renewalBucketMs: 60000,
  /** updateRenewsPerMinThreshold: `60.0 / expected interval` renewals per client per minute. */
  minuteMs: 60000,
  heartbeatThreads: 5,
  cacheRefreshThreads: 5,
  notFoundStatus: 404,
  forbiddenStatus: 403,
  okStatus: 200,
  noContentStatus: 204,
  /** TimedSupervisorTask: `newDelay = Math.min(maxDelay, currentDelay * 2)`. */
  backOffFactor: 2,
  secondMs: 1000,
} as const;

export const EUREKA_CONSTANT_ROWS: readonly Constant[] = [
  {
    name: 'lease durations after a renewal',
    value: EUREKA_CONSTANTS.renewedLeaseCounts,
    unit: 'count',
    description: 'a renewed lease expires 2·D after the renewal (a registered, never renewed one after D): "a minor bug … will not be fixed"',
    source: 'Netflix/eureka v2.0.6 eureka-core/src/main/java/com/netflix/eureka/lease/Lease.java renew() and isExpired(long) with its comment',
  },
  {
    name: 'renewal rate bucket',
    value: EUREKA_CONSTANTS.renewalBucketMs,
    unit: 'ms',
    description: 'renewsLastMin counts successful renewals per bucket; the last full bucket is compared with the threshold',
    source:
      'Netflix/eureka v2.0.6 eureka-core/.../registry/AbstractInstanceRegistry.java new MeasuredRate(1000 * 60 * 1); Netflix/eureka v2.0.6 eureka-core/.../util/MeasuredRate.start',
  },
  {
    name: 'heartbeat executor threads',
    value: EUREKA_CONSTANTS.heartbeatThreads,
    unit: 'count',
    description: 'heartbeats that may hang at once (SynchronousQueue: one more is rejected and skipped)',
    source:
      'Netflix/eureka v2.0.6 eureka-client/.../discovery/DefaultEurekaClientConfig.getHeartbeatExecutorThreadPoolSize (DEFAULT_EXECUTOR_THREAD_POOL_SIZE = 5); DiscoveryClient constructor',
  },
  {
    name: 'cache refresh executor threads',
    value: EUREKA_CONSTANTS.cacheRefreshThreads,
    unit: 'count',
    description: 'registry fetches that may hang at once',
    source: 'Netflix/eureka v2.0.6 eureka-client/.../discovery/DefaultEurekaClientConfig.getCacheRefreshExecutorThreadPoolSize (5)',
  },
  {
    name: 'renew of an unknown lease',
    value: EUREKA_CONSTANTS.notFoundStatus,
    unit: 'count',
    description: 'HTTP status of a heartbeat for a lease the server does not hold: the client registers again at once (DiscoveryClient.renew)',
    source:
      'Netflix/eureka v2.0.6 eureka-core/.../resources/InstanceResource.renewLease; Netflix/eureka v2.0.6 eureka-client/.../discovery/DiscoveryClient.renew',
  },
  {
    name: 'fetch before the sync-empty wait ends',
    value: EUREKA_CONSTANTS.forbiddenStatus,
    unit: 'count',
    description: 'HTTP status of a registry fetch while shouldAllowAccess is false',
    source: 'Netflix/eureka v2.0.6 eureka-core/.../resources/ApplicationsResource.getContainers (Status.FORBIDDEN)',
  },
];
