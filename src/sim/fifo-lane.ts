import type { EventFn } from './event-queue.js';

/**
 * One FIFO lane of the event queue: a ring buffer of events whose times never decrease (all
 * scheduled with the same constant delay on a clock that only moves forward), so the ring is
 * already sorted by (time, order) and push/pop are O(1); the order is the queue's packed
 * sequence (event-queue.ts).
 *
 * Entries are named by their absolute position (head ≤ position < tail), which only grows, so a
 * position is a stale-proof handle without generations. A cancelled entry keeps its place with
 * a null callback (a tombstone) and is dropped when it reaches the head. Keys and entries are
 * interleaved pairs (two arrays instead of four: one cache line per entry and fewer bounds
 * checks). Internals of EventQueue; the fields are public only so that its pop loop can read
 * them without calls.
 */
export class FifoLane {
  /** Interleaved keys: time at 2i, order (sequence × 2²⁴) at 2i + 1, for ring index i. */
  key: Float64Array;
  /** Interleaved entries: callback at 2i (null = cancelled), argument at 2i + 1. */
  ent: unknown[];
  /** Absolute position of the first entry, and one past the last; ring index = position & mask. */
  head = 0;
  tail = 0;
  mask: number;
  /** Time of the last push: the next one must not be earlier. */
  lastTime = Number.NEGATIVE_INFINITY;

  constructor(capacity = 64) {
    this.key = new Float64Array(2 * capacity);
    this.ent = new Array<unknown>(2 * capacity).fill(null);
    this.mask = capacity - 1;
  }

  /** Appends an event; returns its absolute position. */
  push(time: number, order: number, fn: EventFn, arg: unknown): number {
    if (!(time >= this.lastTime)) {
      throw new RangeError(`lane time ${time} is before the lane's last time ${this.lastTime}: a lane needs non-decreasing times`);
    }
    if (this.tail - this.head > this.mask) this.grow();
    const pos = this.tail++;
    const i = (pos & this.mask) << 1;
    this.key[i] = time;
    this.key[i + 1] = order;
    this.ent[i] = fn;
    this.ent[i + 1] = arg;
    this.lastTime = time;
    return pos;
  }

  /** Tombstones the live entry at `pos`; false if it already ran, was cancelled or never existed. */
  cancel(pos: number): boolean {
    if (pos < this.head || pos >= this.tail) return false;
    const i = (pos & this.mask) << 1;
    if (this.ent[i] === null) return false;
    this.ent[i] = null;
    this.ent[i + 1] = undefined;
    return true;
  }

  /** Drops cancelled entries at the head; true if a live entry remains. */
  dropTombstones(): boolean {
    const ent = this.ent;
    const mask = this.mask;
    let h = this.head;
    const tail = this.tail;
    while (h < tail && ent[(h & mask) << 1] === null) h++;
    this.head = h;
    return h < tail;
  }

  /** Doubles the ring, keeping every entry at index position & mask of the new mask. */
  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const mask = cap - 1;
    const key = new Float64Array(2 * cap);
    const ent = new Array<unknown>(2 * cap).fill(null);
    for (let p = this.head; p < this.tail; p++) {
      const from = (p & this.mask) << 1;
      const to = (p & mask) << 1;
      key[to] = this.key[from] as number;
      key[to + 1] = this.key[from + 1] as number;
      ent[to] = this.ent[from];
      ent[to + 1] = this.ent[from + 1];
    }
    this.key = key;
    this.ent = ent;
    this.mask = mask;
  }
}
