import { CAPACITY_PROFILES } from '../capacity.js';
import type { Constant, Knob } from '../knob.js';
import type { VersionNote } from '../model.js';

/**
 * Nacos 2.x (gRPC) ephemeral-instance liveness: the one table of defaults. Every row names its
 * key and the file of github:alibaba/nacos (tag 2.5.1 unless stated) it comes from; see the
 * reference shared/reference/nacos-liveness.md §B. Paths: common/ = common/src/main/java/com/
 * alibaba/nacos/common, core/ = core/src/main/java/com/alibaba/nacos/core, naming/ =
 * naming/src/main/java/com/alibaba/nacos/naming, client/ = client/src/main/java/com/alibaba/nacos/client.
 */
export const V2_KEYS = {
  keepAlive: 'nacos.remote.client.grpc.connect.keep.alive',
  healthTimeout: 'nacos.remote.client.grpc.health.timeout',
  healthRetry: 'nacos.remote.client.grpc.health.retry',
  requestTimeout: 'nacos.remote.client.grpc.timeout',
  requestRetry: 'nacos.remote.client.grpc.retry.times',
  serverCheckTimeout: 'nacos.remote.client.grpc.server.check.timeout',
  channelKeepAlive: 'nacos.remote.client.grpc.channel.keep.alive',
  channelKeepAliveTimeout: 'nacos.remote.client.grpc.channel.keep.alive.timeout',
  negotiationTimeout: 'nacos.remote.client.grpc.channel.capability.negotiation.timeout',
  redoDelay: 'redoDelayTime',
  pushEmptyProtection: 'namingPushEmptyProtection',
  asyncQuery: 'namingAsyncQuerySubscribeService',
  pushTaskDelay: 'nacos.naming.push.pushTaskDelay',
  pushTaskTimeout: 'nacos.naming.push.pushTaskTimeout',
  pushTaskRetryDelay: 'nacos.naming.push.pushTaskRetryDelay',
  serverKeepAlive: 'nacos.remote.server.grpc.sdk.keep-alive-time',
  serverKeepAliveTimeout: 'nacos.remote.server.grpc.sdk.keep-alive-timeout',
  protectThreshold: 'protectThreshold',
  pushCacheMillis: 'defaultPushCacheMillis',
  ejectorPhase: 'sim.ejectorPhase',
  appOnDisconnect: 'sim.app.onDisconnect',
  appDisconnectAfter: 'sim.app.disconnectAfter',
  appCheckInterval: 'sim.app.checkInterval',
} as const;

const GRPC_CONSTANTS = 'common/.../remote/client/grpc/GrpcConstants.java; DefaultGrpcClientConfig.Builder';

