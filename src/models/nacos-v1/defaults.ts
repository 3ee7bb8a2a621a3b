import { CAPACITY_PROFILES } from '../capacity.js';
import type { Constant, Knob } from '../knob.js';

/**
 * Nacos 1.x ephemeral-instance liveness: the one table of defaults. Every row names its key and
 * the file of github:alibaba/nacos (tag 1.4.8 unless stated) it comes from; see
 * docs/models/nacos-v1.md and the reference shared/reference/nacos-liveness.md §A.
 */
export const V1_KEYS = {
  beatInterval: 'preserved.heart.beat.interval',
  beatTimeout: 'preserved.heart.beat.timeout',
  deleteTimeout: 'preserved.ip.delete.timeout',
  ephemeral: 'ephemeral',
  expireInstance: 'nacos.naming.expireInstance',
  healthCheckEnabled: 'healthCheckEnabled',
  lightBeatEnabled: 'lightBeatEnabled',
  clientBeatInterval: 'clientBeatInterval',
  protectThreshold: 'protectThreshold',
  pushEmptyProtection: 'namingPushEmptyProtection',
  pushEnabled: 'pushEnabled',
  pushCacheMillis: 'defaultPushCacheMillis',
  connectTimeout: 'com.alibaba.nacos.client.naming.ctimeout',
  readTimeout: 'com.alibaba.nacos.client.naming.rtimeout',
  checkPhase: 'sim.checkPhase',
  maxRetry: 'namingRequestDomainMaxRetryCount',
} as const;

