import type { Expectation } from '../../analysis/bounds.js';
import type { Fault } from '../../sim/faults.js';
import { msToUs, usToMs } from '../../sim/time.js';
import { num } from '../knob.js';
import type { RegistryBounds, RunBoundsInput } from '../model.js';
import { EUREKA_CONSTANTS as K } from './defaults.js';
import { type EurekaSettings, eurekaSettings, renewalThreshold } from './settings.js';

/**
 * Analytic windows of the Eureka model (src/models/eureka, Netflix/eureka v2.0.6), one server, c1
 * followed. Every request opens its connection: SYN, SYN-ACK, request (heard), response — four
 * one-way legs d ∈ [dmin, dmax]. From c1's start:
 *   - the first heartbeat runs at P (renewal interval), gets 404, and registers in the same run:
 *     the registration is heard at P + 7 legs, lease.lastUpdate = that moment;
 *   - the next run starts P after that run ended (P + 8 legs): the first renewal is heard at
 *     2P + 11 legs, and renewals are heard every P + 4 legs; a renewal sets lastUpdate = now + D;
 *   - Lease.isExpired: now > lastUpdate + D, so a lease last renewed at h expires after h + 2D,
 *     one only registered at h after h + D; the EvictionTask (every E, fixed delay, no
 *     compensation without a server pause) removes it at its first run after that: (x, x + E].
 * Self-preservation decides whether that run may evict at all (isLeaseExpirationEnabled):
 * renewals of the last minute > threshold. Consumers: the removal invalidates the readWrite
 * cache; the readOnly copy follows at the next update tick (≤ R), a consumer's fetch reaches the
 * server every fetch interval + 4 legs at most, and its answer lands ≤ dmax later.
 */

/** One-way legs: a request on its own connection (SYN, SYN-ACK, request, response); the registration heard (404 renew, then SYN, SYN-ACK, request); the first renewal heard. */
const LEGS = { cycle: 4, registered: 7, firstRenewal: 11, s2cHeard: 2 } as const; // literal-ok: counted in the comment above, from client.ts and src/sim/http.ts
/** An eviction run reads the bucket that ended at the last rollover: it began at most two buckets earlier. */
const BUCKETS_READ_BACK = 2; // literal-ok: the bucket read ends ≤ one bucket before the run and lasts one bucket

/** Lease.renew adds D to lastUpdate and isExpired adds it again. */
const RENEWED_LEASE_DURATIONS = K.renewedLeaseCounts;

const roundUs = (ms: number): number => usToMs(Math.round(msToUs(ms)));
const within = (lowerMs: number, upperMs: number): Expectation => ({ kind: 'within', interval: { lowerMs: roundUs(lowerMs), upperMs: roundUs(upperMs) } });
const never = (why: string): Expectation => ({ kind: 'never', why });
const noBound = (why: string): Expectation => ({ kind: 'no-bound', why });

interface Envelope {
  readonly min: number;
  readonly max: number;
}

/** When c1's registration and first renewal are heard, from its start (ms). */
export const eurekaTimeline = (s: EurekaSettings, d: Envelope) => {
  const P = s.renewalIntervalMs;
  return {
    registeredMin: P + LEGS.registered * d.min,
    registeredMax: P + LEGS.registered * d.max,
    // The second run starts P after the first ended (firstRun legs after P); its request is heard three legs in.
    firstRenewalMin: P + P + LEGS.firstRenewal * d.min,
    firstRenewalMax: P + P + LEGS.firstRenewal * d.max,
    cycleMin: P + LEGS.cycle * d.min,
    cycleMax: P + LEGS.cycle * d.max,
  };
};

/**
 * isLeaseExpirationEnabled after c1 falls silent, for the whole run: 'always' when even the fewest
 * renewals the other N − 1 clients can send in a minute bucket exceed every threshold the run can
 * hold, 'never' when even the most cannot, else 'sometimes'. The expected clients start at the
 * open-for-traffic count plus one per registration (only when that count is positive); the
 * 15-minute task may set them to the registered count N.
 */