export const V2_KNOBS: readonly Knob[] = [
  {
    key: V2_KEYS.keepAlive,
    aliases: ['keep.alive'],
    type: 'duration',
    default: 5000,
    minMs: 1,
    description: 'client idle time before a HealthCheckRequest (the event thread polls with this period); fixed 5 s before 2.1.2',
    source: `${GRPC_CONSTANTS} connectionKeepAlive; common/.../remote/client/RpcClient.start (2.0.0-2.1.1: keepAliveTime = 5000L)`,
  },
  {
    key: V2_KEYS.healthTimeout,
    aliases: ['health.timeout'],
    type: 'duration',
    default: 3000,
    minMs: 1,
    description: 'timeout of one health-check attempt; fixed 3 s before 2.1.2',
    source: `${GRPC_CONSTANTS} healthCheckTimeOut; RpcClient.healthCheck`,
  },
  {
    key: V2_KEYS.healthRetry,
    aliases: ['health.retry'],
    type: 'number',
    default: 3,
    min: 0,
    max: 50,
    integer: true,
    description: 'health-check retries after a timeout (retry + 1 attempts); a single attempt before 2.1.2',
    source: `${GRPC_CONSTANTS} healthCheckRetryTimes; RpcClient.healthCheck (retries from tag 2.1.2)`,
  },
  {
    key: V2_KEYS.requestTimeout,
    type: 'duration',
    default: 3000,
    minMs: 1,
    description: 'client request timeout (register, subscribe, query): also the window for its retries',
    source: `${GRPC_CONSTANTS} timeOutMills; RpcClient.request`,
  },
  {
    key: V2_KEYS.requestRetry,
    type: 'number',
    default: 3,
    min: 0,
    max: 50,
    integer: true,
    description: 'client request retries within the request timeout',
    source: `${GRPC_CONSTANTS} retryTimes; RpcClient.request`,
  },
  {
    key: V2_KEYS.serverCheckTimeout,
    type: 'duration',
    default: 3000,
    minMs: 1,
    description: 'connect budget: TCP handshake + ServerCheckRequest round trip',
    source: `${GRPC_CONSTANTS} serverCheckTimeOut; common/.../grpc/GrpcClient.serverCheck`,
  },
  {
    key: V2_KEYS.channelKeepAlive,
    type: 'duration',
    default: 360000,
    minMs: 1,
    description: 'client gRPC channel (HTTP/2 PING) keep-alive time (2.0/2.1: JVM nacos.remote.grpc.keep.alive.millis)',
    source: `${GRPC_CONSTANTS} channelKeepAlive; GrpcClient.createNewManagedChannel`,
  },
  {
    key: V2_KEYS.channelKeepAliveTimeout,
    type: 'duration',
    default: 20000,
    minMs: 1,
    description: 'client gRPC channel PING timeout',
    source: `${GRPC_CONSTANTS} channelKeepAliveTimeout; GrpcClient.createNewManagedChannel`,
  },
  {
    key: V2_KEYS.negotiationTimeout,
    type: 'duration',
    default: 5000,
    minMs: 1,
    description: "2.3+ client with a 2.3+ server: wait for the server's SetupAckRequest after ConnectionSetupRequest",
    source: `${GRPC_CONSTANTS} capabilityNegotiationTimeout; GrpcClient.connectToServer`,
  },
  {
    key: V2_KEYS.redoDelay,
    type: 'duration',
    default: 3000,
    minMs: 1,
    description: 'redo task fixed delay: re-register / re-subscribe after a reconnect (2.0.3+; fixed 3 s before 2.3.0)',
    source: 'api/.../common/Constants.DEFAULT_REDO_DELAY_TIME; client/.../naming/remote/gprc/redo/NamingGrpcRedoService (DEFAULT_REDO_DELAY before tag 2.3.0)',
  },
  {
    key: V2_KEYS.pushEmptyProtection,
    type: 'boolean',
    default: false,
    description: 'consumer ignores a pushed or queried list with no healthy instance',
    source: 'client/.../naming/cache/ServiceInfoHolder.processServiceInfo / isEmptyOrErrorPush',
  },
  {
    key: V2_KEYS.asyncQuery,
    type: 'enum',
    values: ['auto', 'true', 'false'],
    default: 'auto',
    description:
      'consumer also polls (UpdateTask every cacheMillis × 6); auto = the release default: 2.0.0-2.1.1 always poll, 2.1.2-2.1.x default true, 2.2.0+ default false',
    source: 'client/.../naming/core/ServiceInfoUpdateService.isAsyncQueryForSubscribeService (tag 2.1.2: default true; tag 2.2.0: default false)',
  },
  {
    key: V2_KEYS.pushTaskDelay,
    type: 'duration',
    default: 500,
    minMs: 0,
    description: 'server: service change → push delay (merged per service)',
    source: 'naming/.../constants/PushConstants.DEFAULT_PUSH_TASK_DELAY; push/v2/NamingSubscriberServiceV2Impl.onEvent',
  },
  {
    key: V2_KEYS.pushTaskTimeout,
    type: 'duration',
    default: 5000,
    minMs: 1,
    description: 'server: NotifySubscriberRequest ack timeout (3 s fixed in 2.0.0)',
    source: 'naming/.../constants/PushConstants.DEFAULT_PUSH_TASK_TIMEOUT; push/v2/task/PushExecuteTask.ServicePushCallback',
  },
  {
    key: V2_KEYS.pushTaskRetryDelay,
    type: 'duration',
    default: 1000,
    minMs: 0,
    description: 'server: a failed push is retried for that subscriber after this delay, without limit',
    source: 'naming/.../constants/PushConstants.DEFAULT_PUSH_TASK_RETRY_DELAY; PushExecuteTask.ServicePushCallback.onFail',
  },
  {
    key: V2_KEYS.serverKeepAlive,
    type: 'duration',
    default: 7200000,
    minMs: 1,
    description: 'server gRPC (HTTP/2 PING) keep-alive time on the SDK port: the only exit for a half-open connection in 2.2.0-2.2.4 (configurable from 2.2.1)',
    source: 'core/.../remote/grpc/GrpcServerConstants.GrpcConfig; BaseGrpcServer.startServer (grpc-java default 2 h)',
  },
  {
    key: V2_KEYS.serverKeepAliveTimeout,
    type: 'duration',
    default: 20000,
    minMs: 1,
    description: 'server gRPC PING timeout',
    source: 'core/.../remote/grpc/GrpcServerConstants.GrpcConfig; BaseGrpcServer.startServer',
  },
  {
    key: V2_KEYS.protectThreshold,
    type: 'number',
    default: 0,
    min: 0,
    max: 1,
    description: 'service protect threshold: healthy ratio ≤ this → all returned healthy (gRPC instances are always healthy)',
    source: 'naming/.../utils/ServiceUtil.selectInstancesWithHealthyProtection',
  },
  {
    key: V2_KEYS.pushCacheMillis,
    type: 'duration',
    default: 10000,
    minMs: 1,
    description: 'cacheMillis in pushed and queried ServiceInfo (the poll period is 6 × this)',
    source: 'naming/.../misc/SwitchDomain.defaultPushCacheMillis; client/.../naming/core/ServiceInfoUpdateService.UpdateTask',
  },
  {
    key: V2_KEYS.ejectorPhase,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    maxMs: 2999.999,
    description: "when the server's connection ejector runs: first at this offset from the server's start, then every 3 s (auto: 1 s)",
    source:
      'livesim: ConnectionManager.start schedules the ejector 1 s after the server starts (scheduleWithFixedDelay 1000, 3000), usually long before a client connects, so its phase against a connection is arbitrary',
  },
  {
    key: V2_KEYS.appOnDisconnect,
    type: 'enum',
    values: ['none', 'stop-serving', 'deregister', 'exit'],
    default: 'none',
    description:
      "what the provider application does once its Nacos connection has been down longer than sim.app.disconnectAfter: stop-serving (refuses its consumers' calls; the registry is unchanged), deregister (NamingService.deregisterInstance: reaches the server only while connected; while cut off the redo service drops the registration, RedoData.getRedoType → REMOVE), exit (the process ends: its kernel's FIN reaches the server only if the path carries it)",
    source:
      'livesim application model (issue 16). How real applications do it: spring-cloud-alibaba NacosServiceRegistry.deregister → NamingService.deregisterInstance, NacosServiceRegistry.close → NacosServiceManager.nacosServiceShutDown, NacosAutoServiceRegistration (stop() on shutdown); nacos client/.../naming/remote/gprc/NamingGrpcClientProxy.deregisterService (2.2.3) → NamingGrpcRedoService.instanceDeregister; redo/data/RedoData.getRedoType; NacosNamingService.getServerStatus (DOWN unless the RpcClient is RUNNING)',
  },
  {
    key: V2_KEYS.appDisconnectAfter,
    type: 'duration',
    default: 30000,
    minMs: 1,
    description: 'how long the connection must have been down (NamingService.getServerStatus() = DOWN at every check) before sim.app.onDisconnect acts',
    source: 'livesim application model: an operator choice (e.g. a health indicator that fails after N failed checks); no Nacos default',
  },
  {
    key: V2_KEYS.appCheckInterval,
    type: 'duration',
    default: 10000,
    minMs: 1,
    description: "how often the application asks getServerStatus() (a liveness probe's period)",
    source:
      'kubernetes Probe.periodSeconds default 10 s (k8s.io/api core/v1 types.go); spring-cloud-alibaba NacosDiscoveryHealthIndicator calls NamingService.getServerStatus()',
  },
];

