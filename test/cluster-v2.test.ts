import { describe, expect, it } from 'vitest';
import type { Expectation } from '../src/analysis/bounds.js';
import { v2ClusterBounds } from '../src/analysis/bounds-cluster.js';
import { type V2Bounds, v2Bounds } from '../src/analysis/bounds-v2.js';
import { V2_CLUSTER_CONSTANTS } from '../src/models/nacos-v2/defaults.js';
import { parseLatency } from '../src/scenario/latency-dsl.js';
import { type RunOutput, resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';
import { latencyEnvelope } from '../src/sim/latency.js';
import { usToMs } from '../src/sim/time.js';
import type { TraceEvent } from '../src/sim/trace.js';

/**
 * Issue 7's done-when for the 2.x cluster. Expected windows come from the reference
 * (shared/reference/nacos-liveness.md §B4: nacos.naming.client.expired.time 3 min, verify every
 * 5 s, cleaner every 5 s, DELETE after the 1 s sync delay) and from src/analysis (bounds-v2.ts for
 * one server, bounds-cluster.ts for the cluster), never from a run.
 */
const S = 1_000_000;
const MIN = 60_000;
/** The default LAN preset: one-way latency uniform in [0.2 ms, 1 ms]. */
const LAN = latencyEnvelope(parseLatency('uniform:200us..1ms'));
const dmin = usToMs(LAN.minUs);
const dmax = usToMs(LAN.maxUs);
/** Reference §B4: verify interval V, cleaner period C, delete sync delay, Distro engine tick. */
const V = 5000;
const C = 5000;
const SYNC_DELAY = 1000;
const TICK = V2_CLUSTER_CONSTANTS.distroEngineTickMs;

const run = (over: Omit<ScenarioFile, 'model'>): RunOutput => runScenario(resolveScenario({ model: 'nacos-v2', servers: 3, ...over }));
const events = (o: RunOutput, kind: string, pred: (e: TraceEvent) => boolean = () => true): TraceEvent[] => o.trace.filter((e) => e.kind === kind && pred(e));
const ownerAt = (o: RunOutput, fault: string): string => {
  const start = events(o, 'fault.start', (e) => e.data?.fault === fault)[0];
  const target = String(start?.data?.target ?? '');
  return target.split('-').find((n) => /^s\d+$/.test(n)) ?? 'none';
};
const removedAt = (o: RunOutput, server: string): number | null => o.result.metrics.perServer?.find((p) => p.server === server)?.removedAtMs ?? null;
const inside = (value: number | null, lowerMs: number, upperMs: number, what: string): void => {
  expect(value, what).not.toBeNull();
  expect(value as number, `${what}: ${value} > ${lowerMs}`).toBeGreaterThan(lowerMs);
  expect(value as number, `${what}: ${value} ≤ ${upperMs}`).toBeLessThanOrEqual(upperMs);
};
/** Two windows agree to the µs (the bounds round their ends to whole µs). */
const same = (a: { lowerMs: number; upperMs: number }, b: { lowerMs: number; upperMs: number }): void => {
  expect(a.lowerMs).toBeCloseTo(b.lowerMs, 3);
  expect(a.upperMs).toBeCloseTo(b.upperMs, 3);
};
const within = (e: Expectation): { lowerMs: number; upperMs: number } => {
  if (e.kind !== 'within') throw new Error(`expected a window, got ${e.kind}: ${e.why}`);
  return e.interval;
};

describe('nacos-v2 › cluster › owner crash while the client is cut off from every node', () => {
  // No node can remove the client but by expiry: the owner's last verify (≤ one period before the
  // crash) renewed the copies one latency later, and each peer's cleaner drops them at its first
  // 5 s run more than expired.time after that: (E − V + dmin, E + C + dmax] after the crash.
  for (const [label, E, set] of [
    ['defaults: 3 min', 3 * MIN, {}],
    ['nacos.naming.client.expired.time=30s', 30_000, { 'nacos.naming.client.expired.time': '30s' }],
  ] as const) {
    it(`${label}: the other nodes keep the instance between E − one verify period and E + one check period`, () => {
      for (const seed of [1, 2, 3, 4]) {
        const o = run({ seed, until: '5m', faults: ['server-crash:owner@60s', 'cut@60s'], set });
        const m = o.result.metrics;
        const owner = ownerAt(o, 'server-crash:owner@60s');
        expect(owner).toMatch(/^s[123]$/);
        // The analytic window of src/analysis says the same as the reference.
        same(within((o.result.bounds as V2Bounds).removedFromFault), { lowerMs: E - V + dmin, upperMs: E + C + dmax });
        inside(m.detectionMs, E - V + dmin, E + C + dmax, `seed ${seed}: removal after the crash`);
        for (const p of m.perServer ?? []) {
          if (p.server === owner) {
            expect(p.crashedAtMs).toBe(60_000);
            expect(p.removedAtMs).toBeNull();
          } else inside(p.removedAtMs === null ? null : p.removedAtMs - 60_000, E - V + dmin, E + C + dmax, `seed ${seed}: ${p.server}`);
        }
        // No live node lists it any more when the last peer drops its copy.
        expect(m.serverRemovedAtMs).toBe(Math.max(...(m.perServer ?? []).map((p) => p.removedAtMs ?? 0)));
        expect(events(o, 'distro.expire').length).toBe(2);
      }
    });
  }

  it('before 2.0.3 the copies expire after a fixed 30 s, whatever the key says', () => {
    const o = run({ until: '3m', serverVersion: '2.0.2', faults: ['server-crash:owner@60s', 'cut@60s'], set: { 'nacos.naming.client.expired.time': '10m' } });
    inside(o.result.metrics.detectionMs, 30_000 - V + dmin, 30_000 + C + dmax, 'removal after the crash');
  });
});

describe('nacos-v2 › cluster › owner crash, the client can still reach another node', () => {
  // The dead node's OS closes the connection: the client sees the FIN, reconnects to the next
  // server of its list, and its redo task re-registers the instance there within one redo delay.
  // The other nodes held a copy all along, so the instance never leaves the cluster.
  it('the client reconnects, its redo re-registers it on the new node, and no live node ever drops it', () => {
    for (const seed of [1, 2, 3]) {
      const o = run({ seed, until: '5m', faults: ['server-crash:owner@60s'] });
      const owner = ownerAt(o, 'server-crash:owner@60s');
      const reconnected = events(o, 'client.connected', (e) => e.host === 'c1' && e.t > 60 * S)[0];
      expect(reconnected?.data?.server).not.toBe(owner);
      const redo = events(o, 'client.redo', (e) => e.host === 'c1' && e.t > 60 * S)[0];
      expect(redo?.data?.what).toBe('register');
      // The client's own registration on the new node (not a copy), at most one redo delay after it connected.
      const own = o.trace.find(
        (e) =>
          e.host === reconnected?.data?.server &&
          (e.kind === 'instance.register' || e.kind === 'instance.publish') &&
          e.data?.instance === 'c1' &&
          e.data?.via === undefined &&
          e.t > 60 * S,
      );
      expect(own).toBeDefined();
      expect(usToMs((own?.t as number) - (reconnected?.t as number))).toBeLessThanOrEqual(3000 + dmax);
      expect(o.result.metrics.reRegistrations).toBeGreaterThanOrEqual(1);
      expect(o.result.metrics.serverRemovedAtMs).toBeNull();
      expect(o.result.metrics.falseRemovals).toBe(0);
    }
  });
});

describe('nacos-v2 › cluster › half-open cut of the client alone', () => {
  // The owner removes it as one server would (same window, bounds-v2.ts with one server); its
  // disconnect becomes a DELETE sent at the first 100 ms engine tick ≥ removal + 1 s and applied
  // one latency later on each peer.
  it('the owner removes it in the one-server window, the others one sync delay later', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const o = run({ seed, until: '3m', faults: ['cut@60s'] });
      const m = o.result.metrics;
      const owner = events(o, 'instance.remove', (e) => e.data?.instance === 'c1' && e.data?.via === undefined)[0]?.host as string;
      const oneServer = v2Bounds({ ...boundsInput(o), servers: 1 }).removedFromFault;
      const ownerRemoved = removedAt(o, owner) as number;
      inside(ownerRemoved - 60_000, within(oneServer).lowerMs, within(oneServer).upperMs, `seed ${seed}: the owner ${owner}`);
      for (const p of m.perServer ?? []) {
        if (p.server === owner) continue;
        const lag = (p.removedAtMs as number) - ownerRemoved;
        expect(lag, `seed ${seed}: ${p.server} ${lag} ms after the owner`).toBeGreaterThanOrEqual(SYNC_DELAY + dmin);
        expect(lag).toBeLessThanOrEqual(SYNC_DELAY + TICK + dmax);
      }
      const cluster = within((o.result.bounds as V2Bounds).removedFromFault);
      same(cluster, { lowerMs: within(oneServer).lowerMs + SYNC_DELAY + dmin, upperMs: within(oneServer).upperMs + SYNC_DELAY + TICK + dmax });
      inside(m.detectionMs, cluster.lowerMs, cluster.upperMs, `seed ${seed}: the cluster`);
    }
  });

  it('2.0.0-2.1.x servers sync after nacos.naming.distro.taskDispatchPeriod (2 s): GlobalConfig overrides the 2.x key', () => {
    const o = run({ until: '3m', serverVersion: '2.1.0', faults: ['cut@60s'], set: { 'nacos.core.protocol.distro.data.sync.delayMs': '100ms' } });
    const owner = events(o, 'instance.remove', (e) => e.data?.via === undefined)[0]?.host as string;
    for (const p of o.result.metrics.perServer ?? []) {
      if (p.server === owner) continue;
      const lag = (p.removedAtMs as number) - (removedAt(o, owner) as number);
      expect(lag).toBeGreaterThanOrEqual(2000 + dmin);
      expect(lag).toBeLessThanOrEqual(2000 + TICK + dmax);
    }
  });
});

