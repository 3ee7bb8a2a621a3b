import { describe, expect, it } from 'vitest';
import { k8sSettings } from '../src/models/kubernetes/settings.js';
import { parseVersion, type Version } from '../src/models/version.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

/**
 * Issue 18's done-when for kubernetes. Expected numbers derived from kubernetes/kubernetes
 * v1.31.0 / v1.32.0, not read off a run:
 *   nodeLeaseDurationSeconds 40, renewInterval = 40 × 0.25 = 10 s (pkg/kubelet/kubelet.go), each
 *   wait 10 s × (1 + U[0, 0.04)) after the renewal returned (lease controller, JitterUntil sliding);
 *   node-monitor-period 5 s; node-monitor-grace-period 50 s from v1.32.0 (40 s at v1.31.0);
 *   tryUpdateNodeHealth: probeTimestamp = the pass that first sees the new renewTime, Unknown at
 *   the first pass with now > probeTimestamp + grace: with the monitor phase 0 the passes are the
 *   multiples of 5 s, so a renewal heard at h is seen at p0 = ⌈h / 5 s⌉·5 s and the node (and in
 *   the same pass its pod, MarkPodsNotReady) turns not Ready at p0 + 55 s (p0 + 45 s at v1.31.0);
 *   processTaintBaseEviction reads the old condition: the next pass (p0 + 60 s) queues the taint,
 *   the 100 ms tainting pass sets it, the taint eviction controller deletes the pod 300 s later;
 *   readiness probe: period 10 s, timeout 1 s, failureThreshold 3 (SetDefaults_Probe).
 * With `net.latency=fixed:1ms` every call takes 1 ms each way; `iptables.minSyncPeriod=0` makes
 * kube-proxy apply a slice the moment it arrives.
 */
const FIXED = { 'net.latency': 'fixed:1ms', 'sim.server.monitorPhase': '0ms', 'sim.probePhase': '5000ms' };
const NOW = { ...FIXED, 'iptables.minSyncPeriod': '0ms' };
const run = (input: Partial<ScenarioFile>) => runScenario(resolveScenario({ model: 'kubernetes', seed: 1, until: '8m', ...input }));
const at = (trace: readonly { t: number; kind: string; host: string; data?: Record<string, unknown> }[], kind: string, key: string, value: string) =>
  trace.filter((e) => e.kind === kind && e.data?.[key] === value).map((e) => e.t / 1000);

describe('kubernetes › done-when › defaults by release', () => {
  const settings = (v: string, set: Record<string, string> = {}) =>
    k8sSettings(resolveScenario({ model: 'kubernetes', set, serverVersion: v }).config, parseVersion(v) as Version);
  it('renew interval 10 s (0.25 × 40 s); grace 40 s at 1.31.0, 50 s at 1.32.0; an explicit grace wins', () => {
    expect(settings('1.32.0').renewIntervalMs).toBe(10_000);
    expect(settings('1.31.0').graceMs).toBe(40_000);
    expect(settings('1.32.0').graceMs).toBe(50_000);
    expect(settings('1.32.0', { 'node-monitor-grace-period': '20s' }).graceMs).toBe(20_000);
    expect(settings('1.32.0', { nodeLeaseDurationSeconds: '20' }).renewIntervalMs).toBe(5_000);
  });
});

