import type { Expectation } from '../../analysis/bounds.js';
import type { Fault } from '../../sim/faults.js';
import { msToUs, usToMs } from '../../sim/time.js';
import { num } from '../knob.js';
import type { RegistryBounds, RunBoundsInput } from '../model.js';
import { CONSUL_CONSTANTS as K } from './defaults.js';
import { type ConsulSettings, confirmationsWanted, consulSettings, suspicionMinUs } from './settings.js';

/**
 * Analytic windows of the Consul model, one server, c1 followed, every message one leg d, the
 * cluster M = clients + servers + consumers members, probe interval I, TTL T, passes every U,
 * reaper every R = 30 s, deregister timeout D (0: never):
 *
 * Application path (crash, or a pause outlasting the window): the agent lives on. The last pass
 * L lies in [F − U, F]; the check turns critical at L + T on the agent (CheckTTL) and the partial
 * sync lands a leg later: unhealthy in [T − U + d, T + d] after the fault. An HTTP check instead
 * turns critical at the first check after the fault, [F, F + interval], at once for a crash and a
 * timeout later for a pause (appWindow). The reaper, ticking
 * every R from the agent's start, deregisters at its first tick strictly more than D after the
 * critical time, (C + D, C + D + R], and the deregistration lands a leg later.
 *
 * Node path (cut, oneway:c2s): the check stays passing on the cut-off agent, which also
 * cannot reap (reaping is the local agent's; deregister_critical_service_after never acts), so
 * the service is never removed. serfHealth turns critical when the server's memberlist declares
 * c1 dead. Lower end: a probe that fails was sent at or after F − d; it suspects I later; no
 * suspicion ends before its minimum S_min = SuspicionMult · max(1, log10 M) · I. Upper end: the
 * server's own probes. Each round probes the M − 1 others once in a fresh shuffle, so two probes of
 * c1 are at most 2M − 3 ticks apart: the server's first failed probe starts before
 * F + (2M − 3)·I, suspects I later (its health score is 0: all its earlier probes were answered),
 * and its suspicion — its own, or the one it started on hearing another member's — ends within
 * S_max = S_min, or SuspicionMaxTimeoutMult · S_min when k = SuspicionMult − 2 confirmations are
 * wanted (M ≥ 4). This bound is not tight: the server usually hears from the first of the M − 1
 * probers, and the real worst case needs every prober's shuffle to put c1 last.
 *
 * Consumers: a blocking query is waiting at the server and is answered a leg after the change,
 * or its 300 s wait has just run out and the next one asks again: [+d, +3d].
 */
const LEGS = { consumer: 3, listed: 4 } as const; // literal-ok: counted in the comment above

const roundUs = (ms: number): number => usToMs(Math.round(msToUs(ms)));
const TICK_MS = usToMs(1); // the closed lower end [x as the open interval (x − 1 µs
const within = (lowerMs: number, upperMs: number): Expectation => ({ kind: 'within', interval: { lowerMs: roundUs(lowerMs), upperMs: roundUs(upperMs) } });
const never = (why: string): Expectation => ({ kind: 'never', why });
const noBound = (why: string): Expectation => ({ kind: 'no-bound', why });
const plus = (e: Expectation, lo: number, hi: number): Expectation => (e.kind === 'within' ? within(e.interval.lowerMs + lo, e.interval.upperMs + hi) : e);

type Window = { readonly lowerMs: number; readonly upperMs: number };

/** The node path: fault → the server's memberlist declares c1 dead (serfHealth critical). */
export const nodeWindow = (s: ConsulSettings, members: number, d: { min: number; max: number }): Window => {
  const I = s.probeIntervalMs;
  const minMs = usToMs(suspicionMinUs(s, members));
  const maxMs = confirmationsWanted(s, members) < 1 ? minMs : minMs * s.suspicionMaxMult;
  const gapTicks = 2 * members - 3; // literal-ok: 2M − 3, the longest gap between two probes of one member (comment above)
  return { lowerMs: I + minMs - d.max - TICK_MS, upperMs: gapTicks * I + I + maxMs };
};

/**
 * The application path: fault → the check critical on the agent (the sync leg is added by the
 * caller). TTL: the last pass in [F − U, F], critical T later. HTTP: the checks of a running
 * application end at once, so one starts in [F, F + interval]; a crashed application refuses it
 * (critical then), a paused one leaves it to the timeout.
 */