describe('nacos-v2 › cluster › subscribers follow their own nodes', () => {
  // sub_i connects first to s((i − 1) mod N + 1); each hears the removal from its node's push, so
  // the last consumer learns it after the last node removed it (plus its push window).
  it('sub1, sub2, sub3 connect to s1, s2, s3; subscriberUpdatedAtMs is the last of them', () => {
    const o = run({ until: '3m', subscribers: 3, faults: ['cut@60s'] });
    for (const [sub, server] of [
      ['sub1', 's1'],
      ['sub2', 's2'],
      ['sub3', 's3'],
    ] as const) {
      expect(events(o, 'client.connected', (e) => e.host === sub)[0]?.data?.server).toBe(server);
      const drop = events(o, 'view.update', (e) => e.host === sub && e.t > 60 * S && e.data?.instances === '')[0];
      expect(drop, `${sub} stops seeing c1`).toBeDefined();
      // It learns it from its own node, after that node removed it.
      expect(usToMs(drop?.t as number)).toBeGreaterThan(removedAt(o, server) as number);
    }
    const last = Math.max(...events(o, 'view.update', (e) => e.t > 60 * S && e.data?.instances === '').map((e) => usToMs(e.t)));
    expect(o.result.metrics.subscriberUpdatedAtMs).toBe(last);
    const stale = within((o.result.bounds as V2Bounds).staleFromFault);
    inside(o.result.metrics.staleMs, stale.lowerMs, stale.upperMs, 'the last consumer');
  });
});

