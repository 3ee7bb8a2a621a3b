import { describe, expect, it } from 'vitest';
import { diagnose } from '../src/diagnose/diagnose.js';
import { etcdSettings } from '../src/models/etcd/settings.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

/**
 * Issue 18's done-when for etcd. Expected numbers derived by hand from etcd-io/etcd v3.6.14
 * (v3.5.33 alike), not read off a run:
 *   - concurrency.NewSession: Grant(TTL = 60, defaultSessionTTL), then KeepAlive(id);
 *   - client/v3 lease.go: KeepAlive sets nextKeepAlive = now, deadline = now + 5 s; the send loop
 *     runs at once and then every 500 ms (retryConnWait), sending when nextKeepAlive is before now;
 *     an answer sets nextKeepAlive = now + TTL/3 (20 s) and deadline = now + TTL; deadlineLoop
 *     runs every 1 s from KeepAlive and closes a keepalive whose deadline is before now;
 *   - server lessor.go: Renew sets expiry = now + TTL; runLoop every 500 ms revokes the leases with
 *     now ≥ expiry (Lease.expired: Remaining() <= 0); server.go: minLeaseTTL =
 *     ceil(((3 × electionTicks) / 2) × heartbeat) s.
 * With `net.latency=fixed:1ms` every message takes 1 ms and `sim.server.lessorPhase=0ms` puts the
 * lessor's passes at multiples of 500 ms. c1: Grant at 0 (heard 1 ms), answer at 2 ms, KeepAlive
 * then: send-loop passes at 0.002 s + k·0.5 s, deadline passes at 0.002 s + k·1 s. The first
 * keepalive leaves at 2 ms (heard 3 ms, answered 4 ms → next due 20.004 s); the pass at 20.002 s is
 * before that, so 20.502 s sends (heard 20.503, answered 20.504 → due 40.504); 40.502 s is
 * before, so 41.002 s (heard 41.003, answered 41.004 → due 61.004: after a cut at 60 s).
 */
const FIXED = { 'net.latency': 'fixed:1ms', 'sim.server.lessorPhase': '0ms' };
const run = (input: Partial<ScenarioFile>) => runScenario(resolveScenario({ model: 'etcd', seed: 1, until: '5m', ...input }), { trace: 'all' });
const settings = (set: Record<string, string>) => etcdSettings(resolveScenario({ model: 'etcd', set }).config);

describe('etcd › done-when › minimum TTL and the keepalive interval', () => {
  it('defaults: 100 ms ticks, 1000 ms election → 10 ticks → (3·10)/2 = 15 ticks = 1.5 s → 2 s', () => {
    expect(settings({}).minTtlS).toBe(2);
    expect(settings({}).ttlS).toBe(60);
  });
  it('the ticks are divided as integers before the rounding: 1 s ticks, 5 s election → (3·5)/2 = 7 ticks = 7 s (not 7.5 → 8)', () => {
    expect(settings({ 'heartbeat-interval': '1000ms', 'election-timeout': '5000ms' }).minTtlS).toBe(7);
  });
  it('700 ms ticks, 3500 ms election → 5 ticks → 7 ticks = 4.9 s → 5 s (1.5 × 3.5 s = 5.25 would give 6)', () => {
    expect(settings({ 'heartbeat-interval': '700ms', 'election-timeout': '3500ms' }).minTtlS).toBe(5);
  });
  it('a TTL asked below the minimum is granted the minimum: 1 s → 2 s, keepalives after 2/3 s', () => {
    expect(settings({ 'concurrency.WithTTL': '1' }).ttlS).toBe(2);
    expect(settings({ 'lease-ttl': '1' }).keepAliveAfterUs).toBe(666_666);
  });
  it('the election timeout must be at least 5 heartbeats (embed.Config.Validate)', () => {
    expect(() => resolveScenario({ model: 'etcd', set: { 'election-timeout': '400ms' } })).toThrow(/at least as 5 times/);
  });
});

