import type { Constant, Knob } from '../knob.js';
import type { VersionNote } from '../model.js';

/**
 * Which client library the providers (and, later, the consumers) of a Nacos 2.x model run: the
 * Java client the nacos-v2 model follows by default, or nacos-group/nacos-sdk-go v2. Each SDK is
 * one block of constants below, each with the file and tag of github:nacos-group/nacos-sdk-go it
 * comes from (paths from the repository root; v2.3.5 unless stated, the latest v2 tag in the
 * mirror; every constant here has the same value at every v2 tag from v2.0.0, checked with
 * `git show TAG:common/constant/const.go` and `git diff v2.0.0 v2.3.5 -- common/remote/rpc`).
 * The behaviour is src/models/nacos-v2/sdk-go.ts (settings), go-rpc-client.ts (the event loop)
 * and go-redo.ts (ConnectionEventListener).
 */
export const SDK_KEYS = {
  clientSdk: 'sim.client.sdk',
  subscribeSelf: 'sim.client.subscribeSelf',
  goTimeoutMs: 'go.ClientConfig.TimeoutMs',
  consumerSdk: 'sim.consumer.sdk',
  goUpdateCacheWhenEmpty: 'go.ClientConfig.UpdateCacheWhenEmpty',
  goAsyncUpdateService: 'go.ClientConfig.AsyncUpdateService',
} as const;

export type SdkKind = 'java' | 'go';
export const SDK_KINDS: readonly SdkKind[] = ['java', 'go'];

const RPC = 'common/remote/rpc/rpc_client.go';
const GRPC = 'common/remote/rpc/grpc_client.go';
const CONST = 'common/constant/const.go';

/** nacos-sdk-go v2 releases the model knows: v2.0.0 … v2.3.5 (the newest tag in the mirror, 2025-10-26). */
export const GO_SDK_RANGE = { min: '2.0.0', max: '2.3.5' } as const;

/** The first release that runs the ServiceInfoUpdater only with ClientConfig.AsyncUpdateService (before: always). */
export const GO_SDK_UPDATER_OPT_IN = '2.2.3';

/** The first release with the #736 fix (PR #737, commit a0c848a, 2024-06-13): a healthy re-check after a failed request notifies CONNECTED. */
export const GO_SDK_RECHECK_NOTIFIES = '2.2.7';

export const GO_SDK = {
  /** The event goroutine's timer: first fire 5 s after Start. */
  timerFirstMs: 5000,
  /** KEEP_ALIVE_TIME = 5 (s): the timer's period and the idle time before a health check. */
  keepAliveMs: 5000,
  /** DEFAULT_TIMEOUT_MILLS = 3000: the health check's timeout, and the server check's. */
  healthTimeoutMs: 3000,
  /** sendHealthCheck sends one request: no retry. */
  healthAttempts: 1,
  /** sendHealthCheck counts an error code in [300, 400) as healthy (the server "not ready yet"); UN_REGISTER is 301. */
  healthPassFromCode: 300,
  healthPassBelowCode: 400,
  /** ClientConfig.TimeoutMs default: every naming request's timeout (NewClientConfig; nacos_client.go: ≤ 0 → 10 s). */
  requestTimeoutMs: 10_000,
  /** REQUEST_DOMAIN_RETRY_TIME = 3: Request's tries (retryTimes < 3) and Start's connect attempts. */
  requestTries: 3,
  /** reconnect: time.Sleep(min(retryTurns, 50) × 100 ms) — no sleep in the first turn (Java: retryTurns + 1). */
  reconnectSleepTurnOffset: 0,
  /** grpc_client.go getKeepAliveTimeMillis: keepalive.ClientParameters Time 60 s (env nacos.remote.grpc.keep.alive.millis). */
  channelKeepAliveMs: 60_000,
  /** … Timeout 20 s, PermitWithoutStream true. */
  channelKeepAliveTimeoutMs: 20_000,
  /** sendConnectionSetupRequest: time.Sleep(100 ms) after the setup request; no SetupAck is awaited. */
  setupSleepMs: 100,
  /** ServiceInfoUpdater.asyncUpdateService: time.Sleep(1 s) between passes over the cached services. */
  updaterTickMs: 1000,
} as const;

