import { type Remedy, set } from '../../diagnose/remedy.js';
import type { Scenario } from '../../scenario/run.js';
import { SDK_KEYS } from '../sdk/defaults.js';
import { atLeast, compareVersions, parseVersion, type Version } from '../version.js';

const inRange = (v: Version, lo: string, hi: string): boolean =>
  compareVersions(v, parseVersion(lo) as Version) >= 0 && compareVersions(v, parseVersion(hi) as Version) <= 0;

/** The Go SDK's health check has no settings: its interval, timeout and single attempt are constants. */
const javaHealthOnly = (sc: Scenario): string | null =>
  sc.config[SDK_KEYS.clientSdk] === 'go'
    ? 'not in nacos-sdk-go: its health check is fixed (KEEP_ALIVE_TIME 5 s, DEFAULT_TIMEOUT_MILLS 3 s, one attempt; common/constant/const.go)'
    : null;

const APP_SRC =
  'spring-cloud-alibaba NacosServiceRegistry.deregister / close, NacosAutoServiceRegistration; nacos NamingService.deregisterInstance / shutDown (livesim sim.app.*)';

const app = (action: string, change: string, note: string): Remedy => ({
  id: `v2-app-${action}`,
  label: `application ${action} after 30 s`,
  model: 'nacos-v2',
  change,
  source: APP_SRC,
  unavailable: () => null,
  apply: (u) => set(u, { 'sim.app.onDisconnect': action, 'sim.app.disconnectAfter': '30s' }),
  note: () => note,
});

/**
 * Every remedy for a 2.x instance that is not taken offline (issue 16 item 2): the server's
 * release and settings, its kernel, the client's health settings and kernel, and what the
 * application can do itself.
 */
export const V2_REMEDIES: readonly Remedy[] = [
  {
    id: 'v2-upgrade',
    label: 'upgrade to 2.3.0',
    model: 'nacos-v2',
    change: 'upgrade the Nacos server to 2.3.0 (the ejector probes a connection idle 20 s)',
    source: 'core/.../remote/NacosRuntimeConnectionEjector (#10509, 2.3.0)',
    unavailable: (sc) => (inRange(sc.serverVersion, '2.2.0', '2.2.4') ? null : 'your server already ejects silent connections'),
    apply: (u) => ({ ...u, serverVersion: '2.3.0' }),
  },
  {
    id: 'v2-server-keepalive',
    label: 'server keep-alive 30 s',
    model: 'nacos-v2',
    change: 'server nacos.remote.server.grpc.sdk.keep-alive-time=30s',
    source: 'core/.../remote/grpc/GrpcSdkServer.getKeepAliveTime (from 2.2.1)',
    unavailable: (sc) => (atLeast(sc.serverVersion, '2.2.1') ? null : 'configurable from server 2.2.1'),
    apply: (u) => set(u, { 'nacos.remote.server.grpc.sdk.keep-alive-time': '30s' }),
  },
  {
    id: 'v2-server-keepalive-timeout',
    label: 'server keep-alive 30 s, timeout 5 s',
    model: 'nacos-v2',
    change: 'server nacos.remote.server.grpc.sdk.keep-alive-time=30s, …keep-alive-timeout=5s',
    source: 'core/.../remote/grpc/GrpcSdkServer.getKeepAliveTime / getKeepAliveTimeout (from 2.2.1)',
    unavailable: (sc) => (atLeast(sc.serverVersion, '2.2.1') ? null : 'configurable from server 2.2.1'),
    apply: (u) => set(u, { 'nacos.remote.server.grpc.sdk.keep-alive-time': '30s', 'nacos.remote.server.grpc.sdk.keep-alive-timeout': '5s' }),
  },
  {
    id: 'v2-server-tcp-keepalive',
    label: 'server tcp_keepalive 60/10/3',
    model: 'nacos-v2',
    change: 'server sysctl net.ipv4.tcp_keepalive_time=60 tcp_keepalive_intvl=10 tcp_keepalive_probes=3',
    source: 'linux Documentation/networking/ip-sysctl.rst; grpc-java sets SO_KEEPALIVE on accepted sockets',
    unavailable: () => null,
    apply: (u) =>
      set(u, {
        'sim.server.net.ipv4.tcp_keepalive_time': '60s',
        'sim.server.net.ipv4.tcp_keepalive_intvl': '10s',
        'sim.server.net.ipv4.tcp_keepalive_probes': 3, // literal-ok: the remedy's own value (an operator's sysctl), not a protocol constant
      }),
  },
  {
    id: 'v2-client-health',
    label: 'client health 1 s, retry 1',
    model: 'nacos-v2',
    change: 'client nacos.remote.client.grpc.health.timeout=1s, …health.retry=1',
    source: 'common/.../remote/client/RpcClient.healthCheck (configurable from client 2.1.2)',
    unavailable: (sc) => javaHealthOnly(sc) ?? (atLeast(sc.clientVersion, '2.1.2') ? null : 'configurable from client 2.1.2'),
    apply: (u) => set(u, { 'nacos.remote.client.grpc.health.timeout': '1s', 'nacos.remote.client.grpc.health.retry': 1 }),
    note: (sc) =>
      inRange(sc.serverVersion, '2.2.0', '2.2.4')
        ? 'changes when the client notices, not when the server removes'
        : 'with an ejector it matters only while requests still reach the server (a one-way partition)',
  },
  {
    id: 'v2-client-health-aggressive',
    label: 'client health 300 ms, retry 0',
    model: 'nacos-v2',
    change: 'client nacos.remote.client.grpc.health.timeout=300ms, …health.retry=0',
    source: 'common/.../remote/client/RpcClient.healthCheck (configurable from client 2.1.2)',
    unavailable: (sc) => javaHealthOnly(sc) ?? (atLeast(sc.clientVersion, '2.1.2') ? null : 'configurable from client 2.1.2'),
    apply: (u) => set(u, { 'nacos.remote.client.grpc.health.timeout': '300ms', 'nacos.remote.client.grpc.health.retry': 0 }),
    note: () => 'one lost answer is a reconnect: the old connection’s close removes the live instance until the redo',
  },
  {
    id: 'v2-client-tcp-retries2',
    label: 'client tcp_retries2 = 5',
    model: 'nacos-v2',
    change: 'client sysctl net.ipv4.tcp_retries2=5',
    source: 'linux net/ipv4/tcp_timer.c (client hosts)',
    unavailable: () => null,
    apply: (u) => set(u, { 'sim.client.net.ipv4.tcp_retries2': 5 }), // literal-ok: the remedy's own value (an operator's sysctl), not a protocol constant
    note: () => "the client's kernel gives up sooner; the server's view is its own",
  },
  app(
    'stop-serving',
    'application stops serving after 30 s disconnected (sim.app.onDisconnect=stop-serving)',
    'consumers’ calls fail; the registry is unchanged',
  ),
  app(
    'deregister',
    'application deregisters after 30 s disconnected (sim.app.onDisconnect=deregister)',
    'cut off, the deregister cannot reach the server: the redo drops the registration, the old connection keeps it',
  ),
  app('exit', 'application exits after 30 s disconnected (sim.app.onDisconnect=exit)', 'its FIN is lost on a cut: the server still needs its own mechanism'),
];
