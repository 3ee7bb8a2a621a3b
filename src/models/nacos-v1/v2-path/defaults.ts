import type { Constant, Knob } from '../../knob.js';
import type { VersionNote } from '../../model.js';

/**
 * A Nacos 1.x client talking to a 2.x or 3.x server: the server's v1 HTTP path (the one table of
 * its defaults). Every row names its key and the file of github:alibaba/nacos it comes from, read
 * at tags 2.0.0, 2.0.2, 2.0.3, 2.1.0, 2.2.3, 2.3.0, 2.4.0, 2.5.1, 3.0.0 and 3.0.3 (`git diff`
 * between them on these files: the liveness code is the same from 2.0.3 to 3.0.3, see the notes).
 * Paths under naming/src/main/java/com/alibaba/nacos/naming unless stated.
 */
export const V1_ON_V2_KEYS = {
  clientExpiredTime: 'nacos.naming.client.expired.time',
  clientApiCompatibility: 'nacos.core.api.compatibility.client.enabled',
  beatSender: 'sim.beatSender',
} as const;

/** Who sends c1's beats: the Java client, or a script calling the v1 open API (alibaba/nacos #12161, #7918). */
export const BEAT_SENDERS = ['java', 'openapi', 'openapi-other-service'] as const;
export type BeatSender = (typeof BEAT_SENDERS)[number];

export const V1_ON_V2_KNOBS: readonly Knob[] = [
  {
    key: V1_ON_V2_KEYS.beatSender,
    type: 'enum',
    default: 'java',
    values: BEAT_SENDERS,
    description:
      "who beats for c1: java (BeatReactor); openapi (a script: one POST register, then PUT /v1/ns/instance/beat with the beat= JSON every beat interval on a new connection, replies and 20404 ignored); openapi-other-service (the same, the JSON's serviceName not the URL's: on a 2.x server every beat's ClientBeatProcessorV2 finds no instance, #12161)",
    source:
      'livesim: the caller; naming/.../healthcheck/heartbeat/ClientBeatProcessorV2.run (service from rsInfo.getServiceName(), `instance.getIp()` on null, tags 2.0.0–3.0.3) vs core/InstanceOperatorClientImpl.handleBeat (service from the URL); 1.x ClientBeatProcessor uses the URL’s service (tag 1.4.8)',
  },
  {
    key: V1_ON_V2_KEYS.clientExpiredTime,
    aliases: ['client.expired.time'],
    type: 'duration',
    default: 180000,
    minMs: 1,
    description:
      '2.0.3+ server: an ip:port client not updated (no beat, register or query) for this long is removed with its instance, whatever the switches say',
    source:
      'misc/ClientConfig.getClientExpiredTime; constants/ClientConstants.DEFAULT_CLIENT_EXPIRED_TIME = 3 min; core/v2/client/manager/impl/EphemeralIpPortClientManager.ExpiredClientCleaner.isExpireClient (tags 2.0.3–3.0.3)',
  },
  {
    key: V1_ON_V2_KEYS.clientApiCompatibility,
    type: 'boolean',
    default: true,
    description: '3.x server: serve the v1 open API (register, beat, list); false → every 1.x request gets HTTP 410',
    source:
      'core/src/main/java/com/alibaba/nacos/core/controller/compatibility/ApiCompatibilityConfig (client.enabled default true) and ApiCompatibilityFilter.responseReject (SC_GONE), tag 3.0.3; InstanceController @Compatibility(OPEN_API)',
  },
];

/** Constants of the 2.x server's v1 path that Nacos does not let anyone change. */
export const V1_ON_V2_CONSTANTS = {
  beatCheckPeriodMs: 5000,
  clientCleanerPeriodMs: 5000,
  emptyClientExpireMs: 30000,
  pushTaskDelayMs: 500,
  pushEngineTickMs: 100,
  apiGoneStatus: 410,
} as const;

const K = V1_ON_V2_CONSTANTS;