describe('etcd › done-when › cut at 60 s: the lease is revoked at the first pass at or after its expiry', () => {
  const { result, trace } = run({ set: FIXED, faults: ['cut@60s'] });
  const m = result.metrics;
  it('keepalives heard at 0.003, 20.503 and 41.003 s; the key put at 3 ms', () => {
    const beats = trace.filter((e) => e.kind === 'beat.recv' && e.data?.instance === 'c1').map((e) => e.t / 1000);
    expect(beats).toEqual([3, 20_503, 41_003]);
    expect(trace.find((e) => e.kind === 'instance.register')?.t).toBe(3_000);
    expect(m.lastHeardAtMs).toBe(41_003);
  });
  it('expiry 41.003 + 60 = 101.003 s; the pass at 101.0 s is before it, 101.5 s revokes: detection 41.5 s', () => {
    expect(m.serverRemovedAtMs).toBe(101_500);
    expect(m.detectionMs).toBe(41_500);
  });
  it('the watcher hears the delete one leg later: 101.501 s', () => {
    expect(m.subscriberUpdatedAtMs).toBe(101_501);
  });
  it('c1’s deadline 41.004 + 60 = 101.004 s; the deadline pass at 101.002 s is before it, 102.002 s closes the session', () => {
    expect(m.clientDetectedAtMs).toBe(102_002);
  });
  it('while unanswered, c1 sends a keepalive every pass: from 61.502 s to 101.502 s, 81 sends lost in the cut', () => {
    const sent = trace.filter(
      (e) => e.kind === 'net.send' && e.host === 'c1' && e.data?.kind === 'etcd.lease-keepalive' && e.t >= 60_000_000 && e.t < 102_000_000,
    );
    expect(sent.length).toBe(81);
    expect(sent[0]?.t).toBe(61_502_000);
  });
  it('the analytic windows: [TTL, TTL + 500 ms) after the last keepalive heard; from the fault (TTL + d − G, TTL + 500 ms + d]', () => {
    // G = 2d + TTL/3 + 500 ms = 20.502 s: (60 + 0.001 − 20.502 − 1 µs, 60 + 0.5 + 0.001].
    expect(result.bounds?.removedFromLastHeard).toEqual({ kind: 'within', interval: { lowerMs: 59_999.999, upperMs: 60_500 } });
    expect(result.bounds?.removedFromFault).toEqual({ kind: 'within', interval: { lowerMs: 39_498.999, upperMs: 60_501 } });
    expect(result.bounds?.staleFromFault).toEqual({ kind: 'within', interval: { lowerMs: 39_499.999, upperMs: 60_502 } });
  });
});

describe('etcd › done-when › where the passes fall', () => {
  it('a pass exactly at the expiry (phase 3 ms: 101.003 s) revokes then: TTL after the last keepalive heard', () => {
    expect(run({ set: { ...FIXED, 'sim.server.lessorPhase': '3ms' }, faults: ['cut@60s'] }).result.metrics.serverRemovedAtMs).toBe(101_003);
  });
  it('a pass 1 ms before it (phase 2 ms: 101.002 s) waits for the next: 101.502 s, TTL + 499 ms', () => {
    expect(run({ set: { ...FIXED, 'sim.server.lessorPhase': '2ms' }, faults: ['cut@60s'] }).result.metrics.serverRemovedAtMs).toBe(101_502);
  });
});

describe('etcd › done-when › a TTL below the minimum', () => {
  it('TTL 1 granted 2 s: keepalives due 2/3 s after each answer leave on the next pass, every 1 s (3 ms, 1.003, …, 9.003 s); a cut at 10 s: expiry 11.003 s, revoked at 11.5 s', () => {
    const { result, trace } = run({ set: { ...FIXED, 'concurrency.WithTTL': '1' }, faults: ['cut@10s'], until: '30s' });
    // answer at 0.004 → due 0.670666; passes 0.502 (before), 1.002 → heard 1.003; answer 1.004 → due 1.670666 → 2.002 …
    const beats = trace.filter((e) => e.kind === 'beat.recv').map((e) => e.t / 1000);
    expect(beats).toEqual([3, 1_003, 2_003, 3_003, 4_003, 5_003, 6_003, 7_003, 8_003, 9_003]);
    expect(result.metrics.serverRemovedAtMs).toBe(11_500);
  });
});

