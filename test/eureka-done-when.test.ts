import { describe, expect, it } from 'vitest';
import type { Expectation } from '../src/analysis/bounds.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';
import type { TraceEvent } from '../src/sim/trace.js';

/**
 * Issue 18's done-when for eureka. Every expected number is derived here from Netflix/eureka
 * v2.0.6 (and Spring Cloud Netflix v5.0.2 defaults), not read off a run:
 *   P = 30 s  LeaseInfo.DEFAULT_LEASE_RENEWAL_INTERVAL       D = 90 s  Lease.DEFAULT_DURATION_IN_SECS
 *   E = 60 s  DefaultEurekaServerConfig.getEvictionIntervalTimerInMs
 *   R = 30 s  getResponseCacheUpdateIntervalMs                 F = 30 s  getRegistryFetchIntervalSeconds
 *   Lease.renew: lastUpdate = now + D; Lease.isExpired: now > lastUpdate + D  (2·D after a renewal)
 * With `net.latency=fixed:1ms` every one-way leg is 1 ms and a request on a new connection takes
 * SYN, SYN-ACK, request (heard at +3 ms), response (+4 ms). With the eviction phase 0 the
 * EvictionTask runs at 0, 60, 120 … s.
 */
const FIXED = { 'net.latency': 'fixed:1ms', 'sim.server.evictionPhase': '0ms', 'sim.server.responseCachePhase': '10s', 'sim.subscriberStartPhase': '0ms' };
const NO_SELF_PRESERVATION = { ...FIXED, 'eureka.server.enable-self-preservation': 'false' };

const run = (input: Partial<ScenarioFile>) => {
  const sc = resolveScenario({ model: 'eureka', seed: 1, until: '10m', ...input });
  return runScenario(sc);
};
const at = (trace: readonly TraceEvent[], kind: string, host?: string): number[] =>
  trace.filter((e) => e.kind === kind && (host === undefined || e.host === host) && (e.data?.instance ?? 'c1') === 'c1').map((e) => e.t / 1000);

const inside = (value: number | null, e: Expectation | undefined): void => {
  expect(e?.kind).toBe('within');
  if (e?.kind !== 'within') return;
  expect(value).not.toBeNull();
  expect(value as number).toBeGreaterThan(e.interval.lowerMs);
  expect(value as number).toBeLessThanOrEqual(e.interval.upperMs);
};

describe('eureka › done-when › the first heartbeat registers, renewals follow every P + 4 legs', () => {
  const { trace } = run({ set: NO_SELF_PRESERVATION, until: '2m' });
  it('renew at P gets 404 and registers in the same run: heard at 30.003 s (404) and 30.007 s (register)', () => {
    // Heartbeat task at P = 30 s: renew heard at 30 s + 3 ms, its 404 back at +4 ms, the register on a new connection heard 3 legs later.
    expect(at(trace, 'beat.recv')[0]).toBe(30_003);
    expect(at(trace, 'instance.register')).toEqual([30_007]);
  });
  it('the next run starts P after the last one ended: renewals heard at 60.011 s and 90.015 s', () => {
    // The register's answer lands at 30.008 s; the next run 30 s later, heard 3 ms into it; each cycle is P + 4 ms.
    expect(at(trace, 'beat.recv').slice(1)).toEqual([60_011, 90_015]);
  });
});

describe('eureka › done-when › cut: lease 2 × 90 s after a renewal, then the next eviction run', () => {
  const { result, trace } = run({ set: NO_SELF_PRESERVATION, faults: ['cut@100s'] });
  const m = result.metrics;
  it('last heard 90.015 s; expiry after 90.015 + 2·90 = 270.015 s; the 300 s eviction run removes it: detection 200 s', () => {
    expect(m.lastHeardAtMs).toBe(90_015);
    expect(m.serverRemovedAtMs).toBe(300_000);
    expect(m.detectionMs).toBe(200_000);
  });
  it('the removal lies in (2D, 2D + E] after the last renewal heard, and inside the bound from the fault', () => {
    const sinceHeard = (m.serverRemovedAtMs as number) - (m.lastHeardAtMs as number);
    expect(sinceHeard).toBeGreaterThan(180_000);
    expect(sinceHeard).toBeLessThanOrEqual(240_000);
    expect(result.bounds?.removedFromLastHeard).toEqual({ kind: 'within', interval: { lowerMs: 180_000, upperMs: 240_000 } });
    // From the fault: last heard within (−(P + 4 legs) + 1 leg, +1 leg] → (2D − 30.003 s, 2D + E + 1 ms].
    expect(result.bounds?.removedFromFault).toEqual({ kind: 'within', interval: { lowerMs: 149_997, upperMs: 240_001 } });
    inside(m.detectionMs, result.bounds?.removedFromFault);
  });
  it('consumers: the readOnly cache takes it at 310 s (phase 10 s), the next fetch heard at 330.047 s, its answer at 330.048 s', () => {
    // The constructor's fetch ends at 0.004 s; refresh run k starts F after run k − 1 ended (4 legs each): at k × 30.004 s.
    // Run 11 (330.044 s) is the first after 310 s: heard 3 ms in, answered at 330.048 s.
    expect(at(trace, 'cache.update', 's1').filter((t) => t > 300_000)[0]).toBe(310_000);
    expect(m.subscriberUpdatedAtMs).toBe(330_048);
    inside(m.staleMs, result.bounds?.staleFromFault);
  });
  it('no live instance is removed and nothing comes back', () => {
    expect(m.falseRemovals).toBe(0);
    expect(m.flaps).toBe(0);
  });
});