/**
 * The server's service capacity (livesim's own keys, `sim.*`; docs/models/nacos-v2.md#capacity).
 * Every cost defaults to `auto`: 0 — infinite capacity, the model as it was — unless
 * `sim.server.capacity=reference-8c`, which takes the costs of V2_REFERENCE_COSTS_US. The pools
 * follow Nacos's executors: every client request (and the bi-stream's ConnectionSetupRequest) on
 * the gRPC executor, whose thread refreshes the connection's active time before the handler; a
 * service's push task on one dispatcher worker; the ejector's probes from its one thread.
 */
export const V2_CAPACITY_KEYS = {
  capacity: 'sim.server.capacity',
  threads: 'sim.server.threads',
  health: 'sim.server.cost.health',
  register: 'sim.server.cost.register',
  query: 'sim.server.cost.query',
  push: 'sim.server.cost.push',
  probe: 'sim.server.cost.probe',
  ack: 'sim.server.cost.ack',
  serialize: 'sim.server.cost.serializePer1000',
  startSpread: 'sim.clientStartSpread',
} as const;

/**
 * `sim.server.capacity=reference-8c`: CPU time per unit of work on one 8-core server (the machine of
 * the Nacos 2.0 naming benchmark, 8 cores / 16 GB). livesim ASSUMPTIONS, not measurements; every
 * capacity result scales with them. Derivations in docs/models/nacos-v2.md#capacity.
 */
export const V2_REFERENCE_COSTS_US = {
  /** HealthCheckRequest (also ServerCheckRequest): a unary call on an open HTTP/2 connection, JSON payload, refreshActiveTime. */
  health: 30,
  /** Register or deregister (also the ConnectionSetupRequest): the benchmark's 26,785 TPS on 3 × 8 cores at 90 % CPU ≈ 0.8 ms each. */
  register: 800,
  /** Subscribe or query besides serializing the instances. */
  query: 200,
  /** One NotifySubscriberRequest to one subscriber besides serializing the instances. */
  push: 50,
  /** One ClientDetectionRequest sent by the ejector. */
  probe: 20,
  /** One response to the server's own request (push ack, probe answer): one small payload parsed, as a probe is one serialized. */
  ack: 20,
  /** Per 1,000 instances in a push or a query answer: JSON of ~150 B each (~1 µs each). */
  serializePer1000: 1000,
} as const;

const REF = V2_REFERENCE_COSTS_US;
const AUTO_COST = 'auto: 0 (infinite capacity), or with sim.server.capacity=reference-8c';
const costKnob = (key: string, refUs: number, description: string, source: string): Knob => ({
  key,
  type: 'duration',
  default: 'auto',
  minMs: 0,
  description: `${description}; ${AUTO_COST} ${refUs} µs`,
  source,
});