describe('kubernetes › done-when › cut at 60 s: the lease path', () => {
  const { result, trace } = run({ set: FIXED, faults: ['cut@60s'], clients: 2 });
  const m = result.metrics;
  const renewals = at(trace, 'beat.recv', 'instance', 'c1');
  const h = renewals.filter((t) => t <= 60_000).at(-1) as number;
  const p0 = Math.ceil(h / 5000) * 5000;
  it('renewals heard every [10.002, 10.402) s from 1 ms; the last one before the cut in (60 − 10.402 + 0.001, 60.001) s', () => {
    expect(renewals[0]).toBe(1);
    for (let i = 1; i < renewals.length; i++) {
      expect((renewals[i] as number) - (renewals[i - 1] as number)).toBeGreaterThanOrEqual(10_002);
      expect((renewals[i] as number) - (renewals[i - 1] as number)).toBeLessThan(10_402);
    }
    expect(h).toBeGreaterThan(49_599);
    expect(h).toBeLessThan(60_001);
    expect(m.lastHeardAtMs).toBe(h);
  });
  it('node Unknown and pod NotReady at the pass p0 + 55 s (p0 the first multiple of 5 s at or after it)', () => {
    expect(at(trace, 'node.unknown', 'node', 'c1')).toEqual([p0 + 55_000]);
    expect(m.serverUnhealthyAtMs).toBe(p0 + 55_000);
  });
  it('pod deleted 300 s after the taint, the taint within 100 ms after the next pass: (p0 + 360, p0 + 360.1] s', () => {
    const taint = at(trace, 'node.taint', 'node', 'c1')[0] as number;
    expect(taint).toBeGreaterThan(p0 + 60_000);
    expect(taint).toBeLessThanOrEqual(p0 + 60_100);
    expect(m.serverRemovedAtMs).toBe(taint + 300_000);
  });
  it('kube-proxy drops the endpoint 1 ms (the watch leg) to 1.001 s (min sync) after the NotReady', () => {
    expect(m.subscriberUpdatedAtMs).toBeGreaterThanOrEqual(p0 + 55_001);
    expect(m.subscriberUpdatedAtMs).toBeLessThanOrEqual(p0 + 56_001);
    expect(run({ set: NOW, faults: ['cut@60s'], clients: 2 }).result.metrics.subscriberUpdatedAtMs).toBe(p0 + 55_001);
  });
  it('the analytic windows: NotReady (55 − 10.402 + 0.001 − 0.000001, 60 + 0.001] s after the cut (1 ms legs, 1 µs widening), eviction + 5 s + (0, 0.1] s + 300 s', () => {
    expect(result.bounds?.unhealthyFromFault).toEqual({ kind: 'within', interval: { lowerMs: 44_598.999, upperMs: 60_001 } });
    expect(result.bounds?.removedFromFault).toEqual({ kind: 'within', interval: { lowerMs: 349_598.999, upperMs: 365_101 } });
    expect(result.bounds?.unhealthyFromLastHeard).toEqual({ kind: 'within', interval: { lowerMs: 54_999.999, upperMs: 60_000 } });
  });
  it('at 1.31.0 the grace is 40 s: NotReady at p0 + 45 s', () => {
    const old = run({ set: FIXED, faults: ['cut@60s'], clients: 2, serverVersion: '1.31.0', clientVersion: '1.31.0' });
    expect(old.result.metrics.serverUnhealthyAtMs).toBe(p0 + 45_000);
  });
});

describe('kubernetes › done-when › a cut that heals before the toleration runs out', () => {
  it('cut@60s-200s: the node comes back Ready, the taint goes and the eviction is cancelled', () => {
    const { result, trace } = run({ set: FIXED, faults: ['cut@60s-200s'], clients: 2 });
    // Sends are at most max(timeout 10 s, 10.4 s wait) apart: the first after 200 s is in (200, 210.4] s, answered 2 ms later
    // (the answer says node and pod are not Ready); the kubelet's 10 s status batch sends both: heard by 220.403 s.
    const back = at(trace, 'instance.healthy', 'instance', 'c1');
    expect(back.length).toBe(1);
    expect(back[0]).toBeGreaterThan(200_000);
    expect(back[0]).toBeLessThanOrEqual(220_403);
    const untaint = at(trace, 'node.untaint', 'node', 'c1')[0] as number;
    // The next monitor pass sees the node Ready (markNodeAsReachable): within 5 s of it.
    expect(untaint).toBeGreaterThan(200_000);
    expect(untaint).toBeLessThanOrEqual(225_403);
    expect(result.metrics.serverRemovedAtMs).toBeNull();
  });
});

