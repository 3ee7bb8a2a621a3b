import { type Cause, withFaults, withSet } from '../../diagnose/cause.js';
import type { ScenarioFile } from '../../scenario/scenario.js';

/** A cause about the cluster is tried on the user's cluster, or on the usual three nodes. */
const clustered = (u: ScenarioFile): ScenarioFile => ({ ...u, servers: (u.servers ?? 1) > 1 ? u.servers : 3 }); // literal-ok: the usual three-node cluster a cluster cause is tried on when the user runs one server

const inRange = (v: string | undefined, lo: string, hi: string): boolean => {
  if (v === undefined) return false;
  const cmp = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });
  return cmp(v, lo) >= 0 && cmp(v, hi) <= 0;
};

/** The 1.x cluster's cause (docs/models/cluster.md): which node is responsible for the service. */
export const V1_CLUSTER_CAUSES: readonly Cause[] = [
  {
    id: 'cluster-v1-responsibility-moves',
    model: 'nacos-v1',
    title: '1.x: the responsible node dies, responsibility moves, and the new node deletes a live instance on a stale lastBeat',
    explanation:
      'In 1.x only the responsible node (hash of the service name over the healthy members) sees the beats; the others hold copies whose lastBeat is that of the last Distro sync, usually the registration. While the dead node is still a member, beats proxied to it fail; once it leaves the healthy list, the new responsible node’s check can run before the next beat reaches it, and then judges with the stale copy: unhealthy and deleted at once, back only when the client’s next beat gets 20404 and it re-registers (#1873).',
    source:
      'naming/.../core/DistroMapper.responsible; naming/.../web/DistroFilter; naming/.../healthcheck/ClientBeatCheckTask; core/.../cluster/MemberUtil.onFail; alibaba/nacos #1873, #3337',
    symptoms: ['false-removal'],
    presentIn: () => false,
    // The check phase puts the new node's check between the re-shard and the next beat.
    // A 1.x server's mechanism (the 2.x/3.x v1 path runs one server): tried on 1.4.8 when the user's server is 2.x.
    scenario: (u) =>
      withFaults(
        withSet({ ...clustered(u), serverVersion: inRange(u.serverVersion, '1.0.0', '1.4.8') ? u.serverVersion : '1.4.8' }, { 'sim.checkPhase': '3500ms' }),
        ['server-crash:owner@60s'],
      ),
    remedy: {
      change:
        'no 1.x setting keeps lastBeat fresh on the copies: nacos.naming.expireInstance=false stops the delete (the instance is only marked unhealthy until its next beat) but then dead instances are never removed; the fix is Nacos 2.x, where the node holding the connection owns the client',
      apply: (s) => withSet(s, { 'nacos.naming.expireInstance': false }),
    },
  },
];
