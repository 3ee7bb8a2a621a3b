import type { Expectation } from '../../analysis/bounds.js';
import type { Fault } from '../../sim/faults.js';
import { msToUs, usToMs } from '../../sim/time.js';
import { num } from '../knob.js';
import type { RegistryBounds, RunBoundsInput } from '../model.js';
import { ETCD_CONSTANTS as K } from './defaults.js';
import { etcdSettings } from './settings.js';

/**
 * Analytic windows of the etcd model, one member, c1 followed, every message one leg d:
 *   - c1 sends its Grant at 0, hears the answer 2 legs later and calls KeepAlive: the send loop's
 *     first pass sends a keepalive at once (and the Put goes with it), then passes every L = 500 ms;
 *   - after an answer at r the next keepalive leaves at the first pass after r + P (P = TTL/3):
 *     consecutive sends are G ∈ (2·d_min + P, 2·d_max + P + L] apart;
 *   - a keepalive heard at h sets expiry = h + TTL; the lessor's pass every C = 500 ms revokes it
 *     at the first pass at or after that: removal in [h + TTL, h + TTL + C), the key with it;
 *   - with more than revokeLimit (500) leases expiring together, a pass takes the earliest 500:
 *     up to ⌈n / 500⌉ − 1 passes more;
 *   - a fault at F that stops c1's keepalives: the last was sent in [F − G_max, F], heard a leg
 *     later; removal − F ∈ [TTL + d_min − G_max, TTL + C + d_max);
 *   - the consumers' watch hears the delete one leg after the revoke.
 * A cluster (c1 on the leader s1, consumers on followers): the Grant and the Put are committed
 * first (append to the followers and the first answer: 2 legs more each); a revoke is proposed at
 * the pass, committed 2 legs later (the leader deletes the key), and the followers delete it when
 * the commit reaches them, a leg after that: removal (no member lists the key) 3 legs after the
 * pass, the consumers' watch (on a follower) 4. A fault on a member (a leader change: Promote
 * gives every lease TTL + election timeout again) is left to the simulation.
 * Lower ends are exclusive in an Expectation: 1 µs below the first instant that can happen.
 */
const SINGLE = { keepAliveSent: 2, listed: 4, removed: 0, roundTrip: 2 } as const; // literal-ok: counted in the comment above
const CLUSTER = { keepAliveSent: 4, listed: 9, removed: 3, roundTrip: 2 } as const; // literal-ok: counted in the comment above
const MEMBER_FAULTS = new Set(['server-crash', 'server-pause', 'server-cut', 'peer-cut']);
const US = usToMs(1);

const roundUs = (ms: number): number => usToMs(Math.round(msToUs(ms)));
const within = (lowerMs: number, upperMs: number): Expectation => ({ kind: 'within', interval: { lowerMs: roundUs(lowerMs), upperMs: roundUs(upperMs) } });
const never = (why: string): Expectation => ({ kind: 'never', why });
const noBound = (why: string): Expectation => ({ kind: 'no-bound', why });

type Heard = { readonly lowerMs: number; readonly upperMs: number } | Expectation;

/** When the server last heard c1's keepalive, relative to the fault. */
const lastHeard = (f: Fault, gapMaxMs: number, d: { min: number; max: number }, LEGS: typeof SINGLE | typeof CLUSTER): Heard => {
  if (f.hosts !== undefined && !f.hosts.includes('c1')) return noBound(`${f.text} leaves c1's path to the server alone`);
  if (f.kind === 'oneway' && f.direction === 's2c')
    return noBound('s2c: keepalives still renew the lease until the client, unanswered for TTL, closes its session: the simulation answers it');
  if (!['cut', 'crash', 'pause', 'oneway'].includes(f.kind)) return noBound(`a ${f.kind} fault: the simulation answers it`);
  if (usToMs(f.startUs) <= LEGS.keepAliveSent * d.max) return noBound('the fault may stop the lease being granted or the key put');
  return { lowerMs: d.min - gapMaxMs, upperMs: d.max };
};

export const etcdBounds = ({ config, latency, faults, instances = 1, servers = 1 }: RunBoundsInput): RegistryBounds => {
  const s = etcdSettings(config);
  const LEGS = servers > 1 ? CLUSTER : SINGLE;
  const d = { min: usToMs(latency.minUs), max: usToMs(latency.maxUs) };
  const C = K.lessorCheckMs;
  const backlogMs = (Math.ceil(instances / s.revokeLimit) - 1) * C;
  const gapMaxMs = LEGS.roundTrip * d.max + usToMs(s.keepAliveAfterUs) + K.sendLoopMs;
  const noUnhealthy = never('etcd has no unhealthy state: a key exists until its lease is revoked');
  const fromHeard = within(s.ttlMs - US, s.ttlMs + C + backlogMs);
  const bounds = (removedFromFault: Expectation, staleFromFault: Expectation): RegistryBounds => ({
    unhealthyFromLastHeard: noUnhealthy,
    removedFromLastHeard: fromHeard,
    unhealthyFromFault: noUnhealthy,
    removedFromFault,
    staleFromFault,
  });
  const lossy = num(config, 'net.loss') > 0;
  // A live client is heard at least every G_max; its lease lasts TTL after that.
  const safe = !lossy && gapMaxMs + d.max < s.ttlMs;
  const fault = faults[0];
  if (fault === undefined) {
    const none = safe ? never('no fault: a live client renews its lease well inside its TTL') : noBound('no fault, but keepalives can be lost or too rare');
    return bounds(none, none);
  }
  const window: Heard =
    faults.length > 1
      ? noBound('several faults: the simulation answers it')
      : servers > 1 && MEMBER_FAULTS.has(fault.kind)
        ? noBound(
            `${fault.text} hits a member: a leader change (Promote: every lease gets TTL + the election timeout again) or a lost quorum; the simulation answers it`,
          )
        : !safe
          ? noBound('keepalives can be lost, or come too rarely for the TTL')
          : lastHeard(fault, gapMaxMs, d, LEGS);
  if ('kind' in window) return bounds(window, window);
  const lower = { lowerMs: window.lowerMs + LEGS.removed * d.min, upperMs: window.upperMs + LEGS.removed * d.max };
  const removed = within(s.ttlMs + lower.lowerMs - US, s.ttlMs + C + backlogMs + lower.upperMs);
  const heals = (e: Expectation): Expectation =>
    e.kind === 'within' && fault.endUs !== null && usToMs(fault.endUs - fault.startUs) <= e.interval.upperMs
      ? noBound(`${fault.text} heals before the lease is certain to expire: the simulation answers it`)
      : e;
  const stale =
    usToMs(fault.startUs) <= LEGS.listed * d.max
      ? noBound('the fault may come before the consumer first lists the instance')
      : within(s.ttlMs + lower.lowerMs + d.min - US, s.ttlMs + C + backlogMs + lower.upperMs + d.max);
  return bounds(heals(removed), heals(stale));
};
