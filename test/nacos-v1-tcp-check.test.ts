import { describe, expect, it } from 'vitest';
import { commonsNextInt, firstCheckRtMs, reEvaluateCheckRtMs, reportRtMs, tcpCheckReport } from '../src/models/nacos-v1/tcp-check.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import { type RandomStream, RandomStreams } from '../src/sim/random.js';

/**
 * nacos-v1 › persistent instance › TCP check, against the 1.4.8 source (every expected number
 * below is that source's arithmetic, written out here, not read from a run):
 * HealthCheckTask.initCheckRT `2000 + RandomUtils.nextInt(0, RandomUtils.nextInt(0, 5000))`;
 * HealthCheckCommon.reEvaluateCheckRT `(long)(0.75F·N + 0.25·rt)` clamped to [1000, 5000];
 * TcpSuperSenseProcessor feeding back rt = now − task.startTime on success, `N * 2` on a
 * timeout (TimeOutTask, 500 ms) and `getMax()` = 5000 on a connection error, results noticed by
 * the NIO loop at the end of its 250 ms (CONNECT_TIMEOUT_MS / 2) queue poll.
 */

/** A stream that hands out the given draws of intInclusive and records the ranges asked for. */
const scripted = (draws: number[]): { rng: RandomStream; asked: [number, number][] } => {
  const asked: [number, number][] = [];
  const rng: RandomStream = {
    next: () => 0,
    chance: () => false,
    normal: () => 0,
    intInclusive: (lo, hi) => {
      asked.push([lo, hi]);
      return draws.shift() as number;
    },
  };
  return { rng, asked };
};

describe('nacos-v1 › persistent instance › TCP check arithmetic', () => {
  it('RandomUtils.nextInt(a, b) is uniform on [a, b), and a without a draw when a = b', () => {
    const s = scripted([7]);
    expect(commonsNextInt(s.rng, 0, 10)).toBe(7);
    expect(s.asked).toEqual([[0, 9]]);
    expect(commonsNextInt(s.rng, 0, 0)).toBe(0);
    expect(s.asked).toHaveLength(1);
  });

  it('the first interval is 2000 + nextInt(0, nextInt(0, 5000)): the inner draw bounds the outer', () => {
    const a = scripted([3000, 100]);
    expect(firstCheckRtMs(a.rng)).toBe(2100);
    expect(a.asked).toEqual([
      [0, 4999],
      [0, 2999],
    ]);
    const b = scripted([0]); // nextInt(0, 0) = 0: no second draw
    expect(firstCheckRtMs(b.rng)).toBe(2000);
    expect(b.asked).toEqual([[0, 4999]]);
  });

  it('the first interval is skewed low: mean 2000 + 4998·4999/20000 ms, and 60 % of it at or below 3250 ms', () => {
    // E[outer] = Σ_{i=1}^{4999} (i − 1)/2 / 5000 = 4998·4999/20000 = 1249.25 ms (a uniform draw would give 2500).
    // Continuous analogue: P(outer ≤ x) = (x/5000)(1 + ln(5000/x)); at x = 1250: 0.25·(1 + ln 4) = 0.5966.
    const rng = new RandomStreams(42).get('test.tcp-first');
    const n = 40_000;
    let sum = 0;
    let low = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const v = firstCheckRtMs(rng);
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      if (v <= 3250) low++;
    }
    expect(min).toBeGreaterThanOrEqual(2000);
    expect(max).toBeLessThanOrEqual(6998); // 2000 + (4999 − 1)
    expect(Math.abs(sum / n - (2000 + (4998 * 4999) / 20000))).toBeLessThan(15); // σ/√n ≈ 1100/200 = 5.5 ms
    expect(Math.abs(low / n - 0.25 * (1 + Math.log(4)))).toBeLessThan(0.01);
  });

  it('each timeout feeds back 2N and so grows the interval ×1.25 (floored) up to 5000 ms', () => {
    const seen = [1000];
    for (let i = 0; i < 8; i++) {
      const n = seen[seen.length - 1] as number;
      seen.push(reEvaluateCheckRtMs(n, reportRtMs({ outcome: 'timeout', afterMs: 500 }, n)));
    }
    // 0.75·N + 0.25·2N = 1.25·N, floored: 1250, 1562.5→1562, 1952.5→1952, 2440, 3050, 3812.5→3812, 4765, 5956.25→5000.
    expect(seen).toEqual([1000, 1250, 1562, 1952, 2440, 3050, 3812, 4765, 5000]);
  });

  it('a connection error feeds back 5000 ms; a success its report time (250 ms on an idle loop), never below 1000 ms', () => {
    expect(reEvaluateCheckRtMs(1000, reportRtMs({ outcome: 'refused', afterMs: 250 }, 1000))).toBe(2000); // 750 + 1250
    expect(reEvaluateCheckRtMs(5000, reportRtMs({ outcome: 'ok', afterMs: 250 }, 5000))).toBe(3812); // 3750 + 62.5
    expect(reEvaluateCheckRtMs(1100, reportRtMs({ outcome: 'ok', afterMs: 250 }, 1100))).toBe(1000); // 887.5 → min
  });

  it('the NIO loop reports a connect at the next 250 ms poll; later than 250 ms loses to the 500 ms timeout', () => {
    expect(tcpCheckReport('ok', 2)).toEqual({ outcome: 'ok', afterMs: 250 });
    expect(tcpCheckReport('ok', 250)).toEqual({ outcome: 'ok', afterMs: 250 });
    expect(tcpCheckReport('refused', 0.5)).toEqual({ outcome: 'refused', afterMs: 250 });
    expect(tcpCheckReport('ok', 251)).toEqual({ outcome: 'timeout', afterMs: 500 });
    expect(tcpCheckReport('ok', null)).toEqual({ outcome: 'timeout', afterMs: 500 });
  });
});