describe('etcd › done-when › other faults', () => {
  it('oneway:s2c: keepalives heard every 500 ms renew the lease until c1, unanswered since 41.004 s, closes its session at 102.002 s; the lease goes TTL after the last one heard', () => {
    const { result, trace } = run({ set: FIXED, faults: ['oneway:s2c@60s'] });
    expect(result.metrics.clientDetectedAtMs).toBe(102_002);
    // The send loop and the deadline loop both wake at 102.002 s: the last keepalive heard is
    // 101.503 s or 102.003 s, so the revoke is at the first pass at or after 161.503 s or 162.003 s.
    const lastBeat = trace.filter((e) => e.kind === 'beat.recv' && e.data?.instance === 'c1').at(-1)?.t;
    expect([101_503_000, 102_003_000]).toContain(lastBeat);
    expect([162_000, 162_500]).toContain(result.metrics.serverRemovedAtMs);
    expect(result.bounds?.removedFromFault.kind).toBe('no-bound');
  });
  it('a cut healed before the expiry (60–90 s): the next pass after the heal (90.002 s) renews the lease; nothing is removed', () => {
    const { result, trace } = run({ set: FIXED, faults: ['cut@60s-90s'] });
    expect(trace.find((e) => e.kind === 'beat.recv' && e.t > 60_000_000)?.t).toBe(90_003_000);
    expect(result.metrics.serverRemovedAtMs).toBeNull();
    expect(result.metrics.falseRemovals).toBe(0);
  });
  it('a cut healed after the expiry (60–200 s): revoked at 101.5 s; the new session’s Grant, sent each second from 102.002 s, gets through at 200.002 s and the key is put at 200.005 s', () => {
    const { result, trace } = run({ set: FIXED, faults: ['cut@60s-200s'] });
    expect(result.metrics.serverRemovedAtMs).toBe(101_500);
    expect(trace.filter((e) => e.kind === 'instance.register').map((e) => e.t)).toEqual([3_000, 200_005_000]);
    expect(result.metrics.reRegistrations).toBe(1);
  });
  it('a server pause over the expiry (60–130 s) with 600 clients: the first pass after it revokes the 500 earliest (revokeLimit = 1000 / 2); the other 100 have put their key with a new lease by the next pass', () => {
    const { trace } = run({ set: FIXED, clients: 600, faults: ['server-pause@60s-130s'], until: '3m' });
    const removed = trace.filter((e) => e.kind === 'instance.remove');
    expect(removed.length).toBe(500);
    expect(removed.every((e) => e.t === 130_000_000)).toBe(true);
  });
});

/**
 * Three members, s1 leading term 1, c1's connection on s1, sub1 watching on s2. Every entry
 * (LeaseGrant, Put, LeaseRevoke) is appended to the followers and committed at the first answer:
 * 2 legs; a follower applies it when the commit reaches it, a leg later. c1: Grant at 0 → s1 1 ms,
 * committed 3 ms, answered 4 ms; KeepAlive then (send passes at 0.004 s + k·0.5 s): keepalive
 * heard at 5 ms, answered 6 ms → due 20.006 → sent 20.504 (heard 20.505) → due 40.506 → sent
 * 41.004 (heard 41.005, answered 41.006 → due 61.006). Put at 4 ms → s1 5 ms → committed 7 ms.
 */
