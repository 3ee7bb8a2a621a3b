import { describe, expect, it } from 'vitest';
import { V1_KEYS, V1_KNOBS } from '../src/models/nacos-v1/defaults.js';
import { MODELS } from '../src/models/registry.js';
import { parseDuration } from '../src/scenario/duration.js';
import { InputError } from '../src/scenario/input-error.js';
import { makePlan, type RunTask, taskAt } from '../src/sweep/plan.js';

const beatIntervalMs = V1_KNOBS.find((k) => k.key === V1_KEYS.beatInterval)?.default as number;
/** The default LAN latency is uniform 0.2–1 ms one way; a beat cycle is 4 one-way trips (SYN, SYN-ACK, request, response). */
const DMAX_MS = 1;

const run = (plan: ReturnType<typeof makePlan>, i: number): RunTask => {
  const t = taskAt(plan, i);
  if ('illegalLine' in t) throw new Error(`run ${i} is illegal`);
  return t;
};

describe('sweep › run plan', () => {
  it('is the cartesian product, first --vary outermost, times N seeds', () => {
    const plan = makePlan({ base: { model: 'nacos-v1', faults: ['cut@60s'] }, vary: ['preserved.ip.delete.timeout=20s,40s', 'ephemeral=true,false'], runs: 3 });
    expect(plan.header.points).toBe(4);
    expect(plan.header.total).toBe(12);
    expect(plan.points.map((p) => p.set)).toEqual([
      { 'preserved.ip.delete.timeout': '20s', ephemeral: 'true' },
      { 'preserved.ip.delete.timeout': '20s', ephemeral: 'false' },
      { 'preserved.ip.delete.timeout': '40s', ephemeral: 'true' },
      { 'preserved.ip.delete.timeout': '40s', ephemeral: 'false' },
    ]);
    const t = run(plan, 7); // point 2, seed 2
    expect([t.point, t.seed]).toEqual([2, 2]);
    expect(t.input.set).toMatchObject({ 'preserved.ip.delete.timeout': '40s', ephemeral: 'true' });
    expect(t.input.faults).toEqual(['cut@60s']);
  });

  it('a fault without @START starts one beat period after a warm-up of two beats (nacos-v1 defaults)', () => {
    const plan = makePlan({ base: { model: 'nacos-v1', faults: ['cut'] }, vary: ['preserved.ip.delete.timeout=20s,40s'], runs: 1 });
    const w = plan.header.onset;
    // c1 beats first one period after registering at 0: heard at ≈ P and ≈ 2P; beats are P + 4 one-way trips apart.
    expect(w?.periodMs).toBeGreaterThanOrEqual(beatIntervalMs + 1);
    expect(w?.periodMs).toBeLessThanOrEqual(beatIntervalMs + 4 * DMAX_MS);
    expect(w?.warmupMs).toBeGreaterThanOrEqual(2 * beatIntervalMs);
    expect(w?.warmupMs).toBeLessThanOrEqual(2 * beatIntervalMs + 12 * DMAX_MS);
  });

  it('common random numbers: every point sees the same onset for a seed, and the onsets cover the period', () => {
    const runs = 200;
    const plan = makePlan({ base: { model: 'nacos-v1', faults: ['cut', 'loss:0.1@1s'] }, vary: ['preserved.ip.delete.timeout=20s,40s,60s'], runs });
    const w = plan.header.onset as { warmupMs: number; periodMs: number };
    const onsets: number[] = [];
    for (let s = 0; s < runs; s++) {
      const faults = [0, 1, 2].map((point) => run(plan, point * runs + s).input.faults);
      expect(faults[1]).toEqual(faults[0]);
      expect(faults[2]).toEqual(faults[0]);
      expect(faults[0]?.[1]).toBe('loss:0.1@1s'); // a fault with @START keeps it
      onsets.push(parseDuration((faults[0]?.[0] ?? '').replace(/^cut@/, ''), 'onset') / 1000);
    }
    expect(Math.min(...onsets)).toBeGreaterThanOrEqual(w.warmupMs);
    expect(Math.max(...onsets)).toBeLessThan(w.warmupMs + w.periodMs);
    // 200 uniform draws: the chance that none lands in the first (or last) tenth is 0.9^200 ≈ 7e-10.
    expect(Math.min(...onsets)).toBeLessThan(w.warmupMs + w.periodMs / 10);
    expect(Math.max(...onsets)).toBeGreaterThan(w.warmupMs + (w.periodMs * 9) / 10);
  });

  it('the window is the widest over the points, so a longer beat period is fully covered', () => {
    const plan = makePlan({ base: { model: 'nacos-v1', faults: ['crash'] }, vary: ['preserved.heart.beat.interval=2s,8s'], runs: 1 });
    expect(plan.header.onset?.periodMs).toBeGreaterThanOrEqual(8000);
    expect(plan.header.onset?.warmupMs).toBeGreaterThanOrEqual(16000);
  });

  it('an illegal point is reported, not fatal; a legal 10 s delete timeout stays legal', () => {
    const plan = makePlan({
      base: { model: 'nacos-v1', faults: ['cut'] },
      vary: ['preserved.heart.beat.interval=5s,16s', 'preserved.ip.delete.timeout=10s,30s'],
      runs: 2,
    });
    const illegal = plan.points.filter((p) => p.illegal !== null).map((p) => p.set);
    // Nacos requires interval < heartbeat timeout (15 s) and interval < delete timeout.
    expect(illegal).toEqual([
      { 'preserved.heart.beat.interval': '16s', 'preserved.ip.delete.timeout': '10s' },
      { 'preserved.heart.beat.interval': '16s', 'preserved.ip.delete.timeout': '30s' },
    ]);
    const line = taskAt(plan, 5); // point 2, seed 2
    expect('illegalLine' in line && JSON.parse(line.illegalLine)).toMatchObject({
      type: 'run',
      i: 5,
      point: 2,
      seed: 2,
      illegal: expect.stringMatching(/heart beat interval/),
    });
  });

  it('refuses bad input as InputError: all points illegal, clashing keys, unknown fault kinds', () => {
    const base = { model: 'nacos-v1', faults: ['cut'] };
    expect(() => makePlan({ base, vary: ['preserved.heart.beat.interval=16s,20s'], runs: 1 })).toThrow(/every point of the sweep is illegal/);
    expect(() => makePlan({ base: { ...base, set: { 'preserved.ip.delete.timeout': '9s' } }, vary: ['preserved.ip.delete.timeout=10s'], runs: 1 })).toThrow(
      /both --set and --vary/,
    );
    expect(() => makePlan({ base: { ...base, faults: ['rst'] }, vary: ['preserved.ip.delete.timeout=10s'], runs: 1 })).toThrow(InputError);
    expect(() => makePlan({ base: { ...base, faults: ['pause'] }, vary: ['preserved.ip.delete.timeout=10s'], runs: 1 })).toThrow(
      /'pause' without @START: pause needs an end/,
    );
    expect(() => makePlan({ base, vary: ['preserved.ip.delete.timeout=10s'], runs: 0 })).toThrow(/--runs/);
    expect(() => makePlan({ base, vary: [], runs: 1 })).toThrow(/--vary/);
  });

  it('the plan hash changes with anything that changes the runs', () => {
    const base = { model: 'nacos-v1', faults: ['cut'] };
    const h = (over: object, vary = ['preserved.ip.delete.timeout=10s,20s']) => makePlan({ base: { ...base, ...over }, vary, runs: 2 }).header.planHash;
    expect(h({})).toBe(h({}));
    expect(h({ seed: 5 })).not.toBe(h({}));
    expect(h({ until: '5m' })).not.toBe(h({}));
    expect(h({}, ['preserved.ip.delete.timeout=10s,30s'])).not.toBe(h({}));
  });
});

/** A sweep without --vary is refused with an example in the model's own keys, each of which that model accepts. */
describe('sweep › the --vary example names the model’s own keys', () => {
  for (const model of MODELS) {
    it(model.id, () => {
      let message = '';
      try {
        makePlan({ base: { model: model.id, faults: ['cut'] }, vary: [], runs: 1 });
      } catch (e) {
        message = (e as Error).message;
      }
      const example = /e\.g\. --vary (\S+)\)/.exec(message)?.[1];
      expect(example, message).toBeDefined();
      // The example is itself a legal --vary for this model.
      expect(() => makePlan({ base: { model: model.id, faults: ['cut'] }, vary: [example as string], runs: 1 })).not.toThrow();
    });
  }
});