export const appWindow = (s: ConsulSettings, kind: 'crash' | 'pause'): Window => {
  if (s.checkType === 'ttl') return { lowerMs: s.ttlMs - s.ttlUpdateIntervalMs - TICK_MS, upperMs: s.ttlMs };
  const waitMs = kind === 'pause' ? s.checkTimeoutMs : 0;
  return { lowerMs: waitMs - TICK_MS, upperMs: s.checkIntervalMs + waitMs };
};

/** oneway:s2c is not one: c1 still sends, accuses the members it no longer hears, and their refutations raise their health scores. */
const isNodeFault = (f: Fault): boolean => f.kind === 'cut' || (f.kind === 'oneway' && f.direction === 'c2s');

export const consulBounds = ({ config, latency, faults, instances = 1, servers = 1, subscribers = 1 }: RunBoundsInput): RegistryBounds => {
  const s = consulSettings(config);
  const d = { min: usToMs(latency.minUs), max: usToMs(latency.maxUs) };
  const members = instances + servers + subscribers;
  const noHeard = noBound('the agent keeps syncing while its check is critical: the last message heard is not what the check counts from');
  const bounds = (unhealthy: Expectation, removed: Expectation, stale: Expectation): RegistryBounds => ({
    unhealthyFromLastHeard: noHeard,
    removedFromLastHeard: noHeard,
    unhealthyFromFault: unhealthy,
    removedFromFault: removed,
    staleFromFault: stale,
  });
  const lossy = num(config, 'net.loss') > 0;
  const passesInTime = s.checkType === 'http' || s.ttlUpdateIntervalMs + d.max < s.ttlMs;
  const safe = !lossy && passesInTime && LEGS.consumer * d.max < s.probeTimeoutMs;
  const fault = faults[0];
  if (fault === undefined) {
    const none = safe ? never('no fault: passes come well inside the TTL and every probe is answered') : noBound('no fault, but passes or probes may miss');
    return bounds(none, none, none);
  }
  if (faults.length > 1) return bounds(noBound('several faults: the simulation answers it'), noBound('several faults'), noBound('several faults'));
  if (!safe) {
    const why = noBound('datagrams can be lost, legs are long against the probe timeout, or passes come too rarely for the TTL');
    return bounds(why, why, why);
  }
  const F = usToMs(fault.startUs);
  // c1's agent starts within one probe interval, registers and syncs (an HTTP check passes first
  // within one check interval: its random stagger); the consumer lists it a few legs later.
  const listedByMs = s.probeIntervalMs + (s.checkType === 'http' ? s.checkIntervalMs : 0) + LEGS.listed * d.max;
  const early = F <= listedByMs;
  const heals = (e: Expectation, what: string): Expectation =>
    e.kind === 'within' && fault.endUs !== null && usToMs(fault.endUs - fault.startUs) <= e.interval.upperMs
      ? noBound(`${fault.text} ends before ${what} is certain: the simulation answers it`)
      : e;
  if (fault.hosts !== undefined && !fault.hosts.includes('c1')) {
    const alone = noBound(`${fault.text} leaves c1 alone`);
    return bounds(alone, alone, alone);
  }
  if ((fault.kind === 'crash' || fault.kind === 'pause') && fault.hosts === undefined) {
    if (early) {
      const first = noBound('the fault may come before the service is registered and listed');
      return bounds(first, first, first);
    }
    const w = appWindow(s, fault.kind);
    const unhealthy = heals(within(w.lowerMs + d.min, w.upperMs + d.max), 'the check turning critical');
    const removed =
      s.deregisterAfterMs <= 0
        ? never(`deregister_critical_service_after is not set: a critical service stays in the catalog`)
        : heals(within(w.lowerMs + s.deregisterAfterMs + d.min, w.upperMs + s.deregisterAfterMs + K.checkReapIntervalMs + d.max), 'the deregistration');
    return bounds(unhealthy, removed, plus(unhealthy, d.min, LEGS.consumer * d.max));
  }
  if (isNodeFault(fault) && fault.hosts === undefined) {
    if (early) {
      const first = noBound('the fault may come before the service is registered and listed');
      return bounds(first, first, first);
    }
    const w = nodeWindow(s, members, d);
    const unhealthy = heals(within(w.lowerMs, w.upperMs), 'serfHealth turning critical');
    const removed = never(
      'the cut-off agent holds a passing check and is the one that would reap: the catalog keeps the service (until reconnect_timeout, 72 h)',
    );
    return bounds(unhealthy, removed, plus(unhealthy, d.min, LEGS.consumer * d.max));
  }
  const other = noBound(`a ${fault.kind} fault: the simulation answers it`);
  return bounds(other, other, other);
};