export const V2_CAPACITY_KNOBS: readonly Knob[] = [
  {
    key: V2_CAPACITY_KEYS.capacity,
    type: 'enum',
    values: CAPACITY_PROFILES,
    default: 'infinite',
    description: 'the costs that are auto: infinite (0: work is done the instant it arrives) or reference-8c (an 8-core server, livesim assumptions)',
    source: 'livesim: docs/models/nacos-v2.md#capacity (the reference costs and how they were derived)',
  },
  {
    key: V2_CAPACITY_KEYS.threads,
    type: 'number',
    default: 8,
    min: 1,
    max: 4096,
    integer: true,
    description: 'client requests served at once (CPU-bound: the cores; the gRPC executor has more threads, cores × 16)',
    source: 'livesim: an 8-core server; core/.../utils/GlobalExecutor.sdkRpcExecutor (cores × remote.executor.times.of.processors, default 16)',
  },
  costKnob(
    V2_CAPACITY_KEYS.health,
    REF.health,
    'CPU time of one HealthCheckRequest or ServerCheckRequest on the gRPC executor',
    'livesim assumption; core/.../remote/grpc/GrpcRequestAcceptor.request; HealthCheckRequestHandler',
  ),
  costKnob(
    V2_CAPACITY_KEYS.register,
    REF.register,
    'CPU time of one register or deregister, or of a ConnectionSetupRequest, on the gRPC executor',
    'livesim assumption from the Nacos 2.0 naming benchmark (26,785 registrations/s on 3 × 8 cores at 90 % CPU); InstanceRequestHandler',
  ),
  costKnob(
    V2_CAPACITY_KEYS.query,
    REF.query,
    'CPU time of one subscribe or query on the gRPC executor besides serializing the instances',
    'livesim assumption; SubscribeServiceRequestHandler, ServiceQueryRequestHandler',
  ),
  costKnob(
    V2_CAPACITY_KEYS.push,
    REF.push,
    "CPU time of one push to one subscriber on the service's push worker besides serializing the instances",
    'livesim assumption; naming/.../push/v2/task/PushExecuteTask.run (one task per service, subscriber after subscriber)',
  ),
  costKnob(
    V2_CAPACITY_KEYS.probe,
    REF.probe,
    'CPU time of sending one ClientDetectionRequest from the ejector thread (its wait starts after the last is sent)',
    'livesim assumption; core/.../remote/NacosRuntimeConnectionEjector.ejectOutdatedConnection',
  ),
  costKnob(
    V2_CAPACITY_KEYS.ack,
    REF.ack,
    'CPU time of handling one push ack or probe answer on the gRPC executor (it waits there behind client requests)',
    'livesim assumption; core/.../remote/grpc/GrpcBiStreamRequestAcceptor.streamObserverOnNext (ackNotify, refreshActiveTime) on the executor BaseGrpcServer gives its NettyServerBuilder',
  ),
  costKnob(
    V2_CAPACITY_KEYS.serialize,
    REF.serializePer1000,
    'per 1,000 instances in a push, subscribe or query answer: JSON of the ServiceInfo',
    'livesim assumption; common/.../remote/grpc/GrpcUtils.convert (Jackson)',
  ),
  {
    key: V2_CAPACITY_KEYS.startSpread,
    type: 'duration',
    default: 'auto',
    minMs: 1,
    description: 'clients c2…cN start at a phase drawn over this window (auto: one keep-alive period); a long window avoids a start-up storm',
    source: 'livesim: how a fleet comes up is a property of the deployment, not of Nacos',
  },
];

/** Constants Nacos 2.x does not let anyone change. */
export const V2_CONSTANTS = {
  ejectorInitialDelayMs: 1000,
  ejectorPeriodMs: 3000,
  idleLimitMs: 20000,
  probeTimeoutMsBefore23: 1000,
  probeWaitMsBefore23: 3000,
  probeTimeoutMs: 5000,
  probeWaitMs: 5000,
  pushEngineTickMs: 100,
  reconnectSleepUnitMs: 100,
  reconnectSleepMaxTurns: 50,
  reconnectSleepTurnOffset: 1,
  setupSleepMs: 100,
  healthJitterBoundMs: 500,
  legacyHealthTimeoutMs: 3000,
  legacyKeepAliveMs: 5000,
  legacyPushTaskTimeoutMs: 3000,
  legacyPushTaskDelayMs: 500,
  legacyPushTaskRetryDelayMs: 1000,
  legacyRedoDelayMs: 3000,
  grpcServerKeepAliveMs: 7_200_000,
  grpcServerKeepAliveTimeoutMs: 20_000,
  waitReconnectMaxMs: 100,
  pollInitialDelayMs: 1000,
  pollCacheMultiple: 6,
  pollMaxDelayMs: 60000,
  pollMaxFailCount: 6,
  unregisterCode: 301,
  successCode: 200,
  pushWorkerThreads: 1,
  ejectorThreads: 1,
  serverSoKeepalive: 1,
  clientSoKeepalive: 1,
} as const;

const row = (name: string, value: number, unit: Constant['unit'], description: string, source: string): Constant => ({
  name,
  value,
  unit,
  description,
  source,
});
const K = V2_CONSTANTS;