describe('kubernetes › done-when › zone disruption stops the taints', () => {
  it('one node: not Ready, no node of the zone is Ready: fully disrupted, never tainted, never evicted', () => {
    const { result, trace } = run({ set: FIXED, faults: ['cut@60s'] });
    expect(result.metrics.serverUnhealthyAtMs).not.toBeNull();
    expect(result.metrics.serverRemovedAtMs).toBeNull();
    expect(trace.some((e) => e.kind === 'zone.disruption' && e.data?.state === 'full')).toBe(true);
    expect(trace.some((e) => e.kind === 'node.taint')).toBe(false);
    expect(result.bounds?.removedFromFault.kind).toBe('never');
  });
  it('3 of 5 nodes cut: more than 2 and 3/5 ≥ 0.55 is a partial disruption; 5 ≤ 50 nodes: rate 0, no taint', () => {
    const { result, trace } = run({ set: FIXED, faults: ['rack-cut:c1..c3@60s'], clients: 5 });
    expect(trace.some((e) => e.kind === 'zone.disruption' && e.data?.state === 'partial')).toBe(true);
    expect(trace.some((e) => e.kind === 'node.taint')).toBe(false);
    expect(result.metrics.serverRemovedAtMs).toBeNull();
  });
});

describe('kubernetes › done-when › the readiness probe: the app fails, the node does not', () => {
  it('pause@62s: probes at 5 + 10k s; 65, 75 and 85 s fail at +1 s: NotReady sent at 86 s, heard 86.001 s; the lease path never fires', () => {
    const { result, trace } = run({ set: NOW, faults: ['pause@62s-300s'], clients: 2 });
    expect(result.metrics.serverUnhealthyAtMs).toBe(86_001);
    expect(result.metrics.subscriberUpdatedAtMs).toBe(86_002);
    expect(trace.some((e) => e.kind === 'node.unknown')).toBe(false);
    expect(result.metrics.serverRemovedAtMs).toBeNull();
    // The pause ends at 300 s; the probe at 305 s passes: Ready again at 305.001 s.
    expect(at(trace, 'instance.healthy', 'instance', 'c1')).toEqual([305_001]);
    expect(result.bounds?.unhealthyFromFault).toEqual({ kind: 'within', interval: { lowerMs: 21_000.999, upperMs: 31_001 } });
  });
  it('crash@60.5s: the PLEG relist at 61 s sees the container gone: NotReady heard at 61.001 s', () => {
    const { result } = run({ set: NOW, faults: ['crash@60500ms'], clients: 2 });
    expect(result.metrics.serverUnhealthyAtMs).toBe(61_001);
    expect(result.metrics.subscriberUpdatedAtMs).toBe(61_002);
  });
  it('a node network cut is not seen by the probe: with the app running, only the lease path marks it', () => {
    const { trace } = run({ set: FIXED, faults: ['cut@60s'], clients: 2 });
    expect(trace.some((e) => e.kind === 'pod.readiness' && e.host === 'c1' && e.data?.ready === false)).toBe(false);
  });
  it('oneway:s2c: every renewal still reaches the API server: never NotReady', () => {
    const { result } = run({ set: FIXED, faults: ['oneway:s2c@60s'], clients: 2 });
    expect(result.metrics.serverUnhealthyAtMs).toBeNull();
    expect(result.bounds?.unhealthyFromFault.kind).toBe('never');
  });
});

describe('kubernetes › determinism', () => {
  it('same inputs and seed: the same bytes; another seed: another jitter and phases, another trace', () => {
    const input = { faults: ['cut@60s'], clients: 3 };
    expect(JSON.stringify(run(input).result)).toBe(JSON.stringify(run(input).result));
    expect(run({ ...input, seed: 2 }).result.traceHash).not.toBe(run(input).result.traceHash);
  });
});
