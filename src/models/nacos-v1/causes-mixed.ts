import { type Cause, setting, withFaults, withSet } from '../../diagnose/cause.js';
import type { ScenarioFile } from '../../scenario/scenario.js';
import { atLeast, inRange, parseVersion, type Version } from '../version.js';

/**
 * Causes of a 1.x client against a 2.x/3.x server (`--model nacos-v1 --server-version 2.x`), the
 * most common migration state. Each is present only in that combination and reproduced on the
 * server's v1 path (src/models/nacos-v1/v2-path/server.ts, tags 2.0.0–3.0.3).
 */
const CUT = 'cut@60s';
const server = (u: ScenarioFile): Version => parseVersion(u.serverVersion ?? '1.4.8') ?? [1, 4, 8]; // literal-ok: the model's default 1.x server release when the user names none
const onV2Server = (u: ScenarioFile): boolean => atLeast(server(u), '2.0.0');
/** The user's server when it is 2.x/3.x (from `from`), else the release these causes are shown on. */
const v2Server = (u: ScenarioFile, from = '2.0.0'): ScenarioFile => ({ ...u, serverVersion: atLeast(server(u), from) ? u.serverVersion : '2.2.3' });
const keepsInstances = (u: ScenarioFile): boolean =>
  setting(u, 'nacos.naming.expireInstance') === 'false' || setting(u, 'expireInstance') === 'false' || setting(u, 'healthCheckEnabled') === 'false';

