import { type Config, num } from '../knob.js';
import type { Versions } from '../model.js';
import { GO_SDK as G, GO_SDK_RANGE, GO_SDK_RECHECK_NOTIFIES, GO_SDK_UPDATER_OPT_IN, SDK_KEYS, type SdkKind } from '../sdk/defaults.js';
import { atLeast, compareVersions, parseVersion, type Version } from '../version.js';
import { type V2Settings, v2Settings } from './settings.js';

/** The providers' client library (sim.client.sdk, `--client-sdk`). */
export const clientSdk = (c: Config): SdkKind => (c[SDK_KEYS.clientSdk] === 'go' ? 'go' : 'java');

/**
 * nacos-sdk-go v2 as a provider, laid over the Java client's settings (the server's stay): what
 * its RpcClient, GrpcClient and NamingGrpcProxy do differently (src/models/sdk/defaults.ts has
 * each constant with its file and tag). `goVersion` is the Go SDK release (`--client-version`).
 *
 *   health check  a timer, first at 5 s, reset to 5 s after every check; a check when nothing
 *                 succeeded for 5 s: ONE request with a 3 s timeout (Java 2.1.2+: up to 4), a 3xx
 *                 error code counts as healthy; failure → UNHEALTHY and reconnect on the spot
 *   requests      10 s timeout (ClientConfig.TimeoutMs), 3 tries, a 100 ms wait after each failure
 *   reconnect     sleep min(retryTurns, 50) × 100 ms: the first turn retries at once
 *   redo          only on CONNECTED (ConnectionEventListener), no periodic redo service; before
 *                 2.2.7 a healthy re-check after a failed request does not notify CONNECTED (#587/#736)
 *   gRPC          keepalive Time 60 s / Timeout 20 s, no ability negotiation
 */
export const goClientSettings = (base: V2Settings, c: Config, goVersion: Version): V2Settings => ({
  ...base,
  sdk: 'go',
  keepAliveMs: G.keepAliveMs,
  healthTimeoutMs: G.healthTimeoutMs,
  healthRetry: G.healthAttempts - 1,
  healthJitter: false,
  healthPassCodes: [G.healthPassFromCode, G.healthPassBelowCode],
  requestTimeoutMs: num(c, SDK_KEYS.goTimeoutMs),
  requestRetry: G.requestTries - 1,
  serverCheckTimeoutMs: G.healthTimeoutMs,
  channelKeepAliveMs: G.channelKeepAliveMs,
  channelKeepAliveTimeoutMs: G.channelKeepAliveTimeoutMs,
  clientAbilities: false,
  periodicRedo: false,
  reconnectTurnOffset: G.reconnectSleepTurnOffset,
  sleepAfterRequestError: true,
  serverRequestRefreshesActive: false,
  answersOnArrivingConnection: true,
  recheckNotifiesConnected: atLeast(goVersion, GO_SDK_RECHECK_NOTIFIES),
  subscribeSelf: c[SDK_KEYS.subscribeSelf] === true,
});

/** The nacos-v2 model's default release, of the server and of a Java client. */
export const V2_DEFAULT_RELEASE = '2.5.1';

/**
 * The releases the Java side runs: with the Go SDK, `--client-version` names the Go release, and
 * the consumers (Java clients) run the model's default release.
 */
export const javaSideVersions = (c: Config, versions: Versions): Versions =>
  clientSdk(c) === 'go' ? { client: parseVersion(V2_DEFAULT_RELEASE) as Version, server: versions.server } : versions;

/** The settings of the providers c1…cN: the Java client's, or the Go SDK's over them. */
export const v2ProviderSettings = (c: Config, versions: Versions): V2Settings => {
  const base = v2Settings(c, javaSideVersions(c, versions));
  return clientSdk(c) === 'go' ? goClientSettings(base, c, versions.client) : base;
};

/** The consumers' client library (sim.consumer.sdk, `--consumer-sdk`). */
export const consumerSdk = (c: Config): SdkKind => (c[SDK_KEYS.consumerSdk] === 'go' ? 'go' : 'java');

/**
 * The settings of the consumers sub1…subN: the Java client's, or the Go SDK's (its release:
 * --client-version when the providers run Go too, else the newest) with its cache rules:
 * UpdateCacheWhenEmpty = false drops empty lists; the updater polls before 2.2.3 or with AsyncUpdateService.
 */
export const v2ConsumerSettings = (c: Config, versions: Versions): V2Settings => {
  const base = v2Settings(c, javaSideVersions(c, versions));
  if (consumerSdk(c) !== 'go') return base;
  const goVersion = clientSdk(c) === 'go' ? versions.client : (parseVersion(GO_SDK_RANGE.max) as Version);
  return {
    ...goClientSettings(base, c, goVersion),
    subscribeSelf: false,
    pushEmptyProtection: c[SDK_KEYS.goUpdateCacheWhenEmpty] !== true,
    polls: !atLeast(goVersion, GO_SDK_UPDATER_OPT_IN) || c[SDK_KEYS.goAsyncUpdateService] === true,
  };
};

/** With the Go SDK and no --client-version, its newest release. */
export const defaultClientVersion = (c: Config): string | undefined => (clientSdk(c) === 'go' ? GO_SDK_RANGE.max : undefined);

/** What the Go SDK cannot be asked: a release outside v2.0.0 … v2.3.5, a Java-only setting. */
export const sdkProblem = (c: Config, versions: Versions): string | null => {
  if (clientSdk(c) !== 'go') {
    return c[SDK_KEYS.subscribeSelf] === true ? `${SDK_KEYS.subscribeSelf}=true is modelled for --client-sdk go only` : null;
  }
  const min = parseVersion(GO_SDK_RANGE.min) as Version;
  const max = parseVersion(GO_SDK_RANGE.max) as Version;
  if (compareVersions(versions.client, min) < 0 || compareVersions(versions.client, max) > 0)
    return `--client-version ${versions.client.join('.')}: with --client-sdk go it is the nacos-sdk-go release, modelled from ${GO_SDK_RANGE.min} to ${GO_SDK_RANGE.max}`;
  return null;
};
