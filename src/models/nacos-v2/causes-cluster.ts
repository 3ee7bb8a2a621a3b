import { type Cause, withFaults, withSet } from '../../diagnose/cause.js';
import type { ScenarioFile } from '../../scenario/scenario.js';

/** A cause about the cluster is tried on the user's cluster, or on the usual three nodes. */
const clustered = (u: ScenarioFile): ScenarioFile => ({ ...u, servers: (u.servers ?? 1) > 1 ? u.servers : 3 }); // literal-ok: the usual three-node cluster a cluster cause is tried on when the user runs one server

const inRange = (v: string | undefined, lo: string, hi: string): boolean => {
  if (v === undefined) return false;
  const cmp = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });
  return cmp(v, lo) >= 0 && cmp(v, hi) <= 0;
};

/**
 * Causes that only a cluster has: which node owns the client's data, and how the other nodes
 * follow it (docs/models/cluster.md). `owner` in a fault names the node holding c1's connection
 * (2.x) or responsible for its service (1.x) when the fault starts.
 */
export const V2_CLUSTER_CAUSES: readonly Cause[] = [
  {
    id: 'cluster-v2-owner-cut-from-client',
    model: 'nacos-v2',
    title: 'The node holding the connection is cut off from the client; on 2.2.x it never lets go of it',
    explanation:
      'Only the node that holds a connection can remove its client; the other nodes follow its Distro DELETE and meanwhile renew their copies from its verifies. When that node alone loses the client, the client reconnects elsewhere, but the old connection is half-open on the owner: 2.3+ ejects it after 20 s + probe, 2.2.0-2.2.4 never do, so even after the client dies its instance stays on every node (the owner keeps verifying the copies).',
    source:
      'naming/.../core/v2/client/manager/impl/ConnectionBasedClientManager.isResponsibleClient / verifyClient; core/.../remote/NacosRuntimeConnectionEjector (2.2.0-2.2.4: no ejection); alibaba/nacos #10088',
    symptoms: ['never-removed', 'consumers-still-call'],
    presentIn: () => false,
    scenario: (u) =>
      withFaults({ ...clustered(u), serverVersion: inRange(u.serverVersion, '2.2.0', '2.2.4') ? u.serverVersion : '2.2.3' }, [
        'cut:c1-owner@60s',
        'crash@120s',
      ]),
    remedy: {
      change: 'upgrade the Nacos servers to 2.3.0 or later: the owner ejects the half-open connection and its DELETE reaches the other nodes',
      apply: (s) => ({ ...s, serverVersion: '2.3.0' }),
    },
  },
  {
    id: 'cluster-v2-owner-crash',
    model: 'nacos-v2',
    title: 'The node holding the connection dies with its client: the other nodes keep the instance until nacos.naming.client.expired.time',
    explanation:
      'A node that dies sends no Distro DELETE, so its clients live on as copies on the other nodes until no verify has renewed them for nacos.naming.client.expired.time (3 min; 30 s before 2.0.3), checked every 5 s. If the client survives it reconnects elsewhere and its redo re-registers it; if it died too (same host, rack or zone), consumers call a dead address for about that long.',
    source:
      'naming/.../core/v2/client/manager/impl/ConnectionBasedClientManager.ExpiredClientCleaner; ConnectionBasedClient.isExpire; naming/.../constants/ClientConstants.DEFAULT_CLIENT_EXPIRED_TIME; alibaba/nacos #9935',
    symptoms: ['slow-removal'],
    presentIn: () => false,
    scenario: (u) => withFaults(clustered(u), ['server-crash:owner@60s', 'cut@60s']),
    remedy: {
      change:
        'lower nacos.naming.client.expired.time on the servers (here 20s; keep it well above the 5 s verify interval, or copies of live clients expire between verifies when a verify is lost)',
      apply: (s) => withSet(s, { 'nacos.naming.client.expired.time': '20s' }),
    },
  },
  {
    id: 'cluster-v2-owner-peer-partition',
    model: 'nacos-v2',
    title: 'The owner node is partitioned from the other nodes but not from its client: they drop a live instance',
    explanation:
      'The copies on the other nodes are renewed only by the owner’s verifies. A partition between the owner and its peers that lasts longer than nacos.naming.client.expired.time makes every peer drop the live instance, so consumers connected to them stop calling it; when the partition heals the owner’s next verify fails and it syncs the client back.',
    source:
      'core/.../distributed/distro/task/verify/DistroVerifyTimedTask; naming/.../distro/v2/DistroClientDataProcessor.processVerifyData / syncToVerifyFailedServer; ConnectionBasedClientManager.ExpiredClientCleaner',
    symptoms: ['false-removal'],
    presentIn: () => false,
    scenario: (u) => withFaults(clustered(u), ['peer-cut:owner@60s-270s']),
    remedy: {
      change:
        'raise nacos.naming.client.expired.time above the longest partition between nodes you must ride out (here 10m); the price is the owner-crash case: a node that dies with its clients keeps them on the peers that long',
      apply: (s) => withSet(s, { 'nacos.naming.client.expired.time': '10m' }),
    },
  },
];