/**
 * The check schedule of one persistent instance on a 1 ms link, written from the source: the run
 * at t schedules the next at t + N (N as it stands), its result lands at t + 250 (ok) or t + 500
 * (timeout) and moves N; 3 timeouts in a row mark the instance unhealthy, 3 successes healthy.
 */
const expectedMarks = (seed: number, cutMs: number, healMs: number, untilMs: number) => {
  const rng = new RandomStreams(seed).get('server.tcp-check:s1');
  const inner = rng.intInclusive(0, 4999);
  let n = 2000 + (inner === 0 ? 0 : rng.intInclusive(0, inner - 1));
  const createdMs = 3; // the register's SYN, SYN-ACK and request, 1 ms each: the service (and its cluster) exists from then
  let t = createdMs + n;
  let healthy = true;
  let streak = 0;
  const marks: [number, 'instance.healthy' | 'instance.unhealthy'][] = [];
  const intervals: number[] = [];
  while (t <= untilMs) {
    const next = t + n;
    intervals.push(n);
    // The SYN leaves at t and the SYN-ACK 1 ms later: both must miss the cut [cut, heal).
    const ok = !(t + 1 >= cutMs && t < healMs);
    const rt = ok ? 250 : 2 * n;
    n = Math.min(5000, Math.max(1000, Math.floor(0.75 * n + 0.25 * rt)));
    if (ok === healthy) streak = 0;
    else if (++streak >= 3) {
      healthy = ok;
      streak = 0;
      marks.push([t + (ok ? 250 : 500), ok ? 'instance.healthy' : 'instance.unhealthy']);
    }
    t = next;
  }
  return { marks, intervals };
};

describe('nacos-v1 › persistent instance › a 30 s cut that heals', () => {
  it.each([1, 2, 3])('seed %i: unhealthy 500 ms after the third timeout, healthy 250 ms after the third success once the back-off has run', (seed) => {
    const { trace } = runScenario(
      resolveScenario({ model: 'nacos-v1', seed, until: '3m', faults: ['cut@60s-90s'], set: { ephemeral: 'false', 'net.latency': 'fixed:1ms' } }),
    );
    const { marks, intervals } = expectedMarks(seed, 60_000, 90_000, 180_000);
    const got = trace.filter((e) => e.kind === 'instance.unhealthy' || e.kind === 'instance.healthy').map((e) => [e.t / 1000, e.kind]);
    expect(got).toEqual(marks);
    expect(marks.map((m) => m[1])).toEqual(['instance.unhealthy', 'instance.healthy']);
    // The cut backs the interval off to its 5000 ms ceiling; the old model stayed at 1000 ms.
    expect(Math.max(...intervals)).toBe(5000);
    const sends = trace.filter((e) => e.kind === 'tcp-check.send').map((e) => e.t / 1000);
    expect(sends.length).toBe(intervals.length);
  });
});