export const MIXED_CAUSES: readonly Cause[] = [
  {
    id: 'mixed-grpc-upgrade-on-2.2',
    model: 'nacos-v1',
    title: 'This 1.x client is safe from the 2.2.0–2.2.4 half-open bug; upgrading it to a 2.x gRPC client on this server is not',
    explanation:
      'A 2.2.0–2.2.4 server never ejects a silent gRPC connection (#10773, #12095: clients 2.0.3 and 2.2.3 stay listed, 1.4.0 does not). A 1.x client beats over HTTP into an ip:port client whose own beat check removes it 30–35 s after the last beat, so here the cut instance is removed; the same client upgraded to 2.2.3 on this server is never removed. Here: the 2.x client on this server, cut at 60 s.',
    source:
      'core/.../remote/NacosRuntimeConnectionEjector.doEject at tags 2.2.0–2.2.4 (PR #10509 restores it in 2.3.0); naming/.../healthcheck/heartbeat/ClientBeatCheckTaskV2, ExpiredInstanceChecker (tag 2.2.3); alibaba/nacos #12095',
    symptoms: ['never-removed', 'consumers-still-call'],
    presentIn: (u) => inRange(server(u), '2.2.0', '2.2.4'),
    // The gRPC model has other keys: the user's v1 settings do not carry over.
    scenario: (u) => ({
      model: 'nacos-v2',
      clientVersion: '2.2.3',
      serverVersion: inRange(server(u), '2.2.0', '2.2.4') ? u.serverVersion : '2.2.3',
      faults: [CUT],
      seed: u.seed,
      until: u.until,
    }),
    remedy: {
      change: 'upgrade the server to 2.3.0 or later before (or with) the clients: its ejector removes a cut 2.x client ~20–28 s after its last request',
      // Only the gRPC scenario above changes: the user's own 1.x client is not affected.
      apply: (s) => (s.model === 'nacos-v2' ? { ...s, serverVersion: '2.3.0' } : s),
    },
  },
  {
    id: 'mixed-client-expiry-overrides-switches',
    model: 'nacos-v1',
    title: 'On a 2.0.3+ server the ip:port client expires after nacos.naming.client.expired.time (3 min), whatever expireInstance and healthCheckEnabled say',
    explanation:
      'A 1.x server keeps a silent instance for ever with nacos.naming.expireInstance=false or healthCheckEnabled=false. A 2.0.3+ server holds a 1.x client as an ip:port client whose ExpiredClientCleaner removes it — instance and all — once no beat, register or query has updated it for nacos.naming.client.expired.time: a silent instance goes 3 min (+ up to 5 s) after its last beat. Here: expireInstance=false, cut at 60 s.',
    source:
      'naming/.../core/v2/client/manager/impl/EphemeralIpPortClientManager.ExpiredClientCleaner.isExpireClient (`|| noUpdatedTime > clientExpiredTime`, tags 2.0.3–3.0.3); misc/ClientConfig; constants/ClientConstants.DEFAULT_CLIENT_EXPIRED_TIME',
    symptoms: ['slow-removal'],
    presentIn: (u) => atLeast(server(u), '2.0.3') && keepsInstances(u),
    scenario: (u) => withFaults(keepsInstances(u) ? v2Server(u, '2.0.3') : withSet(v2Server(u, '2.0.3'), { 'nacos.naming.expireInstance': false }), [CUT]),
    remedy: {
      change:
        'set nacos.naming.client.expired.time=30s on the server (beats refresh the client every 5 s, so only a silent one goes, ≤ 35 s after its last beat), or turn nacos.naming.expireInstance and healthCheckEnabled back on',
      apply: (s) => withSet(s, { 'nacos.naming.client.expired.time': '30s' }),
    },
  },
  {
    id: 'mixed-push-off-freezes-list',
    model: 'nacos-v1',
    title: 'pushEnabled=false on a 2.x server freezes what 1.x consumers can poll',
    explanation:
      'A 2.x server answers a v1 list query from the data its last push task built (ServiceStorage.getData); with the push switch off the push engine runs no task, so that data is never rebuilt and polling 1.x consumers keep the list of their first query — a removed instance stays in their view. (On a 1.x server the polls see the change within cacheMillis.) Here: pushEnabled=false, the consumer subscribing 10 s after the provider registered (sim.subscriberStart), cut at 60 s.',
    source:
      'naming/.../core/v2/index/ServiceStorage.getData / getPushData; push/v2/task/PushDelayTaskExecuteEngine.processTasks (returns when !pushEnabled); push/v2/task/PushExecuteTask.generatePushData (tag 2.2.3)',
    symptoms: ['consumers-still-call'],
    presentIn: (u) => onV2Server(u) && setting(u, 'pushEnabled') === 'false',
    scenario: (u) => withFaults(withSet(v2Server(u), { pushEnabled: false, 'sim.subscriberStart': '10s' }), [CUT]),
    remedy: { change: 'turn the push switch back on (pushEnabled=true)', apply: (s) => withSet(s, { pushEnabled: true }) },
  },
  {
    id: 'mixed-openapi-beat-other-service',
    model: 'nacos-v1',
    title: 'Open-API beats whose JSON names another service: on a 2.x server the live instance is removed every 30–35 s (#12161)',
    explanation:
      'A 2.x server registers the instance from a full beat under the URL’s serviceName, but ClientBeatProcessorV2 looks it up under the beat JSON’s serviceName, finds nothing and fails on null, so lastHeartBeatTime is never refreshed: unhealthy 15 s and removed 30 s (+ ≤ 5 s) after each registration, re-created by the next beat. A 1.x server refreshes the URL’s service and keeps it. Here: a script beating with another service in its JSON, no fault.',
    source:
      'naming/.../healthcheck/heartbeat/ClientBeatProcessorV2.run (rsInfo.getServiceName(); instance.getIp() on null, tags 2.0.0–3.0.3); core/InstanceOperatorClientImpl.handleBeat (URL serviceName); alibaba/nacos #12161 (2.3.1; "1.4.6 works")',
    symptoms: ['false-removal'],
    presentIn: (u) => onV2Server(u) && setting(u, 'sim.beatSender') === 'openapi-other-service',
    scenario: (u) => withFaults(withSet(v2Server(u), { 'sim.beatSender': 'openapi-other-service' }), []),
    remedy: {
      change: 'send the same serviceName (group@@name) in the beat JSON as in the URL — or no beat JSON (a light beat): the beat then refreshes the instance',
      apply: (s) => withSet(s, { 'sim.beatSender': 'openapi' }),
    },
  },
];