export const expirationVerdict = (s: EurekaSettings, d: Envelope, instances: number): { verdict: 'always' | 'never' | 'sometimes'; why: string } => {
  if (!s.selfPreservation) return { verdict: 'always', why: 'self-preservation off' };
  const start = s.openForTrafficCount > 0 ? s.openForTrafficCount + instances : 0;
  const thresholds = [renewalThreshold(s, start)];
  if (instances > s.renewalPercent * start) thresholds.push(renewalThreshold(s, instances));
  const live = instances - 1;
  const t = eurekaTimeline(s, d);
  // Leases that lapse between renewals are evicted and registered again: their renewals get 404 and are not counted.
  if (t.cycleMax > s.leaseDurationMs)
    return { verdict: 'sometimes', why: 'self-preservation: renewals come further apart than a lease lasts, so the renewal count is anyone’s guess' };
  const perClient = Math.ceil(K.renewalBucketMs / t.cycleMin);
  // The bucket an eviction run reads started up to two buckets before it: a lease that can expire
  // sooner than that after c1 was last heard may meet a bucket still holding c1's own renewals.
  const own = s.leaseDurationMs < BUCKETS_READ_BACK * K.renewalBucketMs ? perClient : 0;
  const most = live * perClient + own;
  const fewest = live * Math.floor(K.renewalBucketMs / t.cycleMax);
  const shown = thresholds.join(' or ');
  if (most <= Math.min(...thresholds))
    return {
      verdict: 'never',
      why: `self-preservation: at most ${most} renewals a minute reach the server once c1 is silent, never above the threshold ${shown}: eviction stays off`,
    };
  if (thresholds.every((x) => x === 0) || fewest <= Math.max(...thresholds))
    return {
      verdict: 'sometimes',
      why: `self-preservation: ${fewest}–${most} renewals a minute once c1 is silent, against the threshold ${shown}: some eviction runs may be off`,
    };
  return { verdict: 'always', why: `the other clients' ${fewest}+ renewals a minute stay above the threshold ${shown}` };
};

/** When c1 was last heard, from the fault (ms), and whether that was its registration or a renewal. */
type Heard = { readonly lowerMs: number; readonly upperMs: number; readonly registration: 'yes' | 'no' | 'maybe' } | Expectation;

const lastHeard = (f: Fault, s: EurekaSettings, d: Envelope): Heard => {
  if (f.hosts !== undefined && !f.hosts.includes('c1')) return noBound(`${f.text} leaves c1's path to the server alone`);
  if (!['cut', 'crash', 'pause', 'oneway'].includes(f.kind)) return noBound(`a ${f.kind} fault: the simulation answers it`);
  const F = usToMs(f.startUs);
  const t = eurekaTimeline(s, d);
  // A request is heard iff its request segment left before F (cut, c2s, crash, pause: the frozen
  // process writes nothing); s2c: iff the SYN-ACK left before F, the request a leg later.
  const legs = f.kind === 'oneway' && f.direction === 's2c' ? LEGS.s2cHeard : 1;
  if (F <= t.registeredMax) return noBound('the fault may stop the registration itself');
  const upperMs = legs * d.max;
  const afterRenewal = { lowerMs: legs * d.min - t.cycleMax, upperMs };
  // The first renewal's request leaves 2P + 10 legs after start (its SYN-ACK a leg earlier).
  const firstSentMin = t.firstRenewalMin - legs * d.min;
  const firstSentMax = t.firstRenewalMax - legs * d.min;
  if (F > firstSentMax) return { ...afterRenewal, registration: 'no' };
  const afterRegistration = { lowerMs: t.registeredMin - F, upperMs: t.registeredMax - F };
  if (F <= firstSentMin) return { ...afterRegistration, registration: 'yes' };
  return { lowerMs: Math.min(afterRegistration.lowerMs, afterRenewal.lowerMs), upperMs: Math.max(afterRegistration.upperMs, upperMs), registration: 'maybe' };
};

/** (x, x + E] after the last heard, x = D after a registration, 2D after a renewal. */
const removalAfterHeard = (s: EurekaSettings, registration: 'yes' | 'no' | 'maybe'): { lowerMs: number; upperMs: number } => {
  const D = s.leaseDurationMs;
  const E = s.evictionIntervalMs;
  const renewed = RENEWED_LEASE_DURATIONS * D;
  return { lowerMs: registration === 'no' ? renewed : D, upperMs: (registration === 'yes' ? D : renewed) + E };
};

/** Removal → the last consumer's view drops it: cache update tick, next fetch, its answer. */
export const staleAfterRemoval = (s: EurekaSettings, d: Envelope): { minMs: number; maxMs: number } => ({
  minMs: d.min,
  maxMs: (s.readOnlyCache ? s.responseCacheUpdateMs : 0) + s.fetchIntervalMs + LEGS.cycle * d.max + d.max,
});