describe('etcd › done-when › a three-member cluster', () => {
  const cluster = (faults: string[]) => run({ set: FIXED, servers: 3, faults });
  it('cut at 60 s: expiry 101.005 s, the leader’s pass at 101.5 s proposes the revoke, committed 101.502 (s1 deletes), the followers 101.503; sub1 on s2 hears it at 101.504', () => {
    const { result, trace } = cluster(['cut@60s']);
    expect(trace.find((e) => e.kind === 'instance.register' && e.host === 's1')?.t).toBe(7_000);
    expect(trace.filter((e) => e.kind === 'beat.recv').map((e) => e.t / 1000)).toEqual([5, 20_505, 41_005]);
    expect(trace.filter((e) => e.kind === 'instance.remove').map((e) => `${e.host}@${e.t / 1000}`)).toEqual(['s1@101502', 's2@101503', 's3@101503']);
    expect(result.metrics.serverRemovedAtMs).toBe(101_503);
    expect(result.metrics.subscriberUpdatedAtMs).toBe(101_504);
  });
  it('the windows add the commit (2 legs) and the followers’ apply (1): (TTL + d − G + 3d, TTL + 500 ms + 4d] with G = 2d + TTL/3 + 500 ms', () => {
    // 60 000 + 1 − 20 502 + 3 − 0.001 = 39 501.999; 60 000 + 500 + 1 + 3 = 60 504.
    expect(cluster(['cut@60s']).result.bounds?.removedFromFault).toEqual({ kind: 'within', interval: { lowerMs: 39_501.999, upperMs: 60_504 } });
  });
  it('c1 dies at 60 s and the leader at 80 s: the new leader’s Promote gives the lease TTL + the election timeout from then — removal 41 s later than without the leader change', () => {
    const { result, trace } = cluster(['crash@60s', 'server-crash:s1@80s']);
    // The followers last heard s1 in (79.9, 80.001] s; a follower campaigns at its randomized
    // timeout, 10…19 of its 100 ms ticks later, in (80.8, 81.901] s; pre-vote and vote take 4 legs
    // and the no-op's commit 2 more: Promote in (80.806, 81.907] s when the first campaign wins.
    const promote = trace.find((e) => e.kind === 'lessor.promote')?.t as number;
    expect(promote).toBeGreaterThan(80_806_000);
    expect(promote).toBeLessThanOrEqual(81_907_000);
    // Expiry promote + 60 s + 1 s; the new leader's first pass (multiples of 500 ms) at or after
    // it proposes the revoke; committed 2 legs later, the other follower 1 leg after that.
    const pass = Math.ceil((promote + 61_000_000) / 500_000) * 500_000;
    expect(result.metrics.serverRemovedAtMs).toBe((pass + 3_000) / 1000);
    expect(result.metrics.serverRemovedAtMs).toBeGreaterThan(141_000);
  });
  it('the leader dies at 80 s with c1 alive: c1’s keepalive of 82.004 s meets the reset (82.006 s), its new stream sends at 82.506 s to s2, which forwards it to the new leader; nothing is removed', () => {
    const { result, trace } = cluster(['server-crash:s1@80s']);
    expect(trace.find((e) => e.kind === 'beat.recv' && e.host === 's2')?.t).toBe(82_507_000);
    expect(result.metrics.serverRemovedAtMs).toBeNull();
    expect(result.metrics.falseRemovals).toBe(0);
  });
});

describe('etcd › diagnose', () => {
  it('slow removal: a leader change 20 s after c1 dies reproduces it (Promote: TTL + 1 s from the election, > the 60.501 s window); a 10 s TTL fixes it', () => {
    const d = diagnose({ model: 'etcd', faults: ['crash@60s'] }, 'slow-removal');
    expect(d.slowAfterMs).toBe(60_501);
    const leader = d.causes.find((c) => c.id === 'etcd-leader-change');
    expect(leader?.reproduces).toBe(true);
    // Elected at least 0.8 s after the crash at 80 s: removal after 80.8 + 61 s, more than 81.8 s after the fault.
    expect(leader?.detectionMs as number).toBeGreaterThan(81_800);
    expect(leader?.remedy?.fixes).toBe(true);
  });
});

describe('etcd › determinism', () => {
  it('same inputs and seed: the same bytes; another seed: another lessor phase, another trace', () => {
    const input = { faults: ['cut@90s'], clients: 3 };
    const once = (i: Partial<ScenarioFile>) => runScenario(resolveScenario({ model: 'etcd', seed: 1, until: '5m', ...i }));
    expect(JSON.stringify(once(input).result)).toBe(JSON.stringify(once(input).result));
    expect(once({ ...input, seed: 2 }).result.traceHash).not.toBe(once(input).result.traceHash);
  });
  it('a cluster too: the same bytes for the same seed', () => {
    const input = { faults: ['crash@60s', 'server-crash:s1@80s'], servers: 3, clients: 3 };
    const once = (i: Partial<ScenarioFile>) => runScenario(resolveScenario({ model: 'etcd', seed: 1, until: '5m', ...i }));
    expect(JSON.stringify(once(input).result)).toBe(JSON.stringify(once(input).result));
  });
});
