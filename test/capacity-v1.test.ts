import { describe, expect, it } from 'vitest';
import { v1BeatRoundUs, v1OnsetClients } from '../src/analysis/capacity-bounds.js';
import { type CapacityMetrics, capacityMetrics } from '../src/analysis/capacity-metrics.js';
import { V1_KNOBS } from '../src/models/nacos-v1/defaults.js';
import { v1Settings } from '../src/models/nacos-v1/settings.js';
import { parseVersion, type Version } from '../src/models/version.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';
import type { TraceEvent } from '../src/sim/trace.js';

// nacos-v1 › capacity: queueing delay at the server turns live instances unhealthy, then deleted.
// The expected onsets come from src/analysis/capacity-bounds.ts (one round of N beats through the
// busier pool against the heartbeat and delete timeouts), never from a run. Small N with large
// costs keep the runs fast; the onset depends on N · cost / workers only.

const N = 100;
const HEARTBEAT_TIMEOUT_MS = V1_KNOBS.find((k) => k.key === 'preserved.heart.beat.timeout')?.default as number;
const DELETE_TIMEOUT_MS = V1_KNOBS.find((k) => k.key === 'preserved.ip.delete.timeout')?.default as number;
const BEAT_INTERVAL_MS = V1_KNOBS.find((k) => k.key === 'preserved.heart.beat.interval')?.default as number;

const scenario = (set: Record<string, string | number>, over: Partial<ScenarioFile> = {}): ScenarioFile => ({
  model: 'nacos-v1',
  clients: N,
  subscribers: 0,
  until: '3m',
  set,
  ...over,
});

const run = (file: ScenarioFile): { m: CapacityMetrics; trace: readonly TraceEvent[] } => {
  const sc = resolveScenario(file);
  const { trace } = runScenario(sc);
  return { m: capacityMetrics(trace, { faults: sc.faults, fromUs: 0, untilUs: sc.untilUs }), trace };
};

const capacityOf = (file: ScenarioFile) => {
  const sc = resolveScenario(file);
  return v1Settings(sc.config, parseVersion('1.4.8') as Version).capacity;
};

/** The cost (ms) of one unit of work at which N beats take `limitMs` on `workers` workers. */
const costAtMs = (limitMs: number, workers: number): number => (limitMs * workers) / N;

describe('nacos-v1 › capacity › the health executor', () => {
  // Only the ClientBeatProcessor costs: one worker, cost c each. One round of N beats takes N·c.
  // The beat check waits in the same queue as the beats, so a growing queue delays both alike;
  // an instance's lastBeat is refreshed once per round, so the check finds ages up to N·c:
  // unhealthy once N·c > heartbeat timeout (15 s), deleted once N·c > delete timeout (30 s).
  const set = (costMs: number) => ({ 'com.alibaba.nacos.naming.health.thread.num': 1, 'sim.server.cost.beatProcess': `${costMs}ms` });
  const unhealthyAt = costAtMs(HEARTBEAT_TIMEOUT_MS, 1);
  const deletedAt = costAtMs(DELETE_TIMEOUT_MS, 1);

  it('the analytic onset is where one round of beats outlasts the heartbeat timeout', () => {
    const cap = capacityOf(scenario(set(unhealthyAt)));
    expect(v1BeatRoundUs(N, cap)).toBe(HEARTBEAT_TIMEOUT_MS * 1000);
    expect(v1OnsetClients(cap, HEARTBEAT_TIMEOUT_MS)).toBe(N + 1);
  });

  it('below the onset (round 10 % under 15 s): the queue grows without bound, yet no live instance is marked', () => {
    const { m } = run(scenario(set(unhealthyAt * 0.9)));
    // The pool is over-subscribed (the round takes 2.7 beat intervals): waits pass a second.
    expect(unhealthyAt * 0.9 * N).toBeGreaterThan(BEAT_INTERVAL_MS);
    expect(m.waitOver1sAtMs.health).toBeDefined();
    expect(m.falseUnhealthy).toBe(0);
    expect(m.falseRemovals).toBe(0);
  });

  it('above it (round 10 % over 15 s): live instances are marked unhealthy, none deleted', () => {
    const { m } = run(scenario(set(unhealthyAt * 1.1)));
    expect(m.falseUnhealthy).toBeGreaterThan(0);
    expect(m.falseRemovals).toBe(0);
  });

  it('round 10 % under the delete timeout: marked, not deleted; 10 % over: deleted', () => {
    expect(run(scenario(set(deletedAt * 0.9))).m.falseRemovals).toBe(0);
    const over = run(scenario(set(deletedAt * 1.1))).m;
    expect(over.falseRemovals).toBeGreaterThan(0);
    // A deleted live client beats on: its light beat gets 20404 and it registers again.
    expect(over.reRegistrations).toBeGreaterThan(0);
  });

  it('the first marks come when the check due at 10 s has waited behind the first round of beats', () => {
    // Cost c = 200 ms (round 20 s; beats arrive at N / 5 s = 20/s, are served at 5/s). c1
    // registers at 0 and creates the service: the check comes due at ~5 s and runs after the ≤ 2
    // beats ahead of it (≤ 5.5 s), so it comes due again in [10 s, 10.5 s]. The clients register
    // over [0, 5 s), so their first beats arrive over [5 s, 10 s), and their second beats 5 s
    // after the first. Ahead of the second check: ≥ 99 first beats (19.8 s of work, begun no
    // earlier than 5 s) and ≤ 100 first + ~12 second beats (22.4 s): it runs in [24.8 s, 27.6 s].
    // It marks the instances whose beat was processed more than 15 s before it: those processed
    // from ~5.2 s to 9.8-12.6 s, one every c: 5 s / c to 7.4 s / c of them (give or take a few).
    const c = 200;
    const { trace } = run(scenario(set(c), { until: '40s' }));
    const marks = trace.filter((e) => e.kind === 'instance.unhealthy');
    expect(marks.length).toBeGreaterThan(0);
    const first = marks[0] as TraceEvent;
    expect(first.t / 1e6).toBeGreaterThanOrEqual(5 + ((N - 1) * c) / 1000);
    expect(first.t / 1e6).toBeLessThanOrEqual(5 + ((N + 12) * c) / 1000);
    const atFirst = marks.filter((e) => e.t === first.t).length;
    expect(atFirst).toBeGreaterThanOrEqual(5000 / c - 5);
    expect(atFirst).toBeLessThanOrEqual(7400 / c + 5);
  });
});

describe('nacos-v1 › capacity › the HTTP workers', () => {
  // Only the beat request costs: one HTTP worker, cost c. The reply waits for the worker, and the
  // client beats again one interval after its reply: a closed loop whose round is N·c once that
  // exceeds the interval. lastBeat is refreshed once per round: marks once N·c > 15 s.
  const set = (costMs: number) => ({ 'sim.server.threads': 1, 'sim.server.cost.beat': `${costMs}ms` });
  const unhealthyAt = costAtMs(HEARTBEAT_TIMEOUT_MS, 1);

  it('a round 10 % under the heartbeat timeout slows every beat but marks nobody', () => {
    const { m } = run(scenario(set(unhealthyAt * 0.9)));
    // The closed loop: beats arrive at N per round (N·c = 13.5 s), not N per interval.
    expect(m.loadPerSec.beats).toBeLessThan((N / (unhealthyAt * 0.9 * N)) * 1000 * 1.05);
    expect(m.falseUnhealthy).toBe(0);
  });

  it('a round 10 % over it marks live instances unhealthy', () => {
    expect(run(scenario(set(unhealthyAt * 1.1))).m.falseUnhealthy).toBeGreaterThan(0);
  });
});
