import { describe, expect, it } from 'vitest';
import { confirmationsWanted, consulSettings, retransmitLimit, suspicionMinUs, suspicionTimeoutUs } from '../src/models/consul/settings.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';
import type { TraceEvent } from '../src/sim/trace.js';

/**
 * Issue 18's done-when for consul. Expected numbers derived by hand from the cited source
 * (hashicorp/consul agent/checks/check.go CheckTTL, agent/agent.go addCheck and
 * reapServicesInternal, agent/config/default.go NonUserSource; hashicorp/memberlist v0.5.1
 * config.go DefaultLANConfig, util.go, suspicion.go, state.go), not read off a run:
 *   TTL 30 s, the application passing every 10 s; reaper every 30 s from the agent's start,
 *   acting when CriticalFor() > D (strict); D below 1 min raised to 1 min;
 *   suspicion min = 4 · max(1, log10 N) · 1 s; k = 4 − 2 = 2 confirmations wanted from N = 4
 *   members (0 below); max = 6 · min; after c confirmations the timeout is
 *   max − ln(c+1)/ln(k+1) · (max − min), floored to ms.
 * With `net.latency=fixed:1ms` every message takes 1 ms; `sim.agentStartPhase=0ms` starts every
 * agent at 0: the application registers and passes at 0, 10, 20 … s; probes tick at whole seconds.
 */
const FIXED = { 'net.latency': 'fixed:1ms', 'sim.agentStartPhase': '0ms' };
const run = (input: Partial<ScenarioFile>) => runScenario(resolveScenario({ model: 'consul', seed: 1, until: '4m', ...input }));
const at = (trace: readonly TraceEvent[], kind: string, host: string, pred: (e: TraceEvent) => boolean = () => true): number[] =>
  trace.filter((e) => e.kind === kind && e.host === host && pred(e)).map((e) => e.t / 1000);
const aboutC1 = (e: TraceEvent): boolean => e.data?.node === 'c1' || e.data?.instance === 'c1';

describe('consul › done-when › settings from the source', () => {
  const settings = (set: Record<string, string>) => consulSettings(resolveScenario({ model: 'consul', set }).config);
  it('deregister_critical_service_after: unset is 0 (never); 30 s is raised to the 1 min minimum; 2 m stays', () => {
    expect(settings({}).deregisterAfterMs).toBe(0);
    expect(settings({ deregister_critical_service_after: '30s' }).deregisterAfterMs).toBe(60_000);
    expect(settings({ deregister_critical_service_after: '2m' }).deregisterAfterMs).toBe(120_000);
  });
  it('suspicion min: 4 s up to 10 members; 20 → 4 × 1301 ms (Duration(1.30103 × 1000)) = 5.204 s; 100 → 8 s; 1000 → 12 s', () => {
    const s = settings({});
    expect([3, 10, 20, 100, 1000].map((n) => suspicionMinUs(s, n))).toEqual([4_000_000, 4_000_000, 5_204_000, 8_000_000, 12_000_000]);
  });
  it('confirmations wanted: 0 below 4 members, then 4 − 2 = 2; timeouts 24 s, 11.381 s (24 − 0.6309 × 20), 4 s', () => {
    const s = settings({});
    expect([3, 4, 10].map((n) => confirmationsWanted(s, n))).toEqual([0, 2, 2]);
    expect([0, 1, 2].map((c) => suspicionTimeoutUs(4_000_000, 24_000_000, c, 2))).toEqual([24_000_000, 11_381_000, 4_000_000]);
  });
  it('a broadcast is sent 4 × ceil(log10(n + 1)) times: 4 for 3 members, 8 for 10, 12 for 100', () => {
    const s = settings({});
    expect([3, 10, 100].map((n) => retransmitLimit(s, n))).toEqual([4, 8, 12]);
  });
});