export const V1_KNOBS: readonly Knob[] = [
  {
    key: V1_KEYS.beatInterval,
    aliases: ['beat.interval'],
    type: 'duration',
    default: 5000,
    minMs: 1,
    description: 'client heartbeat period (instance metadata)',
    source: 'api/src/main/java/com/alibaba/nacos/api/common/Constants.java DEFAULT_HEART_BEAT_INTERVAL; api/.../naming/PreservedMetadataKeys.java',
  },
  {
    key: V1_KEYS.beatTimeout,
    aliases: ['beat.timeout'],
    type: 'duration',
    default: 15000,
    minMs: 1,
    description: 'no beat for this long → instance marked unhealthy (instance metadata)',
    source: 'api/.../api/common/Constants.java DEFAULT_HEART_BEAT_TIMEOUT; naming/.../healthcheck/ClientBeatCheckTask.run',
  },
  {
    key: V1_KEYS.deleteTimeout,
    aliases: ['delete.timeout'],
    type: 'duration',
    default: 30000,
    minMs: 1,
    description: 'no beat for this long → instance deleted (instance metadata)',
    source: 'api/.../api/common/Constants.java DEFAULT_IP_DELETE_TIMEOUT; ClientBeatCheckTask.run / deleteIp',
  },
  {
    key: V1_KEYS.ephemeral,
    type: 'boolean',
    default: true,
    description: 'ephemeral instance (beats, auto-deleted) or persistent (server TCP check, never deleted)',
    source: 'api/.../naming/pojo/Instance.java; naming/.../healthcheck/HealthCheckTask.java',
  },
  {
    key: V1_KEYS.expireInstance,
    aliases: ['expireInstance'],
    type: 'boolean',
    default: true,
    description: 'server deletes expired ephemeral instances (false: only marks them unhealthy)',
    source: 'naming/.../misc/GlobalConfig.java @Value nacos.naming.expireInstance:true',
  },
  {
    key: V1_KEYS.healthCheckEnabled,
    type: 'boolean',
    default: true,
    description: 'server switch: false → beat check neither marks nor deletes',
    source: 'naming/.../misc/SwitchDomain.isHealthCheckEnabled; ClientBeatCheckTask.run',
  },
  {
    key: V1_KEYS.lightBeatEnabled,
    type: 'boolean',
    default: true,
    description: 'server switch: after the first beat the client sends light beats (no body); an unknown instance then gets 20404',
    source: 'naming/.../misc/SwitchDomain.java lightBeatEnabled; client/.../naming/beat/BeatReactor.java',
  },
  {
    key: V1_KEYS.clientBeatInterval,
    type: 'duration',
    default: 5000,
    minMs: 1,
    description: 'server switch: beat period the server tells clients whose instance has no preserved.heart.beat.interval',
    source: 'naming/.../misc/SwitchDomain.clientBeatInterval; naming/.../controllers/InstanceController.beat',
  },
  {
    key: V1_KEYS.protectThreshold,
    type: 'number',
    default: 0,
    min: 0,
    max: 1,
    description: 'service protect threshold: healthy ratio ≤ this → all instances returned as healthy',
    source: 'api/.../naming/pojo/Service.java protectThreshold 0.0F; naming/.../controllers/InstanceController.doSrvIpxt',
  },
  {
    key: V1_KEYS.pushEmptyProtection,
    type: 'boolean',
    default: false,
    description: 'consumer ignores a pushed or polled list with no healthy instance',
    source: 'client/.../naming/core/HostReactor.processServiceJson; PropertyKeyConst.NAMING_PUSH_EMPTY_PROTECTION',
  },
  {
    key: V1_KEYS.pushEnabled,
    type: 'boolean',
    default: true,
    description: 'server switch: UDP push to subscribers',
    source: 'naming/.../misc/SwitchDomain.pushEnabled; naming/.../push/PushService',
  },
  {
    key: V1_KEYS.pushCacheMillis,
    type: 'duration',
    default: 10000,
    minMs: 1,
    description: 'server switch: cacheMillis given to push-capable consumers (their poll period) and the push-client zombie age',
    source: 'naming/.../misc/SwitchDomain.defaultPushCacheMillis; PushService.PushClient.zombie',
  },
  {
    key: V1_KEYS.connectTimeout,
    type: 'duration',
    default: 3000,
    minMs: 1,
    description: 'client HTTP connect timeout (JVM property)',
    source: 'client/.../naming/net/NamingHttpClientManager.java CON_TIME_OUT_MILLIS',
  },
  {
    key: V1_KEYS.readTimeout,
    type: 'duration',
    default: 50000,
    minMs: 1,
    description: 'client HTTP read timeout (JVM property): how long a beat can hang on a blackholed path',
    source: 'client/.../naming/net/NamingHttpClientManager.java READ_TIME_OUT_MILLIS',
  },
  {
    key: V1_KEYS.maxRetry,
    type: 'number',
    default: 3,
    min: 1,
    max: 100,
    integer: true,
    description: 'client HTTP tries per request when the server list has one entry (back to back, no sleep)',
    source: 'client/.../naming/net/NamingProxy.reqApi maxRetry; PropertyKeyConst.NAMING_REQUEST_DOMAIN_RETRY_COUNT',
  },
  {
    key: V1_KEYS.checkPhase,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    maxMs: 4999.999,
    description: "when the service's beat-check task runs relative to c1's registration (auto: the service is created by it)",
    source: 'livesim: the check task starts when Service.init() runs at the first registration (HealthCheckReactor.scheduleCheck)',
  },
];

/**
 * The server's service capacity (livesim's own keys, `sim.*`; docs/models/nacos-v1.md#capacity).
 * Every cost defaults to `auto`: 0 — infinite capacity, work done the instant it arrives, the model
 * as it was — unless `sim.server.capacity=reference-8c`, which takes the costs of V1_REFERENCE_COSTS_US.
 * The pools follow Nacos's executors: HTTP requests on Tomcat's workers; the beat's state change
 * (ClientBeatProcessor) and the beat check (ClientBeatCheckTask) on the naming health executor;
 * UDP pushes on the single push sender thread.
 */
export const V1_CAPACITY_KEYS = {
  capacity: 'sim.server.capacity',
  threads: 'sim.server.threads',
  healthThreads: 'com.alibaba.nacos.naming.health.thread.num',
  beat: 'sim.server.cost.beat',
  beatProcess: 'sim.server.cost.beatProcess',
  scan: 'sim.server.cost.scanPer1000',
  register: 'sim.server.cost.register',
  query: 'sim.server.cost.query',
  push: 'sim.server.cost.push',
  serialize: 'sim.server.cost.serializePer1000',
  startSpread: 'sim.clientStartSpread',
  subscriberStart: 'sim.subscriberStart',
} as const;

