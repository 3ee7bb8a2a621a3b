import { describe, expect, it } from 'vitest';
import { type Expectation, v1Bounds } from '../src/analysis/bounds.js';
import { distroHash, javaHashCode, mapSrv, responsible } from '../src/models/nacos-v1/cluster-members.js';
import { V1_CLUSTER_CONSTANTS } from '../src/models/nacos-v1/defaults.js';
import { parseLatency } from '../src/scenario/latency-dsl.js';
import { type RunOutput, resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';
import { latencyEnvelope } from '../src/sim/latency.js';
import { usToMs } from '../src/sim/time.js';
import type { TraceEvent } from '../src/sim/trace.js';

/**
 * Issue 7's 1.x cluster, from the reference (shared/reference/nacos-liveness.md §A3) and tag 1.4.8:
 * DistroMapper's hash of groupName@@serviceName over the sorted healthy members picks the one node
 * that sees the beats and judges them; the others hold copies synced after two half-periods of
 * taskDispatchPeriod (1 s + 1 s on the 100 ms engine tick) and learn health from its status reports;
 * MemberInfoReportTask (2 s, round-robin) takes a dead member out of the ring.
 */
const S = 1_000_000;
const SERVERS = ['s1', 's2', 's3'];
const TAG = 'DEFAULT_GROUP@@demo-service';
const LAN = latencyEnvelope(parseLatency('uniform:200us..1ms'));
const dmin = usToMs(LAN.minUs);
const dmax = usToMs(LAN.maxUs);
const TICK = V1_CLUSTER_CONSTANTS.distroEngineTickMs;
/** Two Distro delays of taskDispatchPeriod / 2 (default 2 s); an HTTP PUT lands after SYN, SYN-ACK and the request. */
const SYNC_MIN = 2000 + 3 * dmin;
const SYNC_MAX = 2000 + 2 * TICK + 3 * dmax;

const run = (over: Omit<ScenarioFile, 'model'>): RunOutput => runScenario(resolveScenario({ model: 'nacos-v1', servers: 3, ...over }));
const events = (o: RunOutput, kind: string, pred: (e: TraceEvent) => boolean = () => true): TraceEvent[] => o.trace.filter((e) => e.kind === kind && pred(e));
const ms = (e: TraceEvent | undefined): number => usToMs(e?.t as number);
const inside = (value: number, lowerMs: number, upperMs: number, what: string): void => {
  expect(value, `${what}: ${value} > ${lowerMs}`).toBeGreaterThan(lowerMs);
  expect(value, `${what}: ${value} ≤ ${upperMs}`).toBeLessThanOrEqual(upperMs);
};
const within = (e: Expectation): { lowerMs: number; upperMs: number } => {
  if (e.kind !== 'within') throw new Error(`expected a window, got ${e.kind}: ${e.why}`);
  return e.interval;
};

describe('nacos-v1 › cluster › DistroMapper', () => {
  it("uses Java's String.hashCode exactly", () => {
    // Values of java.lang.String.hashCode.
    expect(javaHashCode('')).toBe(0);
    expect(javaHashCode('hello')).toBe(99162322);
    expect(javaHashCode('Aa')).toBe(javaHashCode('BB'));
    expect(javaHashCode('polygenelubricants')).toBe(-2147483648);
    // Math.abs(Integer.MIN_VALUE % Integer.MAX_VALUE) = Math.abs(-1) = 1.
    expect(distroHash('polygenelubricants')).toBe(1);
    expect(distroHash('hello')).toBe(99162322);
  });

  it('a node is responsible iff the hash lands on its place in the healthy list; a node outside the list is responsible', () => {
    const target = distroHash(TAG) % 3;
    for (const [i, s] of SERVERS.entries()) expect(responsible(SERVERS, s, TAG)).toBe(i === target);
    expect(mapSrv(SERVERS, TAG)).toBe(SERVERS[target]);
    expect(responsible(['s2', 's3'], 's1', TAG)).toBe(true);
    expect(responsible([], 's1', TAG)).toBe(false);
  });
});

describe('nacos-v1 › cluster › the responsible node sees the beats and judges them', () => {
  it('beats reach only mapSrv(service) (proxied by the others); only it marks and deletes; the copies follow by Distro', () => {
    const o = run({ until: '3m', faults: ['cut@60s'] });
    const owner = mapSrv(SERVERS, TAG) as string;
    const beats = events(o, 'beat.recv', (e) => e.data?.instance === 'c1');
    expect(beats.length).toBeGreaterThan(5);
    expect(new Set(beats.map((e) => e.host))).toEqual(new Set([owner]));
    expect(events(o, 'instance.unhealthy', (e) => e.data?.reason === 'beat-timeout').map((e) => e.host)).toEqual([owner]);
    const removed = events(o, 'instance.remove', (e) => e.data?.instance === 'c1');
    const byOwner = removed.find((e) => e.host === owner);
    expect(byOwner?.data?.reason).toBe('expired');
    // The owner removes it as one server would, from the last beat it heard.
    const lastBeat = beats.filter((e) => e.t <= (byOwner?.t as number)).at(-1);
    const fromHeard = within(v1Bounds({ config: o.result.config, clientVersion: [1, 4, 8], latency: LAN, faults: [] }).removedFromLastHeard);
    inside(ms(byOwner) - ms(lastBeat), fromHeard.lowerMs, fromHeard.upperMs, 'owner removal after its last beat');
    // The others copy the list: by the datum put after the two dispatch delays, or sooner by a
    // checksum mismatch and fetch; either way the copy's own record says `via: sync`.
    for (const s of SERVERS.filter((x) => x !== owner)) {
      const copy = removed.find((e) => e.host === s);
      expect(copy?.data?.via).toBe('sync');
      inside(ms(copy) - ms(byOwner), 0, SYNC_MAX, `${s} after the owner`);
    }
    expect(o.result.metrics.serverRemovedAtMs).toBe(Math.max(...removed.map(ms)));
  });

  it('a registration reaches the other nodes after the two dispatch delays', () => {
    const o = run({ until: '20s' });
    const owner = mapSrv(SERVERS, TAG) as string;
    const reg = events(o, 'instance.register', (e) => e.data?.instance === 'c1');
    const first = reg.find((e) => e.host === owner);
    expect(first?.data?.via).toBe('register');
    for (const s of SERVERS.filter((x) => x !== owner)) inside(ms(reg.find((e) => e.host === s)) - ms(first), SYNC_MIN - 0.001, SYNC_MAX, s);
    expect(o.result.metrics.reRegistrations).toBe(0);
  });

  it('another service name hashes to another node, and that node gets the beats', () => {
    const names = Array.from({ length: 40 }, (_, i) => `svc-${i}`);
    for (const target of SERVERS) {
      const name = names.find((n) => mapSrv(SERVERS, `DEFAULT_GROUP@@${n}`) === target) as string;
      const o = run({ until: '30s', set: { serviceName: name } });
      expect(new Set(events(o, 'beat.recv').map((e) => e.host)), name).toEqual(new Set([target]));
    }
  });
});

describe('nacos-v1 › cluster › member health moves responsibility', () => {
  // A dead process refuses: "Connection refused" → DOWN at the first report to it. Each live node
  // reports to one of its 2 peers every 2 s, so it tries the dead one within 4 s.
  it('a crashed responsible node is DOWN on every live node within one report round; the new node gets the beats', () => {
    const o = run({ until: '2m', faults: ['server-crash:owner@60s'] });
    const owner = mapSrv(SERVERS, TAG) as string;
    expect(events(o, 'fault.start')[0]?.data?.target).toBe(owner);
    const live = SERVERS.filter((s) => s !== owner);
    for (const s of live) {
      const down = events(o, 'member.state', (e) => e.host === s && e.data?.member === owner && e.data?.state === 'DOWN')[0];
      inside(ms(down) - 60_000, 0, 2 * V1_CLUSTER_CONSTANTS.memberReportPeriodMs + 2 * dmax, `${s} marks ${owner} DOWN`);
    }
    const next = mapSrv(live, TAG) as string;
    const later = events(o, 'beat.recv', (e) => e.t > 70 * S).map((e) => e.host);
    expect(later.length).toBeGreaterThan(5);
    expect(new Set(later)).toEqual(new Set([next]));
  });

  // A node cut off answers nothing: each report times out (5 s connect timeout) and counts;
  // DOWN after more than fail-access-cnt (3) failures, i.e. three reports (4 s apart) after the first.
  it('a silent node is SUSPICIOUS at its first failed report and DOWN three reports later', () => {
    const o = run({ until: '2m', faults: ['server-cut:owner@60s'] });
    const owner = mapSrv(SERVERS, TAG) as string;
    for (const s of SERVERS.filter((x) => x !== owner)) {
      const states = events(o, 'member.state', (e) => e.host === s && e.data?.member === owner);
      expect(states.map((e) => e.data?.state)).toEqual(['SUSPICIOUS', 'DOWN']);
      expect(ms(states[1]) - ms(states[0])).toBeCloseTo(3 * 2 * V1_CLUSTER_CONSTANTS.memberReportPeriodMs, 0);
    }
  });

  // Issue #1873: the copies hold the lastBeat of their last sync. With the check phase set so that
  // the new node's check runs between the re-shard (≈ 63 s) and the next beat, it judges the live
  // instance on that stale lastBeat: unhealthy and deleted at once; the next light beat gets 20404
  // and the client registers again.
  it('the new responsible node deletes the live instance on a stale lastBeat, and the client registers again (#1873)', () => {
    const o = run({ until: '2m', faults: ['server-crash:owner@60s'], set: { 'sim.checkPhase': '3500ms' } });
    const owner = mapSrv(SERVERS, TAG) as string;
    const next = mapSrv(
      SERVERS.filter((s) => s !== owner),
      TAG,
    ) as string;
    const del = events(o, 'instance.remove', (e) => e.host === next && e.data?.reason === 'expired')[0];
    expect(del).toBeDefined();
    const down = events(o, 'member.state', (e) => e.host === next && e.data?.state === 'DOWN')[0];
    inside(ms(del) - ms(down), 0, 5000 + 1, 'deleted at its first check after the re-shard');
    const reregister = events(o, 'client.reregister', (e) => e.t > (del?.t as number))[0];
    expect(reregister?.data?.reason).toBe('beat-20404');
    const m = o.result.metrics;
    expect(m.falseRemovals).toBeGreaterThanOrEqual(1);
    expect(m.flaps).toBeGreaterThanOrEqual(1);
    expect(m.reRegistrations).toBe(1);
  });
});

describe('nacos-v1 › cluster › consumers', () => {
  it('sub_i asks s_i first and hears its pushes; when its node dies it asks the next one', () => {
    const o = run({ until: '90s', subscribers: 3, faults: ['server-crash:s2@30s'] });
    for (const [sub, server] of [
      ['sub1', 's1'],
      ['sub2', 's2'],
      ['sub3', 's3'],
    ] as const) {
      const before = events(o, 'query.recv', (e) => e.data?.subscriber === sub && e.t < 30 * S);
      expect(new Set(before.map((e) => e.host)), sub).toEqual(new Set([server]));
    }
    const after = events(o, 'query.recv', (e) => e.data?.subscriber === 'sub2' && e.t > 30 * S);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map((e) => e.host))).toEqual(new Set(['s3']));
  });
});

describe('nacos-v1 › cluster › determinism', () => {
  it('the same cluster run twice gives the same trace hash', () => {
    const a = run({ seed: 4, until: '2m', clients: 2, subscribers: 2, faults: ['server-crash:owner@40s', 'cut:c2-s3@50s'] });
    const b = run({ seed: 4, until: '2m', clients: 2, subscribers: 2, faults: ['server-crash:owner@40s', 'cut:c2-s3@50s'] });
    expect(a.result.traceHash).toBe(b.result.traceHash);
  });
});