export const SDK_KNOBS: readonly Knob[] = [
  {
    key: SDK_KEYS.clientSdk,
    type: 'enum',
    default: 'java',
    values: SDK_KINDS,
    description:
      "the providers' client library: the Java client (java) or nacos-sdk-go v2 (go: a fixed 5 s health-check timer with one 3 s attempt, no periodic redo); with go, --client-version is the Go SDK release (v2.0.0-v2.3.5, default 2.3.5) (--client-sdk)",
    source: `livesim: the SDKs and their constants are the table of src/models/sdk/defaults.ts; github:nacos-group/nacos-sdk-go v2.3.5 ${RPC}, ${GRPC}`,
  },
  {
    key: SDK_KEYS.goTimeoutMs,
    aliases: ['TimeoutMs'],
    type: 'duration',
    default: GO_SDK.requestTimeoutMs,
    minMs: 1,
    description:
      'go: ClientConfig.TimeoutMs, the timeout of every naming request (register, subscribe, query) and the window of its 3 tries; the health check keeps its fixed 3 s (the README examples set 5000)',
    source:
      'nacos-sdk-go v2.3.5 common/constant/client_config_options.go NewClientConfig (TimeoutMs: 10 * 1000), clients/nacos_client/nacos_client.go (<= 0 → 10 s), README.md (TimeoutMs: 5000); naming_grpc_proxy.go requestToServer',
  },
  {
    key: SDK_KEYS.consumerSdk,
    type: 'enum',
    default: 'java',
    values: SDK_KINDS,
    description:
      "the consumers' client library: the Java client (java) or nacos-sdk-go v2 (go: keeps the last non-empty list unless UpdateCacheWhenEmpty, re-subscribes only on CONNECTED); its release is --client-version with --client-sdk go, else 2.3.5 (--consumer-sdk)",
    source: 'livesim: src/models/nacos-v2/go-subscriber.ts; nacos-sdk-go v2.3.5 clients/naming_client/naming_cache/service_info_holder.go ProcessService',
  },
  {
    key: SDK_KEYS.goUpdateCacheWhenEmpty,
    aliases: ['UpdateCacheWhenEmpty'],
    type: 'boolean',
    default: false,
    description: 'go consumer: store an empty instance list (false: an empty push or query is dropped and the last non-empty list stays)',
    source:
      'nacos-sdk-go v2.3.5 common/constant/config.go ClientConfig.UpdateCacheWhenEmpty (zero value false; NewClientConfig does not set it); clients/naming_client/naming_cache/service_info_holder.go ProcessService',
  },
  {
    key: SDK_KEYS.goAsyncUpdateService,
    aliases: ['AsyncUpdateService'],
    type: 'boolean',
    default: false,
    description:
      'go consumer, v2.2.3+: run the ServiceInfoUpdater, which queries each cached service older than its cacheMillis every 1 s (before v2.2.3 it always runs)',
    source:
      'nacos-sdk-go clients/naming_client/naming_client.go NewNamingClient: `if clientConfig.AsyncUpdateService { go …asyncUpdateService() }` from v2.2.3 (v2.2.2: unconditional); service_info_updater.go',
  },
  {
    key: SDK_KEYS.subscribeSelf,
    type: 'boolean',
    default: false,
    description:
      "go: each provider also subscribes to its own service, and its ConnectionEventListener re-subscribes before it re-registers on CONNECTED (the setup of nacos-sdk-go #581/#587: 'register a service and subscribe to itself')",
    source: 'nacos-sdk-go v2.3.5 clients/naming_client/naming_grpc/connection_event_listener.go OnConnected: redoSubscribe() then redoRegisterEachService()',
  },
];

const row = (name: string, value: number, unit: Constant['unit'], description: string, source: string): Constant => ({
  name,
  value,
  unit,
  description,
  source,
});
const G = GO_SDK;

