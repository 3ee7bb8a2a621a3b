import { describe, expect, it } from 'vitest';
import { distribution } from '../src/analysis/distribution.js';
import { type Candidate, choose, paretoFront, runsToResolve, wilsonUpper95 } from '../src/tune/rank.js';
import type { TuneTargets } from '../src/tune/targets.js';

/** Ranking is pure arithmetic on measured numbers: hand-made candidates, hand-checked answers. */
const cand = (point: number, p99Ms: number | null, rate: number | null, msgs: number | null, changes = 0): Candidate => ({
  point,
  set: { k: String(point) },
  changes,
  detectionMs: distribution([p99Ms]),
  steadyRuns: rate === null ? 0 : 10,
  falseRemovalRuns: rate === null ? 0 : Math.round(rate * 10),
  falseRemovalRate: rate,
  falseRemovalUpper95: null,
  messagesPerSec: msgs,
  datagramsPerSec: msgs === null ? null : msgs * 4,
  meetsDetection: p99Ms !== null && p99Ms <= 20_000,
  meetsFalseRemoval: rate === null ? null : rate <= 0.1,
  slowestReplay: null,
  falseRemovalReplay: null,
});

const TARGETS: TuneTargets = { detection: 'server', detectionMs: 20_000, maxFalseRemovalRate: 0.1, load: 'messages' };

describe('tune › ranking', () => {
  it('recommends the least load among the points meeting both, runners-up next by load', () => {
    const cands = [
      cand(0, 9_000, 0, 0.6), // meets both, dear
      cand(1, 19_000, 0, 0.2), // meets both, cheapest
      cand(2, 25_000, 0, 0.1), // too slow, cheaper still
      cand(3, 14_000, 0.3, 0.15), // fast enough, removes live instances
      cand(4, 14_000, 0.1, 0.3), // meets both (rate exactly at the target)
    ];
    const c = choose(cands, TARGETS, 5);
    expect(c.recommendation?.point).toBe(1);
    expect(c.runnersUp.map((x) => x.point)).toEqual([4, 0]);
    expect(c.feasible).toBe(3);
    expect(c.nearest).toBeNull();
  });

  it('on equal load, the one changing fewer defaults wins', () => {
    const c = choose([cand(0, 10_000, 0, 0.2, 2), cand(1, 10_000, 0, 0.2, 1)], TARGETS, 5);
    expect(c.recommendation?.point).toBe(1);
  });

  it('when none meets both: no recommendation, and the nearest on each side', () => {
    const cands = [cand(0, 30_000, 0, 0.1), cand(1, 25_000, 0.05, 0.2), cand(2, 12_000, 0.5, 0.2), cand(3, 15_000, 0.2, 0.4), cand(4, null, null, null)];
    const c = choose(cands, TARGETS, 5);
    expect(c.recommendation).toBeNull();
    expect(c.runnersUp).toEqual([]);
    // Accurate enough: 0 and 1; the faster is 1. Fast enough: 2 and 3; the more accurate is 3.
    expect(c.nearest?.fastestAccurate?.point).toBe(1);
    expect(c.nearest?.mostAccurateFast?.point).toBe(3);
  });

  it('the Pareto front keeps exactly the points no other beats on p99, false removals and load', () => {
    const cands = [
      cand(0, 10_000, 0.2, 0.5),
      cand(1, 20_000, 0, 0.2),
      cand(2, 20_000, 0, 0.3), // beaten by 1 (same p99 and rate, more load)
      cand(3, 30_000, 0, 0.1),
      cand(4, 35_000, 0.1, 0.2), // beaten by 1 on all three
      cand(5, 5_000, null, null), // not run fault-free: not on the front
    ];
    expect(paretoFront(cands, 'messages').map((c) => c.point)).toEqual([0, 1, 3]);
  });

  it('Wilson bounds: 0 of n gives z²/(n + z²); 1 of 10 gives the textbook 0.404', () => {
    const z2 = 1.959964 ** 2;
    expect(wilsonUpper95(0, 30)).toBeCloseTo(z2 / (30 + z2), 6);
    expect(wilsonUpper95(1, 10)).toBeCloseTo(0.4042, 4);
    expect(wilsonUpper95(0, 0)).toBeNull();
    // Runs for 0 of n to vouch for ≤ 1 %: the smallest n with z²/(n + z²) ≤ 0.01.
    const n = runsToResolve(0.01) as number;
    expect(z2 / (n + z2)).toBeLessThanOrEqual(0.01);
    expect(z2 / (n - 1 + z2)).toBeGreaterThan(0.01);
    expect(runsToResolve(0)).toBeNull();
  });
});
