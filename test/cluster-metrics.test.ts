import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../src/analysis/metrics.js';
import { parseFault } from '../src/scenario/fault-dsl.js';
import type { TraceEvent } from '../src/sim/trace.js';

/**
 * With several servers the registry is the cluster: the instance is gone when no live node lists
 * it (a crashed node lists nothing), and the copies nodes take from each other (`via: sync`) are
 * not the client registering again. Hand-written traces, so each rule is seen alone.
 */
const MS = 1000;
const ev = (tMs: number, host: string, kind: string, data?: Record<string, string | number>): TraceEvent =>
  data === undefined ? { t: tMs * MS, host, kind } : { t: tMs * MS, host, kind, data };
const reg = (tMs: number, host: string, via?: string) => ev(tMs, host, 'instance.register', via === undefined ? { instance: 'c1' } : { instance: 'c1', via });
const rem = (tMs: number, host: string) => ev(tMs, host, 'instance.remove', { instance: 'c1' });
const SERVERS = ['s1', 's2', 's3'];
const metrics = (events: TraceEvent[], servers = SERVERS) =>
  computeMetrics({ events, faults: [parseFault('server-crash:s1@50ms')], instance: 'c1', subscribers: [], servers });

describe('cluster › metrics', () => {
  const base = [reg(1, 's1'), reg(3, 's2', 'sync'), reg(3, 's3', 'sync'), ev(50, 'c1', 'fault.start', { fault: 'server-crash:s1@50ms' })];

  it('removed when the last live node stops listing it; per node: its own removal and its crash', () => {
    const m = metrics([...base, ev(50, 's1', 'process.crash'), rem(70, 's2'), rem(90, 's3')]);
    expect(m.serverRemovedAtMs).toBe(90);
    expect(m.detectionMs).toBe(40);
    expect(m.perServer).toEqual([
      { server: 's1', removedAtMs: null, crashedAtMs: 50 },
      { server: 's2', removedAtMs: 70, crashedAtMs: null },
      { server: 's3', removedAtMs: 90, crashedAtMs: null },
    ]);
  });

  it('a crash of the only node that lists it removes it', () => {
    const m = metrics([reg(1, 's1'), ev(50, 'c1', 'fault.start', { fault: 'x' }), ev(60, 's1', 'process.crash')]);
    expect(m.serverRemovedAtMs).toBe(60);
  });

  it('a copy that comes back is a flap; copies are not re-registrations, the client registering on another node is', () => {
    const m = metrics([...base, rem(60, 's1'), rem(61, 's2'), rem(62, 's3'), reg(70, 's2'), ev(71, 's3', 'instance.publish', { instance: 'c1', via: 'sync' })]);
    expect(m.serverRemovedAtMs).toBe(62);
    expect(m.flaps).toBe(1);
    expect(m.reRegistrations).toBe(1);
    const native = metrics([...base, ev(60, 's2', 'instance.publish', { instance: 'c1' })]);
    expect(native.reRegistrations).toBe(1);
  });

  it('one server keeps the one-server rules and no perServer field', () => {
    const m = metrics([reg(1, 's1'), ev(50, 'c1', 'fault.start', { fault: 'x' }), rem(60, 's1'), reg(70, 's1')], ['s1']);
    expect(m.serverRemovedAtMs).toBe(60);
    expect(m.reRegistrations).toBe(1);
    expect('perServer' in m).toBe(false);
  });
});