/**
 * `sim.server.capacity=reference-8c`: CPU time per unit of work on one 8-core server (the machine of
 * the Nacos benchmark reports, 8 cores / 16 GB). These are livesim ASSUMPTIONS, not measurements of
 * Nacos, and every capacity result scales with them. Derivations in docs/models/nacos-v1.md#capacity.
 */
export const V1_REFERENCE_COSTS_US = {
  /** One beat: Tomcat + Spring MVC, DistroFilter, JSON in and out, access log (on a kept connection from 1.2.0 clients). */
  beat: 300,
  /** ClientBeatProcessor besides its scan: the task, the service and cluster lookups. */
  beatProcess: 10,
  /** Per 1,000 instances of the service: allIPs(true) copies the instance set, then an ip:port equals loop (~50 ns each). */
  scanPer1000: 50,
  /** Register or deregister: ~4× the 2.x figure (the 2.x report: ≥ 2× the TPS on half the machine). */
  register: 3200,
  /** A list query besides serializing the instances. */
  query: 200,
  /** One UDP push to one subscriber besides serializing the instances (ack entry, send). */
  push: 100,
  /** Per 1,000 instances in a push or a list answer: JSON (~150 B each) and, above 1 KB, gzip (~3 µs each). */
  serializePer1000: 3000,
} as const;

const REF = V1_REFERENCE_COSTS_US;
const AUTO_COST = 'auto: 0 (infinite capacity), or with sim.server.capacity=reference-8c';

export const V1_CAPACITY_KNOBS: readonly Knob[] = [
  {
    key: V1_CAPACITY_KEYS.capacity,
    type: 'enum',
    values: CAPACITY_PROFILES,
    default: 'infinite',
    description: 'the costs that are auto: infinite (0: work is done the instant it arrives) or reference-8c (an 8-core server, livesim assumptions)',
    source: 'livesim: docs/models/nacos-v1.md#capacity (the reference costs and how they were derived)',
  },
  {
    key: V1_CAPACITY_KEYS.threads,
    type: 'number',
    default: 8,
    min: 1,
    max: 4096,
    integer: true,
    description: 'HTTP requests served at once (CPU-bound: the cores; Tomcat has more threads, 200 by default)',
    source: 'livesim: an 8-core server; Spring Boot server.tomcat.max-threads 200',
  },
  {
    key: V1_CAPACITY_KEYS.healthThreads,
    aliases: ['health.thread.num'],
    type: 'number',
    default: 4,
    min: 1,
    max: 4096,
    integer: true,
    description: 'naming health executor threads: ClientBeatProcessor (the beat updates lastBeat) and ClientBeatCheckTask run on them',
    source: 'naming/.../misc/GlobalExecutor.NAMING_HEALTH_EXECUTOR (JVM property, default DEFAULT_THREAD_COUNT = cores / 2: 4 on 8 cores)',
  },
  {
    key: V1_CAPACITY_KEYS.beat,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: `CPU time of one beat request on an HTTP worker (the reply leaves when it ends); ${AUTO_COST} ${REF.beat} µs`,
    source: 'livesim assumption; naming/.../controllers/InstanceController.beat',
  },
  {
    key: V1_CAPACITY_KEYS.beatProcess,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: `CPU time of one ClientBeatProcessor on the health executor besides its scan (lastBeat is set when it ends); ${AUTO_COST} ${REF.beatProcess} µs`,
    source: 'livesim assumption; naming/.../healthcheck/ClientBeatProcessor.run (Service.processClientBeat → HealthCheckReactor.scheduleNow)',
  },
  {
    key: V1_CAPACITY_KEYS.scan,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: `per 1,000 instances of the service: the scan of every ClientBeatProcessor and ClientBeatCheckTask; ${AUTO_COST} ${REF.scanPer1000} µs`,
    source: 'livesim assumption; ClientBeatProcessor.run and ClientBeatCheckTask.run walk cluster.allIPs(true) / service.allIPs(true)',
  },
  {
    key: V1_CAPACITY_KEYS.register,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: `CPU time of one register or deregister (also the beat check's self-DELETE) on an HTTP worker; ${AUTO_COST} ${REF.register} µs`,
    source: 'livesim assumption from the Nacos 2.0 naming benchmark (1.x: ≥ 2× slower on twice the machine); InstanceController.register / deregister',
  },
  {
    key: V1_CAPACITY_KEYS.query,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: `CPU time of one list query on an HTTP worker besides serializing the instances; ${AUTO_COST} ${REF.query} µs`,
    source: 'livesim assumption; InstanceController.list / doSrvIpxt',
  },
  {
    key: V1_CAPACITY_KEYS.push,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: `CPU time of one UDP push to one subscriber on the push sender thread besides serializing the instances; ${AUTO_COST} ${REF.push} µs`,
    source: 'livesim assumption; naming/.../push/PushService.onApplicationEvent (prepareAckEntry, udpPush)',
  },
  {
    key: V1_CAPACITY_KEYS.serialize,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: `per 1,000 instances in a push or a list answer: JSON and gzip; ${AUTO_COST} ${REF.serializePer1000} µs`,
    source: 'livesim assumption; PushService.prepareHostsData / compressIfNecessary (gzip above 1 KB)',
  },
  {
    key: V1_CAPACITY_KEYS.startSpread,
    type: 'duration',
    default: 'auto',
    minMs: 1,
    description: 'clients c2…cN register at a phase drawn over this window (auto: one beat interval); a long window avoids a start-up storm',
    source: 'livesim: how a fleet comes up is a property of the deployment, not of Nacos',
  },
  {
    key: V1_CAPACITY_KEYS.subscriberStart,
    type: 'duration',
    default: 0,
    minMs: 0,
    description: 'when the consumers subscribe (their first list query); 0: with the providers, at start',
    source: 'livesim: the order in which a deployment comes up is not Nacos’s',
  },
];