describe('nacos-v2 › cluster › the owner partitioned from its peers', () => {
  // The peers hear no verify: their copies expire (a live instance removed on them), and after the
  // partition heals the owner's verify fails there and it syncs the client back at once.
  it('the peers drop the live instance after the expired time, and get it back after the heal', () => {
    const o = run({ until: '5m', faults: ['peer-cut:owner@60s-270s'] });
    const owner = ownerAt(o, 'peer-cut:owner@60s-270s');
    const m = o.result.metrics;
    expect(m.serverRemovedAtMs).toBeNull();
    expect(removedAt(o, owner)).toBeNull();
    expect(m.falseRemovals).toBe(2);
    for (const p of m.perServer ?? []) if (p.server !== owner) inside((p.removedAtMs as number) - 60_000, 3 * MIN - V + dmin, 3 * MIN + C + dmax, p.server);
    const back = events(o, 'instance.register', (e) => e.data?.via === 'sync' && e.t > 270 * S);
    expect(back.map((e) => e.host).sort()).toEqual(['s1', 's2', 's3'].filter((s) => s !== owner));
    expect(events(o, 'distro.verify-fail').length).toBeGreaterThanOrEqual(2);
  });
});

describe('nacos-v2 › cluster › the owner cut off from the client', () => {
  // The client reconnects elsewhere; the old connection is half-open on the owner. 2.3+: the owner
  // ejects it and its DELETE follows; after the client crashes its new node removes it too.
  // 2.2.0-2.2.4: no ejector, the owner keeps it and keeps the copies renewed: never removed within
  // the horizon (the owner's connection ends only as on one server: gRPC keep-alive, or the kernel
  // giving up an unacknowledged answer after tcp_retries2, 924.6 s; then the DELETE).
  it('2.2.3: never removed, even after the client dies; 2.3.0: removed once the client dies', () => {
    const faults = ['cut:c1-owner@60s', 'crash@120s'];
    const stuck = run({ until: '5m', serverVersion: '2.2.3', faults });
    expect(stuck.result.metrics.serverRemovedAtMs).toBeNull();
    const oneServer = within(
      v2Bounds({ ...boundsInput(stuck), faults: [{ kind: 'cut', text: 'cut@60s', startUs: 60 * S, endUs: null }], servers: 1 }).removedFromFault,
    );
    const cluster = within((stuck.result.bounds as V2Bounds).removedFromFault);
    same(cluster, { lowerMs: oneServer.lowerMs + SYNC_DELAY + dmin, upperMs: oneServer.upperMs + SYNC_DELAY + TICK + dmax });
    expect(cluster.lowerMs).toBeGreaterThan(924_000);
    const fixed = run({ until: '5m', serverVersion: '2.3.0', faults });
    // The new node sees the crash's FIN at once and its DELETE reaches the last peer one sync later.
    inside(fixed.result.metrics.serverRemovedAtMs, 120_000, 120_000 + SYNC_DELAY + TICK + 2 * dmax, 'removal after the crash');
  });
});

