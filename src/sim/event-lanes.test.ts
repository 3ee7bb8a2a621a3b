import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';
import { Simulation } from './simulation.js';

/**
 * FIFO lanes must change speed, never order: every test compares lanes against the heap-only
 * path, or against a sorted-array model of the kernel's contract (time, then scheduling order).
 */
const SEED = Number(process.env.PROPS_SEED ?? 0x1a9e5);
const RUNS = Number(process.env.PROPS_RUNS ?? 300);
const noop = (): void => undefined;

/** Pops everything, but at most `pending` + 1 times, so that a queue that never empties fails fast. */
const drain = (q: EventQueue): [number, unknown][] => {
  const out: [number, unknown][] = [];
  const most = q.pending + 1;
  while (out.length < most && q.shift()) out.push([q.shiftedTime, q.shiftedArg]);
  return out;
};

describe('event queue lanes: unit cases', () => {
  it('interleaves lane and heap events by time, and by scheduling order for equal times', () => {
    const q = new EventQueue();
    const five = q.addLane();
    const two = q.addLane();
    q.push(5, noop, 'heap@5 first');
    q.pushLane(five, 5, noop, 'lane5@5');
    q.pushLane(two, 2, noop, 'lane2@2');
    q.push(5, noop, 'heap@5 last');
    q.push(1, noop, 'heap@1');
    q.pushLane(two, 5, noop, 'lane2@5');
    q.pushLane(five, 7, noop, 'lane5@7');
    expect(q.pending).toBe(7);
    expect(q.peekTime()).toBe(1);
    expect(drain(q)).toEqual([
      [1, 'heap@1'],
      [2, 'lane2@2'],
      [5, 'heap@5 first'],
      [5, 'lane5@5'],
      [5, 'heap@5 last'],
      [5, 'lane2@5'],
      [7, 'lane5@7'],
    ]);
    expect(q.pending).toBe(0);
  });

  it('cancels a lane event in O(1), skips its tombstone, and ignores stale handles and −1', () => {
    const q = new EventQueue();
    const lane = q.addLane();
    const a = q.pushLane(lane, 1, noop, 'a');
    const b = q.pushLane(lane, 2, noop, 'b');
    q.pushLane(lane, 3, noop, 'c');
    expect(a).toBeLessThanOrEqual(-2);
    expect(q.cancel(-1)).toBe(false);
    expect(q.cancel(a)).toBe(true);
    expect(q.cancel(a)).toBe(false);
    expect(q.pending).toBe(2);
    expect(q.peekTime()).toBe(2); // the tombstone at the head is not the earliest event
    expect(q.shiftUntil(1)).toBe(false);
    expect(q.shift()).toBe(true);
    expect(q.shiftedArg).toBe('b');
    expect(q.cancel(b)).toBe(false); // already ran
    expect(drain(q)).toEqual([[3, 'c']]);
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });

  it('ignores a stale lane handle whose ring entry now holds a later event', () => {
    const q = new EventQueue();
    const lane = q.addLane();
    const first = q.pushLane(lane, 0, noop, 'first');
    expect(q.shift()).toBe(true);
    // 64 more pushes without growing the ring (64 entries): the last reuses `first`'s entry.
    const later = Array.from({ length: 64 }, (_, k) => q.pushLane(lane, k + 1, noop, k + 1));
    expect(q.cancel(first)).toBe(false);
    expect(q.pending).toBe(64);
    expect(q.cancel(later[63] as number)).toBe(true);
    expect(drain(q).map(([, arg]) => arg)).toEqual(Array.from({ length: 63 }, (_, k) => k + 1));
  });

  it('keeps order and handles across ring growth with wrap-around', () => {
    const q = new EventQueue();
    const lane = q.addLane();
    const handles: number[] = [];
    // Fill, half-drain, then push far past the initial capacity so the ring wraps and grows.
    for (let i = 0; i < 50; i++) handles.push(q.pushLane(lane, i, noop, i));
    for (let i = 0; i < 25; i++) q.shift();
    for (let i = 50; i < 500; i++) handles.push(q.pushLane(lane, i, noop, i));
    expect(q.cancel(handles[10] as number)).toBe(false); // ran before the growth
    expect(q.cancel(handles[30] as number)).toBe(true); // pending across the growth
    expect(q.cancel(handles[499] as number)).toBe(true);
    const rest = drain(q).map(([, arg]) => arg);
    const want = Array.from({ length: 475 }, (_, k) => k + 25).filter((i) => i !== 30 && i !== 499);
    expect(rest).toEqual(want);
  });

  it('refuses a lane push earlier than the lane’s previous one, and unknown lanes', () => {
    const q = new EventQueue();
    const lane = q.addLane();
    q.pushLane(lane, 10, noop);
    q.pushLane(lane, 10, noop);
    expect(() => q.pushLane(lane, 9, noop)).toThrow(RangeError);
    expect(() => q.pushLane(lane + 1, 20, noop)).toThrow(RangeError);
    expect(q.pending).toBe(2);
  });

  it('gives one lane per rounded delay, rejects bad delays, and counts lane events as pending', () => {
    const sim = new Simulation(1);
    expect(sim.lane(5_000)).toBe(sim.lane(5_000.2));
    expect(sim.lane(5_000)).not.toBe(sim.lane(1_000));
    expect(sim.queue.laneCount).toBe(2);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => sim.lane(bad)).toThrow(RangeError);
    const log: string[] = [];
    const tick = (arg: unknown): void => {
      log.push(`${sim.now()}:${arg as string}`);
      sim.lane(5_000).schedule(tick, arg);
    };
    sim.lane(5_000).schedule(tick, 'x');
    const h = sim.lane(1_000).schedule((arg) => log.push(`${sim.now()}:${arg as string}`), 'y');
    expect(sim.queue.pending).toBe(2);
    sim.cancel(h);
    expect(sim.run(12_000)).toEqual({ reason: 'horizon', endUs: 12_000, events: 2 });
    expect(log).toEqual(['5000:x', '10000:x']);
    expect(sim.queue.pending).toBe(1);
  });
});