/** Constants Nacos 1.x does not let anyone change. */
export const V1_CONSTANTS = {
  beatCheckPeriodMs: 5000,
  pushDelayMs: 1000,
  udpAckTimeoutMs: 10000,
  udpMaxRetransmits: 1,
  defaultCacheMillis: 3000,
  pollInitialDelayMs: 1000,
  pollMaxDelayMs: 60000,
  pollMaxFailCount: 6,
  zombieSweepPeriodMs: 20000,
  tcpCheckTimes: 3,
  tcpConnectTimeoutMs: 500,
  tcpCheckBaseMs: 2000,
  tcpCheckMaxMs: 5000,
  tcpCheckMinMs: 1000,
  tcpCheckFactor: 0.75,
  tcpCheckTimeoutRtMultiplier: 2,
  tcpCheckPollMs: 250,
  beatNotFoundCode: 20404,
  okCode: 10200,
  httpKeepAliveTimeoutMs: 60000,
  httpMaxKeepAliveRequests: 100,
  httpMaxIdleConnections: 5,
  selfDeleteMs: 1,
  udpSenderThreads: 1,
} as const;

export const V1_CONSTANT_ROWS: readonly Constant[] = [
  {
    name: 'beat check period',
    value: V1_CONSTANTS.beatCheckPeriodMs,
    unit: 'ms',
    description: 'ClientBeatCheckTask initial delay and fixed delay per service',
    source: 'naming/.../healthcheck/HealthCheckReactor.scheduleCheck (5000, 5000)',
  },
  {
    name: 'push delay',
    value: V1_CONSTANTS.pushDelayMs,
    unit: 'ms',
    description: 'serviceChanged → UDP push, debounced per service',
    source: 'naming/.../push/PushService.serviceChanged / onApplicationEvent',
  },
  {
    name: 'UDP push ack timeout',
    value: V1_CONSTANTS.udpAckTimeoutMs,
    unit: 'ms',
    description: 'retransmit when no ack',
    source: 'PushService ACK_TIMEOUT_NANOS',
  },
  {
    name: 'UDP push retransmits',
    value: V1_CONSTANTS.udpMaxRetransmits,
    unit: 'count',
    description: 'then the push is given up; only polling repairs it',
    source: 'PushService MAX_RETRY_TIMES',
  },
  {
    name: 'default cacheMillis',
    value: V1_CONSTANTS.defaultCacheMillis,
    unit: 'ms',
    description: 'poll period of consumers without UDP push',
    source: 'SwitchDomain.defaultCacheMillis',
  },
  {
    name: 'poll first delay',
    value: V1_CONSTANTS.pollInitialDelayMs,
    unit: 'ms',
    description: 'UpdateTask first run (DEFAULT_DELAY)',
    source: 'client/.../naming/core/HostReactor.addTask',
  },
  {
    name: 'poll max delay',
    value: V1_CONSTANTS.pollMaxDelayMs,
    unit: 'ms',
    description: 'UpdateTask back-off cap (DEFAULT_DELAY × 60)',
    source: 'HostReactor.UpdateTask.run',
  },
  {
    name: 'poll max fail count',
    value: V1_CONSTANTS.pollMaxFailCount,
    unit: 'count',
    description: 'back-off exponent cap',
    source: 'HostReactor.UpdateTask.incFailCount',
  },
  {
    name: 'zombie sweep period',
    value: V1_CONSTANTS.zombieSweepPeriodMs,
    unit: 'ms',
    description: 'push clients not refreshed for pushCacheMillis are removed',
    source: 'PushService static init removeClientIfZombie (0, 20, s)',
  },
  {
    name: 'TCP check times',
    value: V1_CONSTANTS.tcpCheckTimes,
    unit: 'count',
    description: 'consecutive failures before a persistent instance is unhealthy',
    source: 'SwitchDomain.checkTimes; HealthCheckCommon.checkFail',
  },
  {
    name: 'TCP check connect timeout',
    value: V1_CONSTANTS.tcpConnectTimeoutMs,
    unit: 'ms',
    description: 'persistent instance TCP probe timeout',
    source: 'naming/.../healthcheck/TcpSuperSenseProcessor CONNECT_TIMEOUT_MS',
  },
  {
    name: 'TCP check first interval base',
    value: V1_CONSTANTS.tcpCheckBaseMs,
    unit: 'ms',
    description:
      'first check = base + nextInt(0, nextInt(0, max)) (commons-lang3 RandomUtils.nextInt(a, b) is uniform on [a, b), and nextInt(a, a) = a): skewed low, mean ≈ base + max/4',
    source:
      'naming/.../healthcheck/HealthCheckTask.initCheckRT (1.4.8); Cluster.init → HealthCheckReactor.scheduleCheck; commons-lang3 3.4 RandomUtils.nextInt',
  },
  {
    name: 'TCP check max',
    value: V1_CONSTANTS.tcpCheckMaxMs,
    unit: 'ms',
    description:
      'tcpHealthParams.max: bound of the first-interval draw, ceiling of the adaptive interval, and the response time fed back after a connection error',
    source:
      'naming/.../misc/SwitchDomain.TcpHealthParams.max (1.4.8); HealthCheckCommon.reEvaluateCheckRT; TcpSuperSenseProcessor.PostProcessor / TaskProcessor (finishCheck(..., getMax(), ...))',
  },
  {
    name: 'TCP check min',
    value: V1_CONSTANTS.tcpCheckMinMs,
    unit: 'ms',
    description: 'tcpHealthParams.min: floor of the adaptive interval',
    source: 'naming/.../misc/SwitchDomain.TcpHealthParams.min (1.4.8); HealthCheckCommon.reEvaluateCheckRT',
  },
  {
    name: 'TCP check factor',
    value: V1_CONSTANTS.tcpCheckFactor,
    unit: 'ratio',
    description:
      'after every result: interval = (long)(factor × interval + (1 − factor) × rt), then clamped to [min, max]; the next run is scheduled with the interval as it stands when the run ends (before its own results)',
    source:
      'naming/.../misc/SwitchDomain.TcpHealthParams.factor (0.75F); HealthCheckCommon.reEvaluateCheckRT; HealthCheckTask.run finally → HealthCheckReactor.scheduleCheck (1.4.8)',
  },
  {
    name: 'TCP check timeout rt multiplier',
    value: V1_CONSTANTS.tcpCheckTimeoutRtMultiplier,
    unit: 'count',
    description: 'a connect timeout feeds back rt = 2 × interval, so the interval grows ×1.25 per timeout (0.75 + 0.25 × 2) up to max',
    source: 'naming/.../healthcheck/TcpSuperSenseProcessor.TimeOutTask.run (finishCheck(false, false, getCheckRtNormalized() * 2, "tcp:timeout"), 1.4.8 l.345)',
  },
  {
    name: 'TCP check poll',
    value: V1_CONSTANTS.tcpCheckPollMs,
    unit: 'ms',
    description:
      'the NIO thread notices a finished connect (or a refusal) only when its task-queue poll returns, CONNECT_TIMEOUT_MS / 2 after it began: an idle loop reports a result at the next multiple of 250 ms after the connect started, with rt = that time; a result not reported before the 500 ms TimeOutTask counts as a timeout (the TimeOutTask was scheduled before the poll began)',
    source:
      'naming/.../healthcheck/TcpSuperSenseProcessor.run / processTask (taskQueue.poll(CONNECT_TIMEOUT_MS / 2)), PostProcessor (rt = now − task.startTime), TaskProcessor.call (scheduleTcpSuperSenseTask(TimeOutTask, CONNECT_TIMEOUT_MS)) (1.4.8)',
  },
  {
    name: 'beat not-found code',
    value: V1_CONSTANTS.beatNotFoundCode,
    unit: 'count',
    description: 'light beat for an unknown instance',
    source: 'api/.../naming/NamingResponseCode.RESOURCE_NOT_FOUND',
  },
  {
    name: 'HTTP keep-alive timeout',
    value: V1_CONSTANTS.httpKeepAliveTimeoutMs,
    unit: 'ms',
    description:
      "how long the client's JDK keeps an idle beat connection: Tomcat answers a request carrying `Connection: Keep-Alive` (NamingProxy.builderHeader, 1.2.0+) with `Keep-Alive: timeout=60` (its keepAliveTimeout defaults to connectionTimeout, 60000 ms, and Nacos sets no server.tomcat.connection-timeout), and the JDK keeps the connection that long (nap = timeout × 1000); a 5 s beat therefore reuses it. (The reference's timeout=20 is the value of Tomcat's stock server.xml, which embedded Tomcat does not read.) Clients before 1.2.0 call conn.disconnect(), which closes the kept connection: a new one per request",
    source:
      'tomcat 9.0.83 java/org/apache/coyote/http11/Constants.DEFAULT_CONNECTION_TIMEOUT, AbstractHttp11Protocol() (setConnectionTimeout), AbstractEndpoint.getKeepAliveTimeout, Http11Processor.prepareResponse ("timeout=" + keepAliveTimeout / 1000); jdk8u sun/net/www/http/HttpClient.parseHTTPHeader (Keep-Alive timeout), KeepAliveCache.put / ClientVector.get (idle > nap: not reused); nacos 1.4.8 common/.../http/client/request/JdkHttpClientRequest, response/JdkHttpClientResponse.close (closes the stream, not the connection), NacosRestTemplate.execute; 1.1.4 client/.../naming/net/HttpClient.request (finally conn.disconnect()); jdk HttpURLConnection.disconnect (closeIdleConnection)',
  },
  {
    name: 'HTTP max keep-alive requests',
    value: V1_CONSTANTS.httpMaxKeepAliveRequests,
    unit: 'count',
    description: "Tomcat answers a connection's 100th request with `Connection: close`: the next beat opens a new connection",
    source: 'tomcat 9.0.83 java/org/apache/tomcat/util/net/AbstractEndpoint.maxKeepAliveRequests; Http11Processor.service (decrementKeepAlive)',
  },
  {
    name: 'HTTP idle connections per server',
    value: V1_CONSTANTS.httpMaxIdleConnections,
    unit: 'count',
    description: 'idle connections the JDK keeps per destination (http.maxConnections), newest used first',
    source: 'jdk8u sun/net/www/http/KeepAliveCache.MAX_CONNECTIONS; ClientVector.put / get',
  },
  {
    name: 'HTTP retry after a reset',
    value: 1,
    unit: 'count',
    description:
      'an I/O error other than a timeout while reading the response (a reset, an early EOF: a kept connection the server no longer has) closes the connection and sends the request once more on a new one; a read timeout closes it and is not retried',
    source:
      'jdk8u sun/net/www/http/HttpClient.parseHTTP (catch SocketTimeoutException: closeServer, rethrow; catch IOException: if !failedOnce, openServer + writeRequests); Nacos beats are PUT, not streamed',
  },
  {
    name: 'ok code',
    value: V1_CONSTANTS.okCode,
    unit: 'count',
    description: 'response code of a handled request',
    source: 'naming/.../controllers/InstanceController (CommonParams.CODE with 10200)',
  },
  {
    name: 'self-delete latency',
    value: V1_CONSTANTS.selfDeleteMs,
    unit: 'ms',
    description: 'deleteIp is an async HTTP DELETE to the node itself (livesim assumption: loopback ≤ 1 ms)',
    source: 'ClientBeatCheckTask.deleteIp',
  },
  {
    name: 'UDP push sender threads',
    value: V1_CONSTANTS.udpSenderThreads,
    unit: 'count',
    description: 'one thread sends every push of a change, subscriber after subscriber (matters only with a push cost)',
    source: 'naming/.../misc/GlobalExecutor.UDP_SENDER_EXECUTOR (newSingleScheduledExecutorService); PushService.onApplicationEvent',
  },
];

