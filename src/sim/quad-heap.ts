/**
 * The event queue's heap: a 4-ary min-heap of (time, order) pairs, interleaved in one typed
 * array (time at 2i, order at 2i + 1), least time first and then least order. The queue packs
 * the order as sequence × 2²⁴ + slot (event-queue.ts), so one 16-byte pair is the whole entry.
 *
 * Why this layout: at 10⁶ pending entries the heap is far larger than the L2 cache, and a pop's
 * sift-down costs about one cache miss per level. Four children per node halve the depth
 * (10 levels instead of 20), and a family's four pairs are 64 adjacent bytes — keys and payload
 * in one or two cache lines, where three separate arrays touch three or more. Orders are unique,
 * so the order of entries is total and the pop order cannot depend on the heap's shape: any
 * layout pops exactly the sequence the binary heap this replaces popped.
 *
 * A pop may leave a hole at the root (`vacateTop`): the next push sifts down from the root
 * instead of from the last entry (an event usually schedules the next one, so a pop and a push
 * become one sift), and `settle` fills a hole that no push filled before the root is read.
 */
/** An order's low part: up to 2²⁴ (16.7 M) slots, i.e. simultaneously pending heap events. */
export const SLOT_BITS = 2 ** 24;

/** The slot of an order (order mod SLOT_BITS, without `%`, a slow call on doubles beyond int32). */
export const slotOf = (order: number): number => order - Math.floor(order / SLOT_BITS) * SLOT_BITS;

export class QuadHeap {
  /** Interleaved pairs: time at 2i, order at 2i + 1, for entry i (the root is entry 0). */
  key = new Float64Array(2048);
  /** Entries, a hole at the root included. */
  size = 0;
  /** True when the root is empty (see `vacateTop`); read no root field before `settle`. */
  hole = false;

  push(time: number, order: number): void {
    if (this.hole) {
      this.hole = false;
      this.siftDown(time, order);
    } else {
      if (2 * this.size === this.key.length) this.grow();
      this.siftUp(this.size++, time, order);
    }
  }

  /** Empties the root (after its entry was taken); the next push or `settle` fills it. */
  vacateTop(): void {
    this.hole = true;
  }

  /** Fills a hole at the root with the last entry, so that the root is the least entry again. */
  settle(): void {
    if (this.hole) {
      this.hole = false;
      this.removeTop();
    }
  }

  /** Removes the root entry (no hole may be pending). */
  removeTop(): void {
    const last = --this.size;
    if (last > 0) this.siftDown(this.key[2 * last] as number, this.key[2 * last + 1] as number);
  }

  private siftUp(index: number, time: number, order: number): void {
    const h = this.key;
    let i = index;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = h[2 * p] as number;
      if (pt < time || (pt === time && (h[2 * p + 1] as number) < order)) break;
      h[2 * i] = pt;
      h[2 * i + 1] = h[2 * p + 1] as number;
      i = p;
    }
    h[2 * i] = time;
    h[2 * i + 1] = order;
  }

  /** Puts (time, order) in the root's place, moving the least child up while it is less. */
  private siftDown(time: number, order: number): void {
    const h = this.key;
    const n = this.size;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      // c: index in `key` of the least child's time; unrolled for a full family, the common case.
      let c = 2 * first;
      let ct = h[c] as number;
      let co = h[c + 1] as number;
      if (first + 3 < n) {
        const b = 2 * first;
        let kt = h[b + 2] as number;
        if (kt < ct || (kt === ct && (h[b + 3] as number) < co)) {
          c = b + 2;
          ct = kt;
          co = h[b + 3] as number;
        }
        kt = h[b + 4] as number;
        if (kt < ct || (kt === ct && (h[b + 5] as number) < co)) {
          c = b + 4;
          ct = kt;
          co = h[b + 5] as number;
        }
        kt = h[b + 6] as number;
        if (kt < ct || (kt === ct && (h[b + 7] as number) < co)) {
          c = b + 6;
          ct = kt;
          co = h[b + 7] as number;
        }
      } else {
        for (let k = c + 2; k < 2 * n; k += 2) {
          const kt = h[k] as number;
          if (kt < ct || (kt === ct && (h[k + 1] as number) < co)) {
            c = k;
            ct = kt;
            co = h[k + 1] as number;
          }
        }
      }
      if (time < ct || (time === ct && order < co)) break;
      h[2 * i] = ct;
      h[2 * i + 1] = co;
      i = c >> 1;
    }
    h[2 * i] = time;
    h[2 * i + 1] = order;
  }

  private grow(): void {
    const key = new Float64Array(this.key.length * 2);
    key.set(this.key);
    this.key = key;
  }
}