export const V2_CONSTANT_ROWS: readonly Constant[] = [
  row(
    'server SO_KEEPALIVE',
    K.serverSoKeepalive,
    'count',
    '1: every accepted gRPC socket sets SO_KEEPALIVE, so sim.server.net.ipv4.tcp_keepalive_* take effect',
    'github:grpc/grpc-java netty/src/main/java/io/grpc/netty/NettyServer.java start(): b.childOption(SO_KEEPALIVE, true) (Nacos pins a grpc-java release that has it; see the Nacos root pom grpc-java.version)',
  ),
  row(
    'client SO_KEEPALIVE',
    K.clientSoKeepalive,
    'count',
    '1: the client channel socket sets SO_KEEPALIVE, so sim.client.net.ipv4.tcp_keepalive_* take effect',
    'github:grpc/grpc-java netty/src/main/java/io/grpc/netty/NettyClientTransport.java start(): b.option(SO_KEEPALIVE, true)',
  ),
  row(
    'ejector initial delay',
    K.ejectorInitialDelayMs,
    'ms',
    'first run of the connection ejector',
    'core/.../remote/ConnectionManager.start (scheduleWithFixedDelay 1000, 3000)',
  ),
  row('ejector period', K.ejectorPeriodMs, 'ms', 'fixed delay between ejector runs (a run that waits for probes delays the next)', 'ConnectionManager.start'),
  row(
    'connection idle limit',
    K.idleLimitMs,
    'ms',
    'a connection silent this long is probed (ClientDetectionRequest)',
    'core/.../remote/RuntimeConnectionEjector.KEEP_ALIVE_TIME (2.0/2.1: ConnectionManager)',
  ),
  row(
    'probe timeout 2.0-2.1',
    K.probeTimeoutMsBefore23,
    'ms',
    'ClientDetectionRequest callback timeout',
    'core/.../remote/ConnectionManager.start at tag 2.1.2 (getTimeout 1000L)',
  ),
  row(
    'probe wait 2.0-2.1',
    K.probeWaitMsBefore23,
    'ms',
    'ejector waits at most this long for all probes',
    'ConnectionManager.start at tag 2.1.2 (latch.await 3000)',
  ),
  row(
    'probe timeout 2.3+',
    K.probeTimeoutMs,
    'ms',
    'ClientDetectionRequest callback timeout',
    'core/.../remote/NacosRuntimeConnectionEjector.ejectOutdatedConnection (PR #10509)',
  ),
  row(
    'probe wait 2.3+',
    K.probeWaitMs,
    'ms',
    'ejector waits at most this long for all probes',
    'NacosRuntimeConnectionEjector.ejectOutdatedConnection (latch.await 5000)',
  ),
  row(
    'push engine tick',
    K.pushEngineTickMs,
    'ms',
    'delay-task engine poll period',
    'common/.../task/engine/NacosDelayTaskExecuteEngine (processInterval 100)',
  ),
  row(
    'reconnect sleep unit',
    K.reconnectSleepUnitMs,
    'ms',
    'sleep between reconnect attempts = min(turn + 1, 50) × this',
    'common/.../remote/client/RpcClient.reconnect',
  ),
  row('reconnect sleep max turns', K.reconnectSleepMaxTurns, 'count', 'cap of the sleep multiplier (5 s)', 'RpcClient.reconnect'),
  row(
    'reconnect sleep turn offset',
    K.reconnectSleepTurnOffset,
    'count',
    'the sleep is min(retryTurns + 1, 50) × 100 ms: 100 ms already in the first turn',
    'RpcClient.reconnect: Thread.sleep(Math.min(retryTurns + 1, 50) * 100L)',
  ),
  row(
    'setup sleep',
    K.setupSleepMs,
    'ms',
    'client waits this long after ConnectionSetupRequest when abilities are not negotiated',
    'common/.../remote/client/grpc/GrpcClient.connectToServer',
  ),
  row(
    'health-check jitter bound',
    K.healthJitterBoundMs,
    'ms',
    'sleep random.nextInt(500) before an attempt while retries left > 1 (2.2.4+)',
    'RpcClient.healthCheck (tag 2.2.4)',
  ),
  row('legacy health timeout', K.legacyHealthTimeoutMs, 'ms', 'hard-coded health-check timeout before 2.1.2', 'RpcClient.healthCheck at tag 2.1.1'),
  row('legacy keep-alive', K.legacyKeepAliveMs, 'ms', 'hard-coded idle time before a health check before 2.1.2', 'RpcClient.keepAliveTime at tag 2.1.1'),
  row(
    'legacy push timeout',
    K.legacyPushTaskTimeoutMs,
    'ms',
    'hard-coded push ack timeout in 2.0.0 (configurable from 2.0.1)',
    'naming/.../push/v2/task/PushExecuteTask at tag 2.0.0 (getTimeout 3000L; PushConfig from 2.0.1)',
  ),
  row(
    'legacy push delay',
    K.legacyPushTaskDelayMs,
    'ms',
    'hard-coded push delay in 2.0.0 (configurable from 2.0.1)',
    'naming/.../push/v2/NamingSubscriberServiceV2Impl.onEvent at tag 2.0.2 (PushDelayTask(service, 500L))',
  ),
  row(
    'legacy push retry delay',
    K.legacyPushTaskRetryDelayMs,
    'ms',
    'hard-coded push retry delay in 2.0.0 (configurable from 2.0.1)',
    'naming/.../push/v2/task/PushExecuteTask at tag 2.0.2 (PushDelayTask(service, 1000L, clientId))',
  ),
  row(
    'legacy redo delay',
    K.legacyRedoDelayMs,
    'ms',
    'hard-coded redo delay 2.0.3-2.2.4',
    'client/.../naming/remote/gprc/redo/NamingGrpcRedoService.DEFAULT_REDO_DELAY',
  ),
  row(
    'grpc server keep-alive',
    K.grpcServerKeepAliveMs,
    'ms',
    'grpc-java server default keepAliveTime (fixed before 2.2.1)',
    'grpc-java NettyServerBuilder DEFAULT_SERVER_KEEPALIVE_TIME_NANOS; core/.../remote/grpc/BaseGrpcServer at tag 2.1.0',
  ),
  row(
    'grpc server keep-alive timeout',
    K.grpcServerKeepAliveTimeoutMs,
    'ms',
    'grpc-java server default keepAliveTimeout (fixed before 2.2.1)',
    'grpc-java NettyServerBuilder DEFAULT_SERVER_KEEPALIVE_TIMEOUT_NANOS',
  ),
  row('wait-reconnect sleep', K.waitReconnectMaxMs, 'ms', 'request retry sleep while not connected: min(100, timeout / 3)', 'RpcClient.request'),
  row('poll first delay', K.pollInitialDelayMs, 'ms', 'UpdateTask first run (DEFAULT_DELAY)', 'client/.../naming/core/ServiceInfoUpdateService.addTask'),
  row(
    'poll cacheMillis multiple',
    K.pollCacheMultiple,
    'count',
    'poll period = cacheMillis × 6',
    'ServiceInfoUpdateService.DEFAULT_UPDATE_CACHE_TIME_MULTIPLE',
  ),
  row('poll max delay', K.pollMaxDelayMs, 'ms', 'back-off cap (DEFAULT_DELAY × 60)', 'ServiceInfoUpdateService.UpdateTask.run'),
  row('poll max fail count', K.pollMaxFailCount, 'count', 'back-off exponent cap', 'ServiceInfoUpdateService.UpdateTask.incFailCount'),
  row(
    'push worker threads',
    K.pushWorkerThreads,
    'count',
    "one service's push tasks run on one dispatcher worker, subscriber after subscriber (matters only with a push cost)",
    'naming/.../misc/NamingExecuteTaskDispatcher.dispatchAndExecuteTask; common/.../task/engine/TaskExecuteWorker (a task key maps to one worker)',
  ),
  row(
    'ejector threads',
    K.ejectorThreads,
    'count',
    'the ejector sends its probes one after the other from one scheduled thread (matters only with a probe cost)',
    'core/.../remote/ConnectionManager.start (RpcScheduledExecutor.COMMON_SERVER_EXECUTOR.scheduleWithFixedDelay)',
  ),
  row(
    'unregistered code',
    K.unregisterCode,
    'count',
    'ErrorResponse for a request on an unregistered connection',
    'api/.../exception/NacosException.UN_REGISTER; core/.../remote/grpc/GrpcRequestAcceptor.request',
  ),
];