/**
 * The cluster (several servers, `--servers N`): Distro responsibility, data sync and member health,
 * from tag 1.4.8 (naming/.../core/DistroMapper, naming/.../web/DistroFilter, naming/.../consistency/
 * ephemeral/distro, core/.../distributed/distro, core/.../cluster); see docs/models/cluster.md.
 * One server never reads these rows.
 */
export const V1_CLUSTER_KEYS = {
  serviceName: 'serviceName',
  failAccessCnt: 'nacos.core.member.fail-access-cnt',
  taskDispatchPeriod: 'nacos.naming.distro.taskDispatchPeriod',
  syncRetryDelay: 'nacos.naming.distro.syncRetryDelay',
  statusSyncPeriod: 'serviceStatusSynchronizationPeriodMillis',
} as const;

export const V1_CLUSTER_KNOBS: readonly Knob[] = [
  {
    key: V1_CLUSTER_KEYS.serviceName,
    type: 'text',
    default: 'demo-service',
    format: 'a service name (group DEFAULT_GROUP)',
    description: 'the service every client registers in: its hash over the healthy member list picks the responsible node',
    source: 'naming/.../core/DistroMapper.responsible / mapSrv (hash of groupName@@serviceName); naming/.../web/DistroFilter',
  },
  {
    key: V1_CLUSTER_KEYS.failAccessCnt,
    type: 'number',
    default: 3,
    min: 0,
    max: 1000,
    integer: true,
    description: 'a member is DOWN (and leaves the Distro ring) after more than this many failed reports in a row, or at once when refused',
    source: 'core/.../cluster/MemberUtil.onFail (nacos.core.member.fail-access-cnt, TARGET_MEMBER_CONNECT_REFUSE_ERRMSG)',
  },
  {
    key: V1_CLUSTER_KEYS.taskDispatchPeriod,
    type: 'duration',
    default: 2000,
    minMs: 0,
    description: 'a changed instance list reaches the other nodes after two delays of half this (Distro delay task, then the combined-key task)',
    source:
      'naming/.../misc/GlobalConfig (nacos.naming.distro.taskDispatchPeriod); DistroConsistencyServiceImpl.put (delay taskDispatchPeriod / 2); combined/DistroHttpCombinedKeyExecuteTask (another taskDispatchPeriod / 2)',
  },
  {
    key: V1_CLUSTER_KEYS.syncRetryDelay,
    type: 'duration',
    default: 5000,
    minMs: 0,
    description: 'a failed sync to a node is retried after this (then the two dispatch delays again)',
    source: 'naming/.../misc/GlobalConfig (nacos.naming.distro.syncRetryDelay); combined/DistroHttpCombinedKeyTaskFailedHandler.retry',
  },
  {
    key: V1_CLUSTER_KEYS.statusSyncPeriod,
    type: 'duration',
    default: 5000,
    minMs: 1,
    description: "server switch: the responsible node sends the instances' health to the other nodes this often (first 60 s after start)",
    source: 'naming/.../misc/SwitchDomain.serviceStatusSynchronizationPeriodMillis; naming/.../core/ServiceManager.ServiceReporter / updatedHealthStatus',
  },
];