export const SDK_CONSTANT_ROWS: readonly Constant[] = [
  row(
    'go: health timer first fire',
    G.timerFirstMs,
    'ms',
    "the event goroutine's timer fires first 5 s after Start",
    `nacos-sdk-go@v2.3.5 ${RPC} Start: time.NewTimer(5 * time.Second)`,
  ),
  row(
    'go: keep-alive (health timer period)',
    G.keepAliveMs,
    'ms',
    'after each check (and the reconnect it started) the timer is reset to 5 s; a check runs only if nothing succeeded for 5 s; not configurable',
    `nacos-sdk-go@v2.3.5 ${CONST} KEEP_ALIVE_TIME = 5; ${RPC} healthCheck: defer timer.Reset(KEEP_ALIVE_TIME * time.Second), time.Now().Sub(lastActiveTimeStamp) < KEEP_ALIVE_TIME`,
  ),
  row(
    'go: health check timeout',
    G.healthTimeoutMs,
    'ms',
    'one HealthCheckRequest with this timeout; Java 2.1.2+: up to retry + 1 = 4 attempts of 3 s',
    `nacos-sdk-go@v2.3.5 ${CONST} DEFAULT_TIMEOUT_MILLS = 3000; ${RPC} sendHealthCheck`,
  ),
  row(
    'go: health check attempts',
    G.healthAttempts,
    'count',
    'no retry: the first error or timeout marks the client UNHEALTHY and reconnects',
    `nacos-sdk-go@v2.3.5 ${RPC} sendHealthCheck, healthCheck`,
  ),
  row(
    'go: health check passes from code',
    G.healthPassFromCode,
    'count',
    'an error response with a code in [300, 400) counts as healthy ("the server may not ready"), UN_REGISTER (301) included',
    `nacos-sdk-go@v2.3.5 ${RPC} sendHealthCheck: GetErrorCode() >= 300 && < 400 → return true`,
  ),
  row(
    'go: health check passes below code',
    G.healthPassBelowCode,
    'count',
    'upper end (exclusive) of that range',
    `nacos-sdk-go@v2.3.5 ${RPC} sendHealthCheck`,
  ),
  row(
    'go: request tries',
    G.requestTries,
    'count',
    'Request tries while retryTimes < 3, sleeping min(100, timeout / 3) ms after every failure; also the connect attempts in Start',
    `nacos-sdk-go@v2.3.5 ${CONST} REQUEST_DOMAIN_RETRY_TIME = 3; ${RPC} Request, waitReconnect, Start (startUpRetryTimes)`,
  ),
  row(
    'go: reconnect sleep turn offset',
    G.reconnectSleepTurnOffset,
    'count',
    'sleep min(retryTurns + offset, 50) × 100 ms between failed connects: Go 0 (the first turn retries at once), Java 1',
    `nacos-sdk-go@v2.3.5 ${RPC} reconnect: time.Sleep(min(retryTurns, 50) * 100 ms)`,
  ),
  row(
    'go: gRPC keepalive Time',
    G.channelKeepAliveMs,
    'ms',
    'HTTP/2 PING after this long without activity (Java client: 6 min); never reached while the 5 s health checks run',
    `nacos-sdk-go@v2.3.5 ${GRPC} getKeepAliveTimeMillis: keepalive.ClientParameters{Time: 60 s (env nacos.remote.grpc.keep.alive.millis), PermitWithoutStream: true}`,
  ),
  row(
    'go: gRPC keepalive Timeout',
    G.channelKeepAliveTimeoutMs,
    'ms',
    'PING answer deadline',
    `nacos-sdk-go@v2.3.5 ${GRPC} getKeepAliveTimeMillis: Timeout: 20 * time.Second`,
  ),
  row(
    'go: service updater pass interval',
    G.updaterTickMs,
    'ms',
    'the ServiceInfoUpdater sleeps 1 s between passes; a service is queried when its list was stored more than cacheMillis ago',
    'nacos-sdk-go@v2.3.5 clients/naming_client/service_info_updater.go asyncUpdateService: time.Sleep(1 * time.Second)',
  ),
  row(
    'go: setup sleep',
    G.setupSleepMs,
    'ms',
    'after ConnectionSetupRequest the connect returns 100 ms later; no ability negotiation (no SetupAck wait)',
    `nacos-sdk-go@v2.3.5 ${GRPC} sendConnectionSetupRequest: time.Sleep(100 * time.Millisecond)`,
  ),
];

export const SDK_VERSION_NOTES: readonly VersionNote[] = [
  {
    range: 'go 2.0.0 - 2.2.6',
    side: 'client',
    behaviour:
      'after a failed request the reconnect re-checks health and, if healthy, sets RUNNING without a CONNECTED event: a redo that failed is never retried (nacos-sdk-go #587, #736); fixed in 2.2.7',
    source: `nacos-sdk-go ${RPC} reconnect at v2.2.6 vs v2.2.7 (commit a0c848a, PR #737: + r.notifyConnectionChange(CONNECTED))`,
  },
  {
    range: 'go 2.0.0 - 2.2.2',
    side: 'client',
    behaviour:
      'a Go consumer always runs the ServiceInfoUpdater (query every cached service older than cacheMillis, passes 1 s apart); from 2.2.3 only with AsyncUpdateService',
    source: 'nacos-sdk-go clients/naming_client/naming_client.go NewNamingClient at v2.2.2 vs v2.2.3',
  },
  {
    range: 'go 2.0.0 - 2.1.3',
    side: 'client',
    behaviour:
      "not modelled: an unbuffered connection-event channel could deadlock the reconnect (nacos-sdk-go #581, fixed by #588 in 2.2.0); livesim runs these releases with 2.2.0's event handling",
    source: 'nacos-sdk-go common/remote/rpc/grpc_client.go NewGrpcClient eventChan: make(chan ConnectionEvent) before commit 802920d (#588, first tag v2.2.0)',
  },
  {
    range: 'go 2.0.0 - 2.3.5',
    side: 'client',
    behaviour:
      'no periodic redo: re-subscribe and re-register only on a CONNECTED event, one after the other, failures only logged; server requests do not refresh the idle clock',
    source:
      'nacos-sdk-go clients/naming_client/naming_grpc/connection_event_listener.go OnConnected (every v2 tag; the redo service of commit 5f44f43 is on no tag); common/remote/rpc/grpc_client.go handleServerRequest',
  },
];