/** One operation of the queue-level property; delays are small so that equal times are common. */
type Op =
  | { readonly op: 'heap'; readonly delay: number }
  | { readonly op: 'lane'; readonly lane: number }
  | { readonly op: 'cancel'; readonly pick: number }
  | { readonly op: 'pop' };

const LANE_DELAYS = [0, 2, 3, 7];

type Script = readonly { readonly children: readonly number[]; readonly cancel: number | undefined }[];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('heap' as const), delay: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ op: fc.constant('lane' as const), lane: fc.integer({ min: 0, max: LANE_DELAYS.length - 1 }) }),
  fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.constant({ op: 'pop' as const }),
);

describe(`event queue lanes: same order as the heap alone (seed ${SEED}, ${RUNS} runs)`, () => {
  it('a random mix of heap and lane pushes, cancels and pops matches a heap-only queue and a sorted model', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), (ops) => {
        const mixed = new EventQueue();
        const lanes = LANE_DELAYS.map(() => mixed.addLane());
        const heapOnly = new EventQueue();
        // Every event ever scheduled, with both handles; `done` once it ran or was cancelled.
        const all: { t: number; id: number; mixed: number; heap: number; done: boolean }[] = [];
        let clock = 0;
        for (const o of ops) {
          if (o.op === 'heap' || o.op === 'lane') {
            const id = all.length;
            const t = clock + (o.op === 'heap' ? o.delay : (LANE_DELAYS[o.lane] as number));
            const m = o.op === 'heap' ? mixed.push(t, noop, id) : mixed.pushLane(lanes[o.lane] as number, t, noop, id);
            all.push({ t, id, mixed: m, heap: heapOnly.push(t, noop, id), done: false });
          } else if (o.op === 'cancel' && all.length > 0) {
            // Picks any event, including ones that already ran or were cancelled (stale handles).
            const victim = all[o.pick % all.length] as (typeof all)[number];
            const want = !victim.done;
            expect(mixed.cancel(victim.mixed)).toBe(want);
            expect(heapOnly.cancel(victim.heap)).toBe(want);
            victim.done = true;
          } else if (o.op === 'pop') {
            const next = all.filter((e) => !e.done).sort((a, b) => a.t - b.t || a.id - b.id)[0];
            expect(mixed.peekTime()).toBe(next === undefined ? Number.POSITIVE_INFINITY : next.t);
            const got = mixed.shift();
            expect(heapOnly.shift()).toBe(got);
            expect(got).toBe(next !== undefined);
            if (next !== undefined) {
              expect([mixed.shiftedTime, mixed.shiftedArg]).toEqual([next.t, next.id]);
              expect([heapOnly.shiftedTime, heapOnly.shiftedArg]).toEqual([next.t, next.id]);
              next.done = true;
              clock = next.t; // later pushes are "scheduled during" this event
            }
          }
          expect(mixed.pending).toBe(heapOnly.pending);
          expect(mixed.pending).toBe(all.filter((e) => !e.done).length);
        }
        expect(drain(mixed)).toEqual(drain(heapOnly));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('a random simulation program runs the same events at the same times with lanes as with schedule()', () => {
    // Each event, when it runs, follows script[id % length]: schedule children after the given
    // delays (those in LANE_DELAYS via sim.lane when lanes are on), and cancel one earlier event.
    const scriptArb = fc.array(
      fc.record({
        children: fc.array(fc.constantFrom(0, 1, 2, 3, 5, 7), { maxLength: 3 }),
        cancel: fc.option(fc.nat(), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 20 },
    );
    const execute = (script: Script, roots: readonly number[], lanes: boolean): unknown => {
      const sim = new Simulation(1);
      const handles: number[] = [];
      const log: string[] = [];
      const schedule = (delay: number): void => {
        const id = handles.length;
        handles.push(lanes && LANE_DELAYS.includes(delay) ? sim.lane(delay).schedule(step, id) : sim.schedule(delay, step, id));
      };
      const step = (arg: unknown): void => {
        const id = arg as number;
        const s = script[id % script.length] as Script[number];
        log.push(`${sim.now()}:${id}`);
        for (const d of s.children) schedule(d);
        if (s.cancel !== undefined) log.push(`cancel ${sim.queue.cancel(handles[s.cancel % handles.length] as number)}`);
      };
      for (const d of roots) schedule(d);
      const out = sim.run(40, 2_000);
      return { out, log, pending: sim.queue.pending };
    };
    fc.assert(
      fc.property(scriptArb, fc.array(fc.constantFrom(0, 1, 2, 3, 7), { minLength: 1, maxLength: 6 }), (script, roots) => {
        expect(execute(script, roots, true)).toEqual(execute(script, roots, false));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe(`event queue: renumbering sequences keeps the order (seed ${SEED}, ${RUNS} runs)`, () => {
  // Sequences are packed as sequence × 2²⁴ + slot and renumbered by rank when the counter
  // reaches the limit (2²⁹ in use, 32 here so that a run renumbers every few pushes); pending
  // events stay ≤ 30 so that the ranks fit below the limit.
  it('a queue renumbered every few pushes pops like a queue that never renumbers', () => {
    fc.assert(
      // minLength: fast-check's arrays are short by default, and a renumbering needs 32 pushes.
      fc.property(fc.array(opArb, { minLength: 200, maxLength: 400 }), (ops) => {
        const small = new EventQueue({ seqLimit: 32 });
        const smallLanes = LANE_DELAYS.map(() => small.addLane());
        const plain = new EventQueue();
        const plainLanes = LANE_DELAYS.map(() => plain.addLane());
        const handles: [number, number][] = [];
        let clock = 0;
        for (const o of ops) {
          if ((o.op === 'heap' || o.op === 'lane') && small.pending < 30) {
            const id = handles.length;
            const t = clock + (o.op === 'heap' ? o.delay : (LANE_DELAYS[o.lane] as number));
            handles.push(
              o.op === 'heap'
                ? [small.push(t, noop, id), plain.push(t, noop, id)]
                : [small.pushLane(smallLanes[o.lane] as number, t, noop, id), plain.pushLane(plainLanes[o.lane] as number, t, noop, id)],
            );
          } else if (o.op === 'cancel' && handles.length > 0) {
            const [s, p] = handles[o.pick % handles.length] as [number, number];
            expect(small.cancel(s)).toBe(plain.cancel(p));
          } else if (o.op === 'pop') {
            const got = small.shift();
            expect(plain.shift()).toBe(got);
            if (got) {
              expect([small.shiftedTime, small.shiftedArg]).toEqual([plain.shiftedTime, plain.shiftedArg]);
              clock = small.shiftedTime;
            }
          }
          expect(small.pending).toBe(plain.pending);
        }
        expect(drain(small)).toEqual(drain(plain));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('refuses to renumber more pending events than the limit allows', () => {
    const q = new EventQueue({ seqLimit: 4 });
    for (let i = 0; i < 4; i++) q.push(i, noop, i);
    expect(() => q.push(9, noop, 9)).toThrow(RangeError);
  });
});
