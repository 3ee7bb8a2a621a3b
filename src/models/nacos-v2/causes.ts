import { type Cause, ghostProcess, setting, withFaults, withSet } from '../../diagnose/cause.js';
import { CUT } from '../nacos-v1/causes.js';

const inRange = (v: string | undefined, lo: string, hi: string): boolean => {
  if (v === undefined) return false;
  const cmp = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });
  return cmp(v, lo) >= 0 && cmp(v, hi) <= 0;
};

/**
 * Nacos 2.x causes. An ephemeral gRPC instance lives exactly as long as the server believes its
 * connection lives, so most causes are about how (or whether) a silent connection is noticed.
 */
export const V2_CAUSES: readonly Cause[] = [
  {
    id: 'v2-no-ejector-2.2',
    model: 'nacos-v2',
    title: 'Server 2.2.0–2.2.4 never ejects a silent (half-open) connection',
    explanation:
      'A refactor in 2.2.0 (#9653) left NacosRuntimeConnectionEjector.doEject() only logging metrics: a connection whose client vanished without FIN/RST is never probed, so its instances stay until the gRPC server keep-alive (2 h + 20 s) closes it. The client-side health check does not help the server. Fixed by #10509 in 2.3.0.',
    source: 'core/.../remote/NacosRuntimeConnectionEjector.java at tags 2.2.0..2.2.4 vs 2.3.0; alibaba/nacos #10773, #12095, #10909, #13261',
    symptoms: ['never-removed', 'consumers-still-call'],
    presentIn: (u) => inRange(u.serverVersion, '2.2.0', '2.2.4'),
    scenario: (u) => withFaults({ ...u, serverVersion: inRange(u.serverVersion, '2.2.0', '2.2.4') ? u.serverVersion : '2.2.3' }, [CUT]),
    remedy: { change: 'upgrade the Nacos server to 2.3.0 or later (restores the 20 s idle probe)', apply: (s) => ({ ...s, serverVersion: '2.3.0' }) },
  },
  {
    id: 'v2-frozen-client-2.2',
    model: 'nacos-v2',
    title: 'A suspended VM or frozen JVM on a 2.2.x server: the connection stays open and silent',
    explanation:
      'A frozen client process sends nothing, but its kernel still acknowledges TCP, so no transport error ever closes the connection; without the ejector (2.2.0–2.2.4) only the gRPC server keep-alive does, 2 h + 20 s later (its PING needs the frozen process to answer).',
    source: 'core/.../remote/NacosRuntimeConnectionEjector.java (2.2.x); core/.../remote/grpc/GrpcServerConstants (keep-alive 2 h)',
    symptoms: ['never-removed', 'consumers-still-call'],
    presentIn: () => false,
    scenario: (u) => withFaults({ ...u, serverVersion: '2.2.3' }, ['pause@60s-100h']),
    remedy: { change: 'upgrade the Nacos server to 2.3.0 or later', apply: (s) => ({ ...s, serverVersion: '2.3.0' }) },
  },
  {
    id: 'v2-flapping-link',
    model: 'nacos-v2',
    title: 'A flapping link: every reconnect and redo re-registers the instance before it settles',
    explanation:
      'Each time the link comes back the client reconnects (100 ms back-off) and its redo task re-registers within 3 s, while the server only drops a silent connection after 20 s + probe: a link that is down more than it is up keeps the instance coming and going, and consumers see it flap.',
    source:
      'common/.../remote/client/RpcClient.reconnect; client/.../naming/remote/gprc/redo/NamingGrpcRedoService; core/.../remote/NacosRuntimeConnectionEjector',
    symptoms: ['slow-removal'],
    presentIn: () => false,
    scenario: (u) => withFaults(u, ['flap:2s/8s@60s-400s']),
    remedy: {
      change:
        'probe sooner and give up sooner on the client: nacos.remote.client.grpc.connect.keep.alive=2s, nacos.remote.client.grpc.health.timeout=1s, nacos.remote.client.grpc.health.retry=1 (the server then learns of each outage from the abandoned connection; the instance still flaps with the link)',
      apply: (s) =>
        withSet(s, {
          'nacos.remote.client.grpc.connect.keep.alive': '2s',
          'nacos.remote.client.grpc.health.timeout': '1s',
          'nacos.remote.client.grpc.health.retry': 1,
        }),
    },
  },
  {
    id: 'v2-requests-still-arrive',
    model: 'nacos-v2',
    title: "One-way partition: the client's requests still reach the server, its answers do not",
    explanation:
      "While the client keeps sending health checks, each one refreshes the connection's lastActiveTime on the server, so the ejector finds nothing idle; only when the client gives up and stops sending does the 20 s idle probe start.",
    source: 'core/.../remote/grpc/GrpcRequestAcceptor.request (refreshActiveTime); common/.../remote/client/RpcClient.healthCheck',
    symptoms: ['slow-removal'],
    presentIn: () => false,
    scenario: (u) => withFaults(u, ['oneway:s2c@60s']),
    remedy: {
      change: 'lower nacos.remote.client.grpc.health.timeout to 1s and .retry to 1 (the client stops refreshing a dead connection sooner)',
      apply: (s) => withSet(s, { 'nacos.remote.client.grpc.health.timeout': '1s', 'nacos.remote.client.grpc.health.retry': 1 }),
    },
  },
  {
    id: 'v2-push-empty-protection',
    model: 'nacos-v2',
    title: 'Consumer push-empty protection keeps the last non-empty list',
    explanation:
      'With namingPushEmptyProtection=true (and always in the Node.js SDK, by default in the Go SDK) a consumer ignores a push without a healthy instance, so after the last instance is removed it keeps calling the dead address.',
    source: 'client/.../naming/cache/ServiceInfoHolder.processServiceInfo / isEmptyOrErrorPush',
    symptoms: ['consumers-still-call'],
    presentIn: (u) => setting(u, 'namingPushEmptyProtection') === 'true',
    scenario: (u) => withFaults(withSet(u, { namingPushEmptyProtection: true }), ['crash@60s']),
    remedy: {
      change: 'set namingPushEmptyProtection=false on the consumer (or run two or more instances)',
      apply: (s) => withSet(s, { namingPushEmptyProtection: false }),
    },
  },
  ghostProcess('nacos-v2', 'holds its gRPC connection', 'core/.../remote/ConnectionManager (a live connection keeps its instances)'),
];