export const V1_ON_V2_CONSTANT_ROWS: readonly Constant[] = [
  {
    name: '2.x beat check period',
    value: K.beatCheckPeriodMs,
    unit: 'ms',
    description: 'ClientBeatCheckTaskV2 per ip:port client: initial delay and fixed delay from the client’s creation (its first register or beat)',
    source: 'healthcheck/HealthCheckReactor.scheduleCheck(BeatCheckTask) (5000, 5000); core/v2/client/impl/IpPortBasedClient.init',
  },
  {
    name: '2.x expired-client cleaner period',
    value: K.clientCleanerPeriodMs,
    unit: 'ms',
    description: 'EphemeralIpPortClientManager.ExpiredClientCleaner: fixed delay from the server’s start (initial delay 0)',
    source: 'core/v2/client/manager/impl/EphemeralIpPortClientManager (scheduleExpiredClientCleaner(…, 0, Constants.DEFAULT_HEART_BEAT_INTERVAL))',
  },
  {
    name: '2.x empty-client expiry',
    value: K.emptyClientExpireMs,
    unit: 'ms',
    description: 'a client with no instance left (and no subscription, or none renewed for defaultPushCacheMillis) is removed this long after its last update',
    source: 'EphemeralIpPortClientManager.ExpiredClientCleaner.isExpirePublishedClient (Constants.DEFAULT_IP_DELETE_TIMEOUT)',
  },
  {
    name: '2.x push task delay',
    value: K.pushTaskDelayMs,
    unit: 'ms',
    description: 'ServiceChangedEvent → PushDelayTask; changes meanwhile merge into it (the earliest start wins)',
    source: 'push/v2/PushConfig (nacos.naming.push.pushTaskDelay, PushConstants.DEFAULT_PUSH_TASK_DELAY = 500); push/v2/task/PushDelayTask.merge',
  },
  {
    name: '2.x push engine tick',
    value: K.pushEngineTickMs,
    unit: 'ms',
    description: 'the delay engine looks at its tasks every 100 ms (fixed delay); the list answers come from the data the last push task built',
    source:
      'common/.../task/engine/NacosDelayTaskExecuteEngine (100L); core/v2/index/ServiceStorage.getData / getPushData; push/v2/task/PushExecuteTask.generatePushData',
  },
  {
    name: '3.x API-gone status',
    value: K.apiGoneStatus,
    unit: 'count',
    description: 'HTTP status of a v1 request when the client API compatibility switch is off',
    source: 'core/.../controller/compatibility/ApiCompatibilityFilter.responseReject (HttpServletResponse.SC_GONE), tag 3.0.3',
  },
];

/** What differs on a 2.x/3.x server's v1 path, by server release (each checked in the mirror). */
export const V1_ON_V2_VERSION_NOTES: readonly VersionNote[] = [
  {
    range: '≥ 2.0.0',
    side: 'server',
    behaviour:
      'a v1 client is an ip:port client with its own 5 s beat check from its creation; an expired instance is removed at once (no DELETE to itself), and a 20404 reply still carries lightBeatEnabled, so only the client’s own re-register brings the instance back',
    source:
      'core/InstanceOperatorClientImpl.handleBeat; controllers/InstanceController.beat; healthcheck/heartbeat/ExpiredInstanceChecker.deleteIp (tag 2.2.3)',
  },
  {
    range: '2.0.0 - 2.0.1',
    side: 'server',
    behaviour: 'healthCheckEnabled=false does not stop the v1 beat check: the interceptor wrapper is built but the bare task is scheduled',
    source:
      'healthcheck/HealthCheckReactor.scheduleCheck(BeatCheckTask) schedules `task`, not `wrapperTask`, at 2.0.0/2.0.1; fixed at 2.0.2 (#5870, commit 34ed52192a)',
  },
  {
    range: '2.0.0 - 2.0.2',
    side: 'server',
    behaviour: 'no nacos.naming.client.expired.time: a client is removed only once it has no instance (30 s after its last update)',
    source: 'EphemeralIpPortClientManager.ExpiredClientCleaner.isExpireClient at 2.0.0-2.0.2; ClientConfig arrives in 2.0.3',
  },
  {
    range: '≥ 2.0.3',
    side: 'server',
    behaviour:
      'a client not updated for nacos.naming.client.expired.time (3 min) is removed with its instance even when nacos.naming.expireInstance=false or healthCheckEnabled=false (a 1.x server keeps it for ever)',
    source: 'EphemeralIpPortClientManager.ExpiredClientCleaner.isExpireClient (`|| noUpdatedTime > clientExpiredTime`), tags 2.0.3–3.0.3',
  },
  {
    range: '≥ 3.0.0',
    side: 'server',
    behaviour: 'the v1 open API sits behind nacos.core.api.compatibility.client.enabled (true by default); the liveness path is that of 2.5.1',
    source:
      'core/.../controller/compatibility/ApiCompatibilityFilter (tag 3.0.3); `git diff 2.5.1 3.0.3` on the files above changes only event types, metrics and signatures',
  },
];