describe('consul › done-when › the application crashes: the TTL check goes critical, the reaper deregisters', () => {
  const { result, trace } = run({ set: { ...FIXED, deregister_critical_service_after: '1m' }, faults: ['crash@65s'] });
  const m = result.metrics;
  it('passes at 0, 10 … 60 s; the last before the crash at 60 s; critical on the agent at 60 + 30 = 90 s', () => {
    expect(at(trace, 'check.update', 'c1')).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    expect(at(trace, 'check.critical', 'c1')).toEqual([90_000]);
  });
  it('the status change is synced at once: unhealthy at the server at 90.001 s; the waiting watch answers at 90.002 s', () => {
    expect(m.serverUnhealthyAtMs).toBe(90_001);
    expect(m.subscriberUpdatedAtMs).toBe(90_002);
    expect(m.staleMs).toBe(25_002);
  });
  it('reaper ticks at 30, 60 … s: at 150 s it has been critical exactly 60 s (not more), so 180 s; removed at 180.001 s', () => {
    expect(at(trace, 'agent.deregister', 'c1')).toEqual([180_000]);
    expect(m.serverRemovedAtMs).toBe(180_001);
    expect(m.detectionMs).toBe(115_001);
  });
  it('inside the windows: unhealthy [T − U + d, T + d] = (20.001, 30.001], removed (T − U + D + d, T + D + R + d]', () => {
    expect(result.bounds?.unhealthyFromFault).toEqual({ kind: 'within', interval: { lowerMs: 20_000.999, upperMs: 30_001 } });
    expect(result.bounds?.removedFromFault).toEqual({ kind: 'within', interval: { lowerMs: 80_000.999, upperMs: 120_001 } });
  });
  it('the gossip does not notice: the agent is a process of its own and keeps answering probes', () => {
    expect(trace.some((e) => e.kind === 'memberlist.suspect' && e.data?.node === 'c1')).toBe(false);
  });
});

describe('consul › done-when › deregister_critical_service_after', () => {
  it('30 s acts as 1 min: the same removal at 180.001 s', () => {
    const { result } = run({ set: { ...FIXED, deregister_critical_service_after: '30s' }, faults: ['crash@65s'] });
    expect(result.metrics.serverRemovedAtMs).toBe(180_001);
  });
  it('2 min: critical since 90 s, the tick at 210 s is exactly 120 s (not more): 240 s, removed at 240.001 s', () => {
    const { result } = run({ set: { ...FIXED, deregister_critical_service_after: '2m' }, faults: ['crash@65s'], until: '5m' });
    expect(result.metrics.serverRemovedAtMs).toBe(240_001);
  });
  it('unset (the default): the critical service stays in the catalog — never removed, and the bound says never', () => {
    const { result } = run({ set: FIXED, faults: ['crash@65s'] });
    expect(result.metrics.serverUnhealthyAtMs).toBe(90_001);
    expect(result.metrics.serverRemovedAtMs).toBeNull();
    expect(result.bounds?.removedFromFault.kind).toBe('never');
  });
});

describe('consul › done-when › an HTTP check (interval 10 s, timeout 10 s): the agent asks the application', () => {
  const HTTP = { ...FIXED, 'sim.checkType': 'http' };
  const checks = (trace: readonly TraceEvent[]) => at(trace, 'check.update', 'c1');
  it('checks at a random stagger s0 < 10 s, then 10 s after each ended (a running application answers at once)', () => {
    const { trace } = run({ set: HTTP, until: '1m' });
    const c = checks(trace);
    expect(c[0]).toBeLessThan(10_000);
    expect(c).toEqual(c.map((_, k) => (c[0] as number) + k * 10_000));
  });
  it('crash at 65 s: the first check after it is refused, critical at once; unhealthy a leg later', () => {
    const { result, trace } = run({ set: HTTP, faults: ['crash@65s'] });
    const first = checks(trace).find((t) => t >= 65_000) as number;
    expect(first - 65_000).toBeLessThanOrEqual(10_000);
    expect(at(trace, 'check.critical', 'c1')).toEqual([first]);
    expect(result.metrics.serverUnhealthyAtMs).toBe(first + 1);
    expect(result.bounds?.unhealthyFromFault).toEqual({ kind: 'within', interval: { lowerMs: 0.999, upperMs: 10_001 } });
  });
  it('pause from 65 s: that check hangs until the 10 s timeout, the next starts 10 s later and hangs again', () => {
    const { result, trace } = run({ set: HTTP, faults: ['pause@65s-300s'] });
    const first = checks(trace).find((t) => t >= 65_000) as number;
    expect(at(trace, 'check.critical', 'c1')).toEqual([first + 10_000]);
    expect(checks(trace).filter((t) => t > first)[0]).toBe(first + 20_000);
    expect(result.metrics.serverUnhealthyAtMs).toBe(first + 10_001);
    expect(result.bounds?.unhealthyFromFault).toEqual({ kind: 'within', interval: { lowerMs: 10_000.999, upperMs: 20_001 } });
  });
});

