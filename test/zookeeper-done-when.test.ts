import { describe, expect, it } from 'vitest';
import { zkSettings } from '../src/models/zookeeper/settings.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

/**
 * Issue 18's done-when for zookeeper. Expected numbers derived from apache/zookeeper
 * release-3.9.3 and apache/curator apache-curator-5.9.0, not read off a run:
 *   tickTime 3000 (ZooKeeperServer.DEFAULT_TICK_TIME); session asked 60 000 (Curator
 *   DEFAULT_SESSION_TIMEOUT_MS), granted within [2, 20] ticks (processConnectRequest): 60 s;
 *   readTimeout = 60 000 · 2 / 3 = 40 s (ClientCnxn); a ping after readTimeout / 2 = 20 s without a send;
 *   a touch at h puts the session in bucket roundToNextInterval(h + T) = the next multiple of the
 *   tick strictly after h + T (ExpiryQueue), expired at that instant (SessionTrackerImpl.run).
 * With `net.latency=fixed:1ms` every message takes 1 ms: c1 connects at 0, its answer lands at
 * 2 ms and it sends its create then (heard at 3 ms); pings leave at 2 ms + k·20 s.
 */
const FIXED = { 'net.latency': 'fixed:1ms', 'sim.server.tickPhase': '0ms' };
const run = (input: Partial<ScenarioFile>) => runScenario(resolveScenario({ model: 'zookeeper', seed: 1, until: '5m', ...input }));

describe('zookeeper › done-when › session timeout negotiation', () => {
  const settings = (set: Record<string, string>) => zkSettings(resolveScenario({ model: 'zookeeper', set }).config);
  it('Curator asks 60 s, tickTime 3 s grants it (max 20 ticks = 60 s); tickTime 2 s cuts it to 40 s; 1 s is raised to 2 ticks', () => {
    expect(settings({}).sessionMs).toBe(60_000);
    expect(settings({ tickTime: '2s' }).sessionMs).toBe(40_000);
    expect(settings({ 'curator-default-session-timeout': '1s' }).sessionMs).toBe(6_000);
  });
  it('readTimeout 2/3 of it, a ping after half of that', () => {
    expect(settings({}).readTimeoutMs).toBe(40_000);
    expect(settings({}).pingAfterMs).toBe(20_000);
  });
});

describe('zookeeper › done-when › cut: the session expires in its bucket, the node and the consumers’ view follow', () => {
  const { result, trace } = run({ set: FIXED, faults: ['cut@90s'] });
  const m = result.metrics;
  it('pings heard every 20 s at 20.003, 40.003, 60.003, 80.003 s; the last before the cut at 80.003 s', () => {
    const pings = trace.filter((e) => e.kind === 'beat.recv' && e.data?.instance === 'c1').map((e) => e.t / 1000);
    expect(pings).toEqual([20_003, 40_003, 60_003, 80_003]);
    expect(m.lastHeardAtMs).toBe(80_003);
  });
  it('expiry: the next multiple of 3 s after 80.003 + 60 = 140.003 s is 141 s: removed then, detection 51 s', () => {
    expect(m.serverRemovedAtMs).toBe(141_000);
    expect(m.detectionMs).toBe(51_000);
  });
  it('the watch fires at 141 s: event, getChildren, answer — the view drops c1 at 141.003 s', () => {
    expect(m.subscriberUpdatedAtMs).toBe(141_003);
  });
  it('c1 gives up its connection readTimeout after its last pong (80.004 s): 120.004 s', () => {
    expect(m.clientDetectedAtMs).toBe(120_004);
  });
  it('inside the analytic windows: (T, T + tick] after the last heard, (T − P + d, T + tick + d] from the fault', () => {
    expect(result.bounds?.removedFromLastHeard).toEqual({ kind: 'within', interval: { lowerMs: 60_000, upperMs: 63_000 } });
    expect(result.bounds?.removedFromFault).toEqual({ kind: 'within', interval: { lowerMs: 40_001, upperMs: 63_001 } });
  });
});

describe('zookeeper › done-when › a deadline exactly on a bucket boundary waits a whole tick', () => {
  it('tick phase 2.003 s puts a boundary at 140.003 s = 80.003 + 60: the bucket is the next one, 143.003 s (T + tick after the last heard)', () => {
    const { result } = run({ set: { ...FIXED, 'sim.server.tickPhase': '2003ms' }, faults: ['cut@90s'] });
    expect(result.metrics.serverRemovedAtMs).toBe(143_003);
  });
});

describe('zookeeper › done-when › other faults', () => {
  it('oneway:s2c: pings renew the session until the client, unheard for 4/3·60 = 80 s, gives it up and asks for a new one; the old one then expires', () => {
    const { result, trace } = run({ set: FIXED, faults: ['oneway:s2c@90s'] });
    // Last pong heard 80.004 s → client-side expiry at 160.004 s; the old session's last touch is its
    // reconnect after the read timeout (120.004 s + a sleep below 1 s), so it expires by 120.004 + 1 + 60 + 3 s.
    expect(trace.some((e) => e.kind === 'client.session-expired' && e.t === 160_004_000)).toBe(true);
    expect(result.metrics.serverRemovedAtMs).toBeGreaterThan(180_004);
    expect(result.metrics.serverRemovedAtMs).toBeLessThanOrEqual(184_004);
    expect(result.bounds?.removedFromFault.kind).toBe('no-bound');
  });
  it('a cut that heals: the client expired its own session (4/3 T without hearing), opens a new one and creates its node again', () => {
    const { result } = run({ set: FIXED, faults: ['cut@90s-200s'] });
    expect(result.metrics.serverRemovedAtMs).toBe(141_000);
    expect(result.metrics.reRegistrations).toBe(1);
  });
});

describe('zookeeper › determinism', () => {
  it('same inputs and seed: the same bytes; another seed: another tick phase, another trace', () => {
    const input = { faults: ['cut@90s'], clients: 3 };
    expect(JSON.stringify(run(input).result)).toBe(JSON.stringify(run(input).result));
    expect(run({ ...input, seed: 2 }).result.traceHash).not.toBe(run(input).result.traceHash);
  });
});
