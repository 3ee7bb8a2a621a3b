import type { FifoLane } from './fifo-lane.js';
import { type QuadHeap, SLOT_BITS, slotOf } from './quad-heap.js';

/**
 * The event queue packs a heap entry's order as sequence × SLOT_BITS + slot, exact only while
 * sequences stay below 2⁵³ / SLOT_BITS = 2²⁹. When the counter gets there, this gives every
 * pending event (`n` of them, heap and lanes) its sequence's rank among them as its new
 * sequence, 0 … n − 1; the queue then restarts its counter at n. The map is increasing, so
 * every (time, order) comparison, and so the pop order, is unchanged.
 *
 * The heap is rebuilt without its tombstones (their slots are released: any valid heap of the
 * same entries pops the same order); a lane's tombstones keep their place, since positions are
 * handles, and their keys are never compared (a tombstone is dropped before it is a head).
 * O(n log n), once per 2²⁹ pushes.
 */
export const renumberSequences = (
  heap: QuadHeap,
  lanes: readonly FifoLane[],
  n: number,
  slotLive: (slot: number) => boolean,
  releaseSlot: (slot: number) => void,
): void => {
  heap.settle();
  const times = new Float64Array(heap.size);
  const orders = new Float64Array(heap.size);
  let m = 0;
  for (let i = 0; i < heap.size; i++) {
    const order = heap.key[2 * i + 1] as number;
    if (!slotLive(slotOf(order))) {
      releaseSlot(slotOf(order));
    } else {
      times[m] = heap.key[2 * i] as number;
      orders[m++] = order;
    }
  }
  const seqs = new Float64Array(n);
  for (let i = 0; i < m; i++) seqs[i] = Math.floor((orders[i] as number) / SLOT_BITS);
  let j = m;
  for (const ring of lanes) {
    for (let p = ring.head; p < ring.tail; p++) {
      const i = (p & ring.mask) << 1;
      if (ring.ent[i] !== null) seqs[j++] = (ring.key[i + 1] as number) / SLOT_BITS;
    }
  }
  if (j !== n) throw new Error(`renumbering found ${j} pending events, the queue counts ${n}`);
  seqs.sort();
  const rank = (order: number): number => {
    const seq = Math.floor(order / SLOT_BITS);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((seqs[mid] as number) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  heap.size = 0;
  for (let i = 0; i < m; i++) heap.push(times[i] as number, rank(orders[i] as number) * SLOT_BITS + slotOf(orders[i] as number));
  for (const ring of lanes) {
    for (let p = ring.head; p < ring.tail; p++) {
      const i = (p & ring.mask) << 1;
      if (ring.ent[i] !== null) ring.key[i + 1] = rank(ring.key[i + 1] as number) * SLOT_BITS;
    }
  }
};