describe('consul › done-when › a node cut at 60 s: probe failure, suspicion, dead; serfHealth critical', () => {
  const { result, trace } = run({ set: FIXED, faults: ['cut@60s'], until: '100s' });
  const m = result.metrics;
  it('every failed probe of c1 fails exactly one probe interval after it started on a whole second, at or after the cut', () => {
    const fails = trace.filter((e) => e.kind === 'probe.fail' && e.data?.node === 'c1');
    expect(fails.length).toBeGreaterThan(0);
    for (const f of fails) {
      expect(f.t % 1_000_000).toBe(0);
      expect(f.t).toBeGreaterThanOrEqual(61_000_000);
    }
  });
  it('3 members: no confirmations wanted, so each suspicion of c1 ends 4 s after it began, and the server turns serfHealth critical then', () => {
    const suspect = at(trace, 'memberlist.suspect', 's1', aboutC1);
    const dead = at(trace, 'memberlist.dead', 's1', aboutC1);
    expect(suspect).toHaveLength(1);
    expect(dead).toHaveLength(1);
    const heard = trace.find((e) => e.kind === 'memberlist.dead' && e.host === 's1' && e.data?.node === 'c1')?.data?.from;
    if (heard === 's1') expect((dead[0] as number) - (suspect[0] as number)).toBe(4_000);
    expect(m.serverUnhealthyAtMs).toBe(dead[0]);
  });
  it('inside the window (I + S_min − d, (2M − 3)·I + I + S_min] = (4.998999, 8] s after the cut; the watch answers a leg later', () => {
    expect(result.bounds?.unhealthyFromFault).toEqual({ kind: 'within', interval: { lowerMs: 4_998.999, upperMs: 8_000 } });
    const after = (m.serverUnhealthyAtMs as number) - 60_000;
    expect(after).toBeGreaterThan(4_998.999);
    expect(after).toBeLessThanOrEqual(8_000);
    expect(m.subscriberUpdatedAtMs).toBe((m.serverUnhealthyAtMs as number) + 1);
  });
  it('the cut-off agent keeps its check passing and cannot reap: the service is never removed', () => {
    expect(at(trace, 'check.critical', 'c1')).toEqual([]);
    expect(m.serverRemovedAtMs).toBeNull();
    expect(result.bounds?.removedFromFault.kind).toBe('never');
  });
});

describe('consul › done-when › Lifeguard: confirmations shorten the suspicion, missing nacks raise the local health score', () => {
  const { trace } = run({ set: FIXED, faults: ['cut@60s'], clients: 2, until: '100s' });
  it('4 members: each suspicion of c1 ends 24 s, 11.381 s or 4 s after it began, by its 0, 1 or 2 confirmations', () => {
    const byConfirmations = [24_000, 11_381, 4_000];
    const ends = trace.filter((e) => e.kind === 'memberlist.suspect-timeout' && e.data?.node === 'c1');
    expect(ends.length).toBeGreaterThan(0);
    for (const end of ends) {
      const began = trace.findLast((e) => e.kind === 'memberlist.suspect' && e.host === end.host && e.data?.node === 'c1' && e.t <= end.t);
      expect((end.t - (began?.t as number)) / 1000).toBe(byConfirmations[end.data?.confirmations as number]);
    }
  });
  it('a failed probe of c1 expects a nack from each indirect prober, which comes 2 × 500 ms + 2 legs after the ping: after the 1 s deadline', () => {
    const fail = trace.find((e) => e.kind === 'probe.fail' && e.host === 's1' && e.data?.node === 'c1');
    expect(fail?.data).toEqual({ node: 'c1', nacks: 0, expectedNacks: 2 });
    const score = trace.find((e) => e.kind === 'memberlist.health' && e.host === 's1' && e.t === fail?.t);
    expect(score?.data?.score).toBe(2);
  });
});

describe('consul › done-when › a cut that heals: Serf reconnects and the node is passing again', () => {
  const { result, trace } = run({ set: FIXED, faults: ['cut@60s-100s'], until: '200s' });
  it('c1 has seen both members fail, so failed / alive = 2 / 1 and it tries at every 30 s tick: 90 s (still cut), 120 s; then none is failed', () => {
    expect(at(trace, 'serf.reconnect', 'c1')).toEqual([90_000, 120_000]);
  });
  it('the others forgot c1 30 s after declaring it dead (resetNodes), so its push/pull state adds it as alive: serfHealth passing by 120.2 s (one gossip round)', () => {
    const healthy = at(trace, 'instance.healthy', 's1', aboutC1);
    expect(healthy).toHaveLength(1);
    expect(healthy[0]).toBeGreaterThan(120_000);
    expect(healthy[0]).toBeLessThanOrEqual(120_202);
    expect(result.metrics.flaps).toBe(1);
  });
});

describe('consul › determinism', () => {
  it('same inputs and seed: the same bytes; another seed: other start phases and shuffles, another trace', () => {
    const input = { faults: ['cut@60s'], clients: 3, until: '2m' };
    expect(JSON.stringify(run(input).result)).toBe(JSON.stringify(run(input).result));
    expect(run({ ...input, seed: 2 }).result.traceHash).not.toBe(run(input).result.traceHash);
  });
});