describe('eureka › done-when › a cut before the first renewal: the registration’s lease lasts only D', () => {
  const { result } = run({ set: NO_SELF_PRESERVATION, faults: ['cut@45s'] });
  it('registered at 30.007 s, never renewed: expiry after 30.007 + 90 = 120.007 s, removed by the 180 s run (detection 135 s)', () => {
    expect(result.metrics.lastHeardAtMs).toBe(30_007);
    expect(result.metrics.serverRemovedAtMs).toBe(180_000);
    inside(result.metrics.detectionMs, result.bounds?.removedFromFault);
  });
});

describe('eureka › done-when › self-preservation', () => {
  it('one client (Spring Cloud: open count 1 + 1 registration = 2 expected, threshold (int)(2·2·0.85) = 3): never evicted', () => {
    const { result, trace } = run({ set: FIXED, faults: ['cut@100s'], until: '30m' });
    expect(result.metrics.serverRemovedAtMs).toBeNull();
    expect(result.bounds?.removedFromFault.kind).toBe('never');
    expect(trace.filter((e) => e.kind === 'eviction.skip').length).toBeGreaterThan(0);
  });
  it('ten clients: threshold (int)(11·2·0.85) = 18, nine live send 18 a minute (not above) until the 900 s update sets 10 expected (threshold 17): removed at 900 s', () => {
    // updateRenewalThreshold (15 min from the start: count 10 > 0.85 × 11) and the eviction run meet at 900 s; Java's
    // two Timer threads race, livesim runs the task armed first (at 0 s, the eviction run's at 840 s): 18 > 17, evicted.
    const { result } = run({ set: FIXED, faults: ['cut@100s'], until: '20m', clients: 10 });
    expect(result.metrics.serverRemovedAtMs).toBe(900_000);
    expect(result.bounds?.removedFromFault.kind).toBe('no-bound');
  });
  it('renewal-percent-threshold 0.4 with ten clients: threshold (int)(11·2·0.4) = 8 < 9 live renewals: the plain lease window holds', () => {
    const { result } = run({ set: { ...FIXED, 'eureka.server.renewal-percent-threshold': '0.4' }, faults: ['cut@100s'], clients: 10 });
    expect(result.metrics.serverRemovedAtMs).toBe(300_000);
    inside(result.metrics.detectionMs, result.bounds?.removedFromFault);
  });
  it('Netflix eureka-server (open count 0): no threshold, so no expiry, and fetches get 403 for the first 5 minutes', () => {
    const { result, trace } = run({ set: { ...FIXED, 'eureka.instance.registry.default-open-for-traffic-count': '0' }, faults: ['cut@100s'] });
    expect(result.metrics.serverRemovedAtMs).toBeNull();
    const views = trace.filter((e) => e.kind === 'view.update' && String(e.data?.instances).includes('c1'));
    // shouldAllowAccess: now > start + 300 s. Refresh run k starts at k × 30.004 s: k = 10 at 300.040 s, heard 300.043 s, answered 300.044 s.
    expect(views[0]?.t).toBe(300_044_000);
  });
});

describe('eureka › done-when › eviction picks at most registry − (int)(registry × 0.85) per run, at random', () => {
  it('20 clients, c1…c5 cut: 20 − 17 = 3 evicted in the first run, the other 2 in the next', () => {
    const { trace } = run({ set: NO_SELF_PRESERVATION, clients: 20, faults: ['rack-cut:c1..c5@100s'], until: '8m' });
    const removals = trace.filter((e) => e.kind === 'instance.remove');
    const byTime = new Map<number, number>();
    for (const e of removals) byTime.set(e.t, (byTime.get(e.t) ?? 0) + 1);
    expect([...byTime.values()]).toEqual([3, 2]);
    expect(new Set(removals.map((e) => e.data?.instance)).size).toBe(5);
  });
});

describe('eureka › determinism', () => {
  const input = { faults: ['cut@100s'], clients: 5, set: { 'eureka.server.enable-self-preservation': 'false' } };
  it('same inputs and seed: the same trace hash and result, byte for byte', () => {
    const a = run(input).result;
    const b = run(input).result;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
  it('another seed draws other phases: another trace', () => {
    expect(run({ ...input, seed: 2 }).result.traceHash).not.toBe(run(input).result.traceHash);
  });
});