export const eurekaBounds = ({ config, latency, faults, instances = 1 }: RunBoundsInput): RegistryBounds => {
  const s = eurekaSettings(config);
  const d = { min: usToMs(latency.minUs), max: usToMs(latency.maxUs) };
  const t = eurekaTimeline(s, d);
  const noUnhealthy = never('Eureka has no unhealthy state: a lease is held until it is evicted or cancelled');
  const lossy = num(config, 'net.loss') > 0;
  const fault = faults[0];
  const expiry = expirationVerdict(s, d, instances);
  // 'always' holds once every bucket an eviction run reads is full of every live client's renewals:
  // the others start within P and renew from 2P + 11 legs after that (3P + 11·dmax), and a run reads a bucket begun ≤ two buckets before it.
  const settledMs = s.renewalIntervalMs + t.firstRenewalMax + BUCKETS_READ_BACK * K.renewalBucketMs;
  const gate = (e: Expectation, earliestRemovalMs = Number.POSITIVE_INFINITY): Expectation => {
    if (e.kind !== 'within') return e;
    if (expiry.verdict === 'never') return never(expiry.why);
    if (expiry.verdict === 'sometimes') return noBound(expiry.why);
    if (s.selfPreservation && earliestRemovalMs < settledMs)
      return noBound('self-preservation: the renewal rate may not yet cover a full minute of every client when the lease expires');
    return e;
  };
  const heardWindow = removalAfterHeard(s, fault === undefined ? 'no' : 'maybe');
  // In the key order of the Nacos models' bounds (RegistryBounds).
  const churns = t.cycleMax > s.leaseDurationMs;
  const bounds = (removedFromLastHeard: Expectation, removedFromFault: Expectation, staleFromFault: Expectation): RegistryBounds => ({
    unhealthyFromLastHeard: noUnhealthy,
    // A client whose renewals come further apart than its lease is evicted and registers again while alive.
    removedFromLastHeard: churns ? noBound('renewals come further apart than a registered lease lasts') : removedFromLastHeard,
    unhealthyFromFault: noUnhealthy,
    removedFromFault,
    staleFromFault,
  });
  if (fault === undefined) {
    // A live client is heard every P + 4 legs at most; its lease lasts D after the registration, 2D after a renewal.
    const safe = !lossy && t.cycleMax < s.leaseDurationMs;
    const none = safe ? never('no fault: a live client renews before its lease expires') : noBound('no fault, but renewals can be lost or late');
    return bounds(within(heardWindow.lowerMs, heardWindow.upperMs), none, none);
  }
  const window: Heard =
    faults.length > 1
      ? noBound('several faults: the simulation answers it')
      : lossy
        ? noBound('net.loss > 0: renewals can be lost before the fault')
        : churns
          ? noBound('renewals come further apart than a registered lease lasts: c1 may be evicted and register again before the fault')
          : lastHeard(fault, s, d);
  if ('kind' in window) {
    const fromHeard = removalAfterHeard(s, 'maybe');
    return bounds(gate(within(fromHeard.lowerMs, fromHeard.upperMs)), window, window);
  }
  const fromHeard = removalAfterHeard(s, window.registration);
  const removed = within(fromHeard.lowerMs + window.lowerMs, fromHeard.upperMs + window.upperMs);
  const heals = (e: Expectation): Expectation =>
    e.kind === 'within' && fault.endUs !== null && usToMs(fault.endUs - fault.startUs) <= e.interval.upperMs
      ? noBound(`${fault.text} heals before the removal is certain: the simulation answers it`)
      : e;
  const after = staleAfterRemoval(s, d);
  // The consumer lists c1 once the registration has gone through the cache and a fetch (a server that opened empty answers 403 first).
  const startedByMs = s.subscriberPhaseUs === null ? s.fetchIntervalMs : usToMs(s.subscriberPhaseUs);
  const listedByMs = Math.max(t.registeredMax, startedByMs, s.openForTrafficCount > 0 ? 0 : s.waitWhenSyncEmptyMs) + after.maxMs;
  const stale =
    removed.kind !== 'within'
      ? removed
      : usToMs(fault.startUs) <= listedByMs
        ? noBound('the fault may come before the consumer first lists the instance')
        : within(removed.interval.lowerMs + after.minMs, removed.interval.upperMs + after.maxMs);
  const earliest = usToMs(fault.startUs) + fromHeard.lowerMs + window.lowerMs;
  return bounds(gate(within(fromHeard.lowerMs, fromHeard.upperMs), earliest), gate(heals(removed), earliest), gate(heals(stale), earliest));
};