/** What changed between releases, each with the source that shows it (tags compared in the mirror). */
export const V2_VERSION_NOTES: readonly VersionNote[] = [
  {
    range: '3.0.0 - 3.0.3',
    side: 'server',
    behaviour: 'modelled as 2.5.1: client and server liveness code unchanged (gRPC health check, redo, ejector, expiry, push)',
    source:
      '`git diff 2.5.1 3.0.3` on RpcClient, GrpcClient, NamingGrpcRedoService, NacosRuntimeConnectionEjector, ConnectionManager, ConnectionBasedClientManager, PushExecuteTask: log text, metrics and fuzzy-watch wiring only',
  },
  {
    range: '2.0.0 - 2.0.2',
    side: 'client',
    behaviour: 'no redo service: after a reconnect the client re-registers and re-subscribes once (failures only logged)',
    source: 'client/.../naming/remote/gprc/NamingGrpcConnectionEventListener.onConnected (tags 2.0.0-2.0.2); NamingGrpcRedoService from 2.0.3',
  },
  {
    range: '2.0.0 - 2.1.1',
    side: 'client',
    behaviour: 'one health-check attempt with a hard-coded 3 s timeout and a hard-coded 5 s keep-alive (the health keys have no effect)',
    source:
      'common/.../remote/client/RpcClient.healthCheck at tags 2.0.3, 2.1.1 (request(healthCheckRequest, 3000L)); retries arrive in 2.1.2 (reference says 2.2.0: the code wins)',
  },
  {
    range: '2.0.0 - 2.1.1',
    side: 'client',
    behaviour:
      'consumers always poll (UpdateTask every cacheMillis × 6 = 60 s); from 2.1.2 per namingAsyncQuerySubscribeService, which defaults to true in 2.1.x and to false from 2.2.0',
    source:
      'client/.../naming/core/ServiceInfoUpdateService.isAsyncQueryForSubscribeService (tags 2.1.2 and 2.2.0; the reference says the gate came in 2.2.0: the code wins)',
  },
  {
    range: '≥ 2.2.4',
    side: 'client',
    behaviour: 'sleeps random.nextInt(500) ms before a health-check attempt while more than one retry is left (with retry 3: before the first attempt only)',
    source: 'common/.../remote/client/RpcClient.healthCheck at tag 2.2.4 (reference says 2.3.0: the code wins)',
  },
  {
    range: '≥ 2.3.0',
    side: 'client',
    behaviour: "with a 2.3+ server the connect waits for the server's SetupAckRequest (≤ 5 s) instead of sleeping 100 ms",
    source: 'common/.../remote/client/grpc/GrpcClient.connectToServer (recAbilityContext, tag 2.3.0)',
  },
  {
    range: 'all 2.x',
    side: 'client',
    behaviour:
      'a server request (push, ClientDetection) refreshes lastActiveTimeStamp, so it postpones the next health check (the reference says pushes do not: the code wins)',
    source: 'common/.../remote/client/RpcClient.handleServerRequest (lastActiveTimeStamp = now, tags 2.0.0-2.5.1)',
  },
  {
    range: '2.0.3 - 2.2.4',
    side: 'client',
    behaviour: 'redo delay hard-coded 3 s (redoDelayTime has no effect)',
    source: 'client/.../naming/remote/gprc/redo/NamingGrpcRedoService.DEFAULT_REDO_DELAY at tags 2.0.3-2.2.4; redoDelayTime read from tag 2.3.0',
  },
  {
    range: '2.0.0 - 2.1.x',
    side: 'server',
    behaviour: 'idle connections (≥ 20 s) are probed with a 1 s ClientDetectionRequest timeout (ejector waits ≤ 3 s) and unregistered if silent',
    source: 'core/.../remote/ConnectionManager.start at tag 2.1.2',
  },
  {
    range: '2.2.0 - 2.2.4',
    side: 'server',
    behaviour:
      'NO outdated-connection ejection: a half-open connection lives until the gRPC keep-alive (2 h + 20 s) or a TCP error (alibaba/nacos #10773, #12095, #10909)',
    source:
      'core/.../remote/NacosRuntimeConnectionEjector.doEject at tags 2.2.0-2.2.4 (metrics only; refactor #9653), restored by PR #10509 (commit 51903edd82)',
  },
  {
    range: '≥ 2.3.0',
    side: 'server',
    behaviour: 'ejection restored with a 5 s probe timeout (ejector waits ≤ 5 s)',
    source: 'core/.../remote/NacosRuntimeConnectionEjector.ejectOutdatedConnection (tag 2.3.0, PR #10509)',
  },
  {
    range: '2.0.0',
    side: 'server',
    behaviour: 'push ack timeout hard-coded 3 s (pushTaskDelay 500 ms and retry 1 s also hard-coded)',
    source:
      'naming/.../push/v2/task/PushExecuteTask (getTimeout 3000L) and NamingSubscriberServiceV2Impl at tag 2.0.0; PushConfig from 2.0.1 (the reference says 2.0.3: the code wins)',
  },
  {
    range: '< 2.2.1',
    side: 'server',
    behaviour: 'gRPC server keep-alive not configurable: grpc-java defaults (2 h / 20 s)',
    source: 'core/.../remote/grpc/BaseGrpcServer at tag 2.1.0 (plain ServerBuilder) vs 2.2.1 (keepAliveTime from GrpcConfig)',
  },
];

