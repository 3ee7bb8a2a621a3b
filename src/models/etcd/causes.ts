import type { Cause } from '../../diagnose/cause.js';
import { parseFault } from '../../scenario/fault-dsl.js';
import type { ScenarioFile } from '../../scenario/scenario.js';
import { usToMs } from '../../sim/time.js';
import { ETCD_CONSTANTS as K, ETCD_KEYS as KEY } from './defaults.js';

const withSet = (s: ScenarioFile, set: Record<string, string>): ScenarioFile => ({ ...s, set: { ...(s.set ?? {}), ...set } });
const memberCrash = (f: string): boolean => f.startsWith('server-crash');

/** The user's first fault start (ms), or null when it has none at a fixed time. */
const faultAtMs = (u: ScenarioFile): number | null => {
  const text = u.faults?.find((f) => !memberCrash(f));
  if (text === undefined) return null;
  try {
    return usToMs(parseFault(text).startUs);
  } catch {
    return null;
  }
};

/**
 * etcd's known causes for `livesim diagnose` (the model's `analysis.causes`). A leader change
 * while a dead provider's lease runs out: the new leader's Promote gives every lease a whole TTL
 * plus the election timeout again, so the removal comes TTL + 1 s after the election, not after
 * the last keepalive.
 */
export const ETCD_CAUSES: readonly Cause[] = [
  {
    id: 'etcd-leader-change',
    model: 'etcd',
    title: 'A leader change gave the dead instance’s lease a whole new TTL',
    explanation:
      'The new leader applies its first entry and calls Promote(electionTimeout): every lease is set to expire at now + election timeout + its TTL (Lease.refresh; the remaining TTL is kept only with lease checkpoints on, and only for TTLs above the 5 min checkpoint interval). A lease that was about to expire lives one TTL longer.',
    source:
      'etcd-io/etcd v3.6.14 server/etcdserver/server.go applyEntryNormal (s.lessor.Promote(s.Cfg.ElectionTimeout())), server/lease/lessor.go Promote, server/lease/lease.go refresh, getRemainingTTL',
    symptoms: ['slow-removal'],
    presentIn: (u) => (u.servers ?? 1) > 1 && (u.faults ?? []).some(memberCrash),
    scenario: (u) => {
      const at = faultAtMs(u);
      if (at === null || (u.faults ?? []).some(memberCrash)) return { ...u, servers: Math.max(u.servers ?? 1, K.clusterMembers) };
      return {
        ...u,
        servers: Math.max(u.servers ?? 1, K.clusterMembers),
        faults: [...(u.faults ?? []), `server-crash:owner@${at + K.leaderChangeAfterFaultMs}ms`],
      };
    },
    remedy: {
      change: `--set ${KEY.leaseTtl}=${K.shortTtlS} (a shorter session TTL: the lease a new leader restarts is shorter too)`,
      apply: (s) => withSet(s, { [KEY.leaseTtl]: String(K.shortTtlS) }),
    },
  },
];