export const V1_CLUSTER_CONSTANTS = {
  memberReportPeriodMs: 2000,
  memberReportInitialDelayMs: 5000,
  memberReportConnectTimeoutMs: 5000,
  memberReportReadTimeoutMs: 2500,
  proxyConnectTimeoutMs: 2000,
  proxyReadTimeoutMs: 2000,
  syncConnectTimeoutMs: 5000,
  syncReadTimeoutMs: 10000,
  distroEngineTickMs: 100,
  verifyPeriodMs: 5000,
  statusSyncInitialDelayMs: 60000,
  badRequestStatus: 400,
  serverErrorStatus: 500,
} as const;

const KC = V1_CLUSTER_CONSTANTS;

export const V1_CLUSTER_CONSTANT_ROWS: readonly Constant[] = [
  {
    name: 'member report period',
    value: KC.memberReportPeriodMs,
    unit: 'ms',
    description: 'MemberInfoReportTask: one report to one other member (round-robin)',
    source: 'core/.../cluster/ServerMemberManager.MemberInfoReportTask.after (scheduleByCommon(this, 2_000L))',
  },
  {
    name: 'member report first run',
    value: KC.memberReportInitialDelayMs,
    unit: 'ms',
    description: 'after the node starts',
    source: 'ServerMemberManager.onApplicationEvent (scheduleByCommon(infoReportTask, 5_000L))',
  },
  {
    name: 'member report connect timeout',
    value: KC.memberReportConnectTimeoutMs,
    unit: 'ms',
    description: 'async HTTP report (nacos.http.timeout)',
    source: 'common/.../http/DefaultHttpClientFactory (TIMEOUT 5000)',
  },
  {
    name: 'member report read timeout',
    value: KC.memberReportReadTimeoutMs,
    unit: 'ms',
    description: 'TIMEOUT >> 1',
    source: 'common/.../http/DefaultHttpClientFactory (setReadTimeOutMillis(TIMEOUT >> 1))',
  },
  {
    name: 'proxy connect timeout',
    value: KC.proxyConnectTimeoutMs,
    unit: 'ms',
    description: 'DistroFilter forwarding a register/beat to the responsible node',
    source: 'naming/.../web/DistroFilter.PROXY_CONNECT_TIMEOUT',
  },
  {
    name: 'proxy read timeout',
    value: KC.proxyReadTimeoutMs,
    unit: 'ms',
    description: 'DistroFilter forwarding; on failure the client gets HTTP 500 and tries its next server',
    source: 'naming/.../web/DistroFilter.PROXY_READ_TIMEOUT; naming/.../misc/HttpClient.request',
  },
  {
    name: 'sync connect timeout',
    value: KC.syncConnectTimeoutMs,
    unit: 'ms',
    description: 'Distro datum PUT to a peer',
    source: 'naming/.../misc/HttpClientManager.CON_TIME_OUT_MILLIS; NamingProxy.syncData',
  },
  {
    name: 'sync read timeout',
    value: KC.syncReadTimeoutMs,
    unit: 'ms',
    description: 'Distro datum PUT to a peer',
    source: 'naming/.../misc/HttpClientManager.TIME_OUT_MILLIS',
  },
  {
    name: 'Distro engine tick',
    value: KC.distroEngineTickMs,
    unit: 'ms',
    description: 'the delay-task engine polls its sync tasks this often',
    source: 'common/.../task/engine/NacosDelayTaskExecuteEngine (100L)',
  },
  {
    name: 'Distro verify period',
    value: KC.verifyPeriodMs,
    unit: 'ms',
    description: 'the responsible node sends checksums; a node whose copy differs fetches the data',
    source: 'core/.../distributed/distro/DistroConfig.verifyIntervalMillis; DistroVerifyTask; DistroConsistencyServiceImpl.onReceiveChecksums',
  },
  {
    name: 'service status first run',
    value: KC.statusSyncInitialDelayMs,
    unit: 'ms',
    description: 'ServiceReporter starts 60 s after the node',
    source: 'naming/.../core/ServiceManager.init (scheduleServiceReporter(…, 60000))',
  },
  {
    name: 'bad request status',
    value: KC.badRequestStatus,
    unit: 'count',
    description: 'a proxied request the receiving node is not responsible for either',
    source: 'naming/.../web/DistroFilter (SC_BAD_REQUEST)',
  },
  {
    name: 'server error status',
    value: KC.serverErrorStatus,
    unit: 'count',
    description: 'a proxy that failed',
    source: 'naming/.../misc/HttpClient.request (withCode(500))',
  },
];