/**
 * The cluster (several servers, `--servers N`): Distro between the nodes and the member list, read
 * from tags 2.0.0-2.5.1 (core/.../distributed/distro, core/.../cluster, naming/.../consistency/
 * ephemeral/distro/v2, naming/.../core/v2/client/manager/impl/ConnectionBasedClientManager); see
 * docs/models/cluster.md. One server never reads these rows.
 */
export const V2_CLUSTER_KEYS = {
  clientExpiredTime: 'nacos.naming.client.expired.time',
  verifyInterval: 'nacos.core.protocol.distro.data.verify.intervalMs',
  verifyTimeout: 'nacos.core.protocol.distro.data.verify.timeoutMs',
  syncDelay: 'nacos.core.protocol.distro.data.sync.delayMs',
  syncTimeout: 'nacos.core.protocol.distro.data.sync.timeoutMs',
  syncRetryDelay: 'nacos.core.protocol.distro.data.sync.retryDelayMs',
  legacySyncDelay: 'nacos.naming.distro.taskDispatchPeriod',
  legacySyncRetryDelay: 'nacos.naming.distro.syncRetryDelay',
  failAccessCnt: 'nacos.core.member.fail-access-cnt',
} as const;

const DISTRO_CONSTANTS = 'core/.../distributed/distro/DistroConstants.java; DistroConfig.java';

