import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';

const drain = (q: EventQueue): [number, unknown][] => {
  const out: [number, unknown][] = [];
  while (q.shift()) out.push([q.shiftedTime, q.shiftedArg]);
  return out;
};

describe('event queue', () => {
  it('pops in time order, and in scheduling order for equal times', () => {
    const q = new EventQueue();
    const noop = () => undefined;
    q.push(5, noop, 'a');
    q.push(1, noop, 'b');
    q.push(5, noop, 'c');
    q.push(3, noop, 'd');
    q.push(5, noop, 'e');
    expect(drain(q)).toEqual([
      [1, 'b'],
      [3, 'd'],
      [5, 'a'],
      [5, 'c'],
      [5, 'e'],
    ]);
  });

  it('matches a stable sort by (time, insertion) for any schedule', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue();
        for (const [i, t] of times.entries()) q.push(t, () => undefined, i);
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(drain(q)).toEqual(expected);
      }),
    );
  });

  it('cancels in O(1) by handle, skips the tombstone, and ignores stale handles', () => {
    const q = new EventQueue();
    const noop = () => undefined;
    const a = q.push(1, noop, 'a');
    q.push(2, noop, 'b');
    const c = q.push(3, noop, 'c');
    expect(q.cancel(c)).toBe(true);
    expect(q.cancel(c)).toBe(false);
    expect(q.pending).toBe(2);
    expect(drain(q)).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    // `a` already ran; its slot is reused by `d`, whose handle differs in generation.
    const d = q.push(4, noop, 'd');
    expect(q.cancel(a)).toBe(false);
    expect(drain(q)).toEqual([[4, 'd']]);
    expect(q.cancel(d)).toBe(false);
  });

  it('keeps order under random interleavings of push, cancel and pop', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('push', 'cancel', 'pop'), fc.integer({ min: 0, max: 20 })), { maxLength: 400 }), (ops) => {
        const q = new EventQueue();
        const model: { t: number; id: number; h: number }[] = [];
        let id = 0;
        let clock = 0;
        for (const [op, x] of ops) {
          if (op === 'push') {
            const t = clock + x;
            const h = q.push(t, () => undefined, id);
            model.push({ t, id: id++, h });
          } else if (op === 'cancel' && model.length > 0) {
            const victim = model.splice(x % model.length, 1)[0] as { h: number };
            expect(q.cancel(victim.h)).toBe(true);
          } else if (op === 'pop') {
            model.sort((a, b) => a.t - b.t || a.id - b.id);
            const next = model.shift();
            expect(q.shift()).toBe(next !== undefined);
            if (next !== undefined) {
              expect([q.shiftedTime, q.shiftedArg]).toEqual([next.t, next.id]);
              clock = next.t;
            }
          }
          expect(q.pending).toBe(model.length);
        }
      }),
    );
  });
});

describe('event queue: the hole a pop leaves at the heap root', () => {
  // A pop leaves the root empty for the next push to fill (quad-heap.ts); every other reader
  // (peek, pop, tombstone drop) must fill it first. The model is a stable sort by
  // (time, insertion), the kernel's contract; sizes reach four levels of the 4-ary heap.
  it('pops in (time, insertion) order when each pop is followed by 0–3 pushes, cancels and peeks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 400 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 40 }), fc.boolean(), fc.boolean()), { maxLength: 600 }),
        (initial, steps) => {
          const q = new EventQueue();
          const model: { t: number; id: number; h: number }[] = [];
          let id = 0;
          const add = (t: number): void => {
            model.push({ t, id, h: q.push(t, () => undefined, id) });
            id++;
          };
          for (const t of initial) add(t);
          for (const [pushes, gap, cancel, peek] of steps) {
            model.sort((a, b) => a.t - b.t || a.id - b.id);
            const next = model.shift();
            expect(q.shift()).toBe(next !== undefined);
            if (next === undefined) break;
            expect([q.shiftedTime, q.shiftedArg]).toEqual([next.t, next.id]);
            for (let k = 0; k < pushes; k++) add(next.t + gap + k);
            if (cancel && model.length > 0) {
              const victim = model.splice(gap % model.length, 1)[0] as { h: number };
              expect(q.cancel(victim.h)).toBe(true);
            }
            if (peek) expect(q.peekTime()).toBe(model.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...model.map((e) => e.t)));
            expect(q.pending).toBe(model.length);
          }
        },
      ),
    );
  });
});
