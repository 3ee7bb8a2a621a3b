import { describe, expect, it } from 'vitest';
import { distribution } from '../src/analysis/distribution.js';
import { aggregateQos, observeDetector } from '../src/analysis/qos.js';
import { formatFault } from '../src/scenario/fault-dsl.js';
import type { Fault } from '../src/sim/faults.js';
import type { TraceEvent } from '../src/sim/trace.js';
import { makePlan } from '../src/sweep/plan.js';
import { SummaryBuilder } from '../src/sweep/summary.js';
import type { RunRow } from '../src/sweep/sweep-file.js';

const S = 1_000_000;
const ev = (tS: number, kind: string, instance = 'c1'): TraceEvent => ({ t: tS * S, kind, host: 's1', data: { instance } });
const fault = (f: Omit<Fault, 'text'>): Fault => ({ ...f, text: formatFault(f) });

describe('sweep › distributions (nearest rank; never ranks last)', () => {
  it('percentiles of 1..100 are the values themselves', () => {
    const d = distribution(Array.from({ length: 100 }, (_, k) => 100 - k));
    expect([d.min, d.p50, d.p90, d.p99, d.max, d.mean]).toEqual([1, 50, 90, 99, 100, 50.5]);
  });

  it('a run that never got there makes the top ranks, the max and the mean "never"', () => {
    const d = distribution([3, 1, 2, null]);
    // n = 4: p50 is the 2nd smallest, p90 the ⌈3.6⌉ = 4th, which is the never-run.
    expect(d).toEqual({ n: 4, never: 1, min: 1, p50: 2, p90: null, p99: null, max: null, mean: null });
  });
});

describe('sweep › failure-detector QoS from a trace (Chen–Toueg–Aguilera)', () => {
  it('counts mistakes and their durations before the fault, and T_D at the final suspicion', () => {
    const events = [
      ev(1, 'instance.register'),
      ev(20, 'instance.unhealthy'), // mistake 1: 20 s → 25 s
      ev(25, 'instance.healthy'),
      ev(30, 'instance.register', 'c2'), // another instance: ignored
      ev(100, 'instance.remove'), // mistake 2: 100 s → 110 s
      ev(110, 'instance.register'),
      ev(215, 'instance.unhealthy'), // after the cut at 200 s: the final S-transition
      ev(230, 'instance.remove'), // already suspected: no transition
    ];
    const o = observeDetector({ events, faults: [fault({ kind: 'cut', startUs: 200 * S, endUs: null })], instance: 'c1', horizonUs: 600 * S });
    expect(o).toEqual({ observedMs: 199_000, mistakes: 2, mistakeMs: 15_000, tdMs: 15_000 });
    const q = aggregateQos([o], true);
    expect(q.tmrMs).toBe(99_500); // 199 s / 2
    expect(q.tmMs).toBe(7_500); // 15 s / 2
    // Theorem 1: P_A = 1 − E(T_M)/E(T_MR).
    expect(q.pA).toBeCloseTo(1 - 7_500 / 99_500, 9);
    expect(q.mistakesPerHour).toBeCloseTo((2 * 3600) / 199, 6);
  });

  it('a suspicion still open at the fault is clipped there; the run is detected at once (T_D 0)', () => {
    const events = [ev(1, 'instance.register'), ev(190, 'instance.unhealthy')];
    const o = observeDetector({ events, faults: [fault({ kind: 'crash', startUs: 200 * S, endUs: null })], instance: 'c1', horizonUs: 600 * S });
    expect(o).toEqual({ observedMs: 199_000, mistakes: 1, mistakeMs: 10_000, tdMs: 0 });
  });

  it('loss keeps the client reachable: suspicions during it are mistakes; trusted at the horizon → T_D never', () => {
    const events = [ev(1, 'instance.register'), ev(50, 'instance.unhealthy'), ev(58, 'instance.healthy')];
    const o = observeDetector({
      events,
      faults: [fault({ kind: 'loss', probability: 0.5, startUs: 10 * S, endUs: null })],
      instance: 'c1',
      horizonUs: 101 * S,
    });
    expect(o).toEqual({ observedMs: 100_000, mistakes: 1, mistakeMs: 8_000, tdMs: null });
    const q = aggregateQos([o, o], true);
    expect(q.td).toMatchObject({ n: 2, never: 2, p50: null });
  });

  it('no mistakes: E(T_MR) and E(T_M) unknown, P_A 1', () => {
    const q = aggregateQos([{ observedMs: 1000, mistakes: 0, mistakeMs: 0, tdMs: 5 }], true);
    expect([q.tmrMs, q.tmMs, q.pA, q.mistakesPerHour]).toEqual([null, null, 1, 0]);
  });
});

describe('sweep › per-point summary', () => {
  const plan = makePlan({ base: { model: 'nacos-v1', faults: ['cut@60s'] }, vary: ['preserved.ip.delete.timeout=20s,40s'], runs: 2 });
  const row = (i: number, detectionMs: number | null, falseRemovals: number): RunRow => ({
    type: 'run',
    i,
    point: Math.floor(i / 2),
    seed: 1 + (i % 2),
    set: {},
    metrics: { detectionMs, staleMs: detectionMs === null ? null : detectionMs + 1000, falseRemovals, messages: { beats: 10, pushes: 2, datagrams: 100 } },
    qos: { observedMs: 60_000, mistakes: falseRemovals, mistakeMs: 0, tdMs: detectionMs },
    stop: { atMs: 60_000, reason: 'horizon', events: 1 },
  });
  const rows = [row(0, 31_000, 0), row(1, 33_000, 1), row(2, null, 0), row(3, 52_000, 0)];

  it('rates, message rates and distributions per point', () => {
    const b = new SummaryBuilder(plan.header);
    for (const r of rows) b.add(r);
    const [p0, p1] = b.summaries();
    expect(p0?.set).toEqual({ 'preserved.ip.delete.timeout': '20s' });
    expect(p0?.detectionMs).toMatchObject({ n: 2, never: 0, min: 31_000, max: 33_000 });
    expect(p0?.falseRemovalRate).toBe(0.5);
    // 12 protocol messages and 100 datagrams in 60 s.
    expect(p0?.messagesPerSec).toBe(0.2);
    expect(p0?.datagramsPerSec).toBeCloseTo(100 / 60, 3);
    expect(p1?.detectionMs).toMatchObject({ n: 2, never: 1, p50: 52_000, max: null });
  });

  it('does not depend on the order the rows arrive in', () => {
    const a = new SummaryBuilder(plan.header);
    const b = new SummaryBuilder(plan.header);
    for (const r of rows) a.add(r);
    for (const r of [...rows].reverse()) b.add(r);
    expect(JSON.stringify(b.summaries())).toBe(JSON.stringify(a.summaries()));
  });
});