export const V2_CLUSTER_KNOBS: readonly Knob[] = [
  {
    key: V2_CLUSTER_KEYS.clientExpiredTime,
    aliases: ['client.expired.time'],
    type: 'duration',
    default: 180000,
    minMs: 1,
    description: 'a node drops its copy of another node’s client after this long without a Distro verify renewing it (fixed 30 s before 2.0.3)',
    source:
      'naming/.../constants/ClientConstants.DEFAULT_CLIENT_EXPIRED_TIME; naming/.../core/v2/client/impl/ConnectionBasedClient.isExpire (2.0.0-2.0.2: Constants.DEFAULT_IP_DELETE_TIMEOUT)',
  },
  {
    key: V2_CLUSTER_KEYS.verifyInterval,
    type: 'duration',
    default: 5000,
    minMs: 1,
    description: 'each node sends every peer a verify for each of its own clients this often (fixed 5 s in 2.0.0)',
    source: `${DISTRO_CONSTANTS} DEFAULT_DATA_VERIFY_INTERVAL_MILLISECONDS; DistroProtocol.startVerifyTask (scheduleWithFixedDelay)`,
  },
  {
    key: V2_CLUSTER_KEYS.verifyTimeout,
    type: 'duration',
    default: 3000,
    minMs: 1,
    description: 'a verify not answered within this fails (the copy is not renewed)',
    source: `${DISTRO_CONSTANTS} DEFAULT_DATA_VERIFY_TIMEOUT_MILLISECONDS; DistroClientTransportAgent.DistroVerifyCallbackWrapper`,
  },
  {
    key: V2_CLUSTER_KEYS.syncDelay,
    type: 'duration',
    default: 1000,
    minMs: 0,
    description: "delay before a client's change or disconnect is synced to the other nodes (2.2.0+)",
    source: `${DISTRO_CONSTANTS} DEFAULT_DATA_SYNC_DELAY_MILLISECONDS; naming/.../distro/v2/DistroClientDataProcessor.syncToAllServer`,
  },
  {
    key: V2_CLUSTER_KEYS.syncTimeout,
    type: 'duration',
    default: 3000,
    minMs: 1,
    description: 'a sync not answered within this fails and is retried',
    source: `${DISTRO_CONSTANTS} DEFAULT_DATA_SYNC_TIMEOUT_MILLISECONDS; DistroClientTransportAgent.DistroRpcCallbackWrapper`,
  },
  {
    key: V2_CLUSTER_KEYS.syncRetryDelay,
    type: 'duration',
    default: 3000,
    minMs: 0,
    description: 'a failed sync (also: to a member not UP) is retried after this, while the member exists (2.2.0+)',
    source: `${DISTRO_CONSTANTS} DEFAULT_DATA_SYNC_RETRY_DELAY_MILLISECONDS; naming/.../distro/v2/DistroClientTaskFailedHandler.retry`,
  },
  {
    key: V2_CLUSTER_KEYS.legacySyncDelay,
    type: 'duration',
    default: 2000,
    minMs: 0,
    description: 'servers 2.0.0-2.1.x: the sync delay (GlobalConfig overrides DistroConfig with it)',
    source: 'naming/.../misc/GlobalConfig.overrideDistroConfiguration at tags 2.0.0-2.1.2 (setSyncDelayMillis(getTaskDispatchPeriod())); removed in 2.2.0',
  },
  {
    key: V2_CLUSTER_KEYS.legacySyncRetryDelay,
    type: 'duration',
    default: 5000,
    minMs: 0,
    description: 'servers 2.0.0-2.1.x: the sync retry delay',
    source: 'naming/.../misc/GlobalConfig.overrideDistroConfiguration at tags 2.0.0-2.1.2 (setSyncRetryDelayMillis(getSyncRetryDelay()))',
  },
  {
    key: V2_CLUSTER_KEYS.failAccessCnt,
    type: 'number',
    default: 3,
    min: 0,
    max: 1000,
    integer: true,
    description: 'a member is DOWN after more than this many failed reports in a row; Distro syncs and verifies only to UP members',
    source: 'core/.../cluster/MemberUtil.onFail; naming/.../distro/v2/DistroClientTransportAgent.checkTargetServerStatusUnhealthy',
  },
];

export const V2_CLUSTER_CONSTANTS = {
  expiredCleanerPeriodMs: 5000,
  legacyClientExpiredMs: 30000,
  distroEngineTickMs: 100,
  memberReportPeriodMs: 2000,
  memberReportInitialDelayMs: 5000,
  memberReportTimeoutMs: 3000,
  legacyVerifyIntervalMs: 5000,
} as const;

const KC = V2_CLUSTER_CONSTANTS;

export const V2_CLUSTER_CONSTANT_ROWS: readonly Constant[] = [
  row(
    'expired-client cleaner period',
    KC.expiredCleanerPeriodMs,
    'ms',
    'every node checks its copies of other nodes’ clients this often (first at its start)',
    'naming/.../core/v2/client/manager/impl/ConnectionBasedClientManager (scheduleExpiredClientCleaner(…, 0, DEFAULT_HEART_BEAT_INTERVAL))',
  ),
  row(
    'client expired time 2.0.0-2.0.2',
    KC.legacyClientExpiredMs,
    'ms',
    'hard-coded expiry of a synced client before nacos.naming.client.expired.time (2.0.3)',
    'naming/.../core/v2/client/impl/ConnectionBasedClient.isExpire at tag 2.0.2 (Constants.DEFAULT_IP_DELETE_TIMEOUT)',
  ),
  row(
    'Distro engine tick',
    KC.distroEngineTickMs,
    'ms',
    'the delay-task engine polls its sync tasks this often',
    'common/.../task/engine/NacosDelayTaskExecuteEngine (100L)',
  ),
  row(
    'member report period',
    KC.memberReportPeriodMs,
    'ms',
    'MemberInfoReportTask: one report to one member',
    'core/.../cluster/ServerMemberManager.MemberInfoReportTask.after',
  ),
  row(
    'member report first run',
    KC.memberReportInitialDelayMs,
    'ms',
    'after the node starts',
    'ServerMemberManager.onApplicationEvent (DEFAULT_TASK_DELAY_TIME)',
  ),
  row(
    'member report timeout',
    KC.memberReportTimeoutMs,
    'ms',
    'cluster gRPC request timeout',
    'core/.../cluster/remote/ClusterRpcClientProxy.DEFAULT_REQUEST_TIME_OUT',
  ),
  row(
    'verify interval 2.0.0',
    KC.legacyVerifyIntervalMs,
    'ms',
    'not configurable in 2.0.0',
    'core/.../distributed/distro/DistroConfig at tag 2.0.0 (no properties read)',
  ),
];