describe('nacos-v2 › cluster › determinism', () => {
  it('the same cluster run twice gives the same trace hash', () => {
    const a = run({ seed: 9, until: '2m', subscribers: 2, faults: ['server-crash:owner@40s', 'peer-cut:s2@50s-70s'] });
    const b = run({ seed: 9, until: '2m', subscribers: 2, faults: ['server-crash:owner@40s', 'peer-cut:s2@50s-70s'] });
    expect(a.result.traceHash).toBe(b.result.traceHash);
  });
});

const boundsInput = (o: RunOutput) => {
  const sc = resolveScenario({ model: 'nacos-v2', servers: o.result.servers, serverVersion: o.result.serverVersion, faults: [...o.result.faults] });
  return { config: o.result.config, clientVersion: sc.clientVersion, serverVersion: sc.serverVersion, latency: LAN, faults: sc.faults, servers: sc.servers };
};

describe('nacos-v2 › cluster › bounds', () => {
  it('the owner-crash window follows the expired time and the verify interval', () => {
    const sc = resolveScenario({
      model: 'nacos-v2',
      servers: 3,
      faults: ['server-crash:owner@60s', 'cut@60s'],
      set: { 'nacos.naming.client.expired.time': '1m', 'nacos.core.protocol.distro.data.verify.intervalMs': '2s' },
    });
    const b = v2ClusterBounds({
      config: sc.config,
      clientVersion: sc.clientVersion,
      serverVersion: sc.serverVersion,
      latency: LAN,
      faults: sc.faults,
      servers: 3,
    });
    same(within(b.removedFromFault), { lowerMs: 60_000 - 2000 + dmin, upperMs: 60_000 + C + dmax });
  });
});
