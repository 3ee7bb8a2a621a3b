import { FifoLane } from './fifo-lane.js';
import { QuadHeap, SLOT_BITS, slotOf } from './quad-heap.js';
import { renumberSequences } from './renumber.js';

/**
 * The kernel's pending-event set: a 4-ary min-heap ordered by (time, insertion sequence) on one
 * typed array (quad-heap.ts), plus optional FIFO lanes for events whose times are known to
 * never decrease (see `addLane`).
 *
 * Ties resolve in scheduling order (the sequence), never by object identity, which is what
 * makes a run replayable. Cancellation is O(1): a handle names a slot and its generation;
 * cancelling clears the slot's callback and the heap drops the tombstone when it surfaces.
 *
 * A heap entry is (time, order) with order = sequence × SLOT_BITS + slot: ordering by it is
 * ordering by sequence (sequences are unique), and it carries the slot, so an entry is 16 bytes
 * in one array. Exact integers stop at 2⁵³, so sequences must stay below 2⁵³ / SLOT_BITS = 2²⁹:
 * when the counter gets there, every pending event is renumbered by rank (`renumber`), which
 * keeps each comparison's outcome and so the pop order.
 *
 * Lanes share the sequence counter with the heap and a pop takes the least (time, order)
 * among the heap top and the lane heads (a lane's order is sequence × SLOT_BITS), so the order
 * of execution is exactly the order the heap alone would give: moving events onto lanes changes
 * speed, never a trace.
 *
 * Memory per pending heap event: 16 bytes of heap pair (up to twice that while the array has
 * room to grow) and a 24-byte slot record (three 8-byte array elements), 40–56 bytes.
 */
export type EventFn = (arg: unknown) => void;

/**
 * An opaque number naming one scheduled event; stale handles are ignored by `cancel`. Heap
 * events get handles ≥ 0, lane events handles ≤ −2; −1 is never a handle (a safe "no timer").
 */
export type EventHandle = number;

/** Sequences stay below this so that sequence × SLOT_BITS + slot is an exact integer. */
const SEQ_LIMIT = 2 ** 29;
/** Generations wrap here so that a handle (generation × SLOT_BITS + slot) stays an exact integer. */
const GEN_MASK = 2 ** 29 - 1;
/** Lane handles are −2 − (position × MAX_LANES + lane). */
const MAX_LANES = 1024;
/** `best` markers in the pop loop: nothing pending, or the heap top (lanes are 0, 1, …). */
const NONE = -2;
const HEAP = -1;

export class EventQueue {
  private readonly heap = new QuadHeap();

  /**
   * One record per slot, interleaved: callback at 3s (null = free or cancelled), argument at
   * 3s + 1, generation at 3s + 2. A pop reads a slot named by a random old push, so at 10⁶
   * pending it is a cache miss; one array makes it one miss instead of three.
   */
  private slots: unknown[] = [];
  private freeSlots: number[] = [];

  private lanes: FifoLane[] = [];
  /**
   * (time, order) of each lane's head, kept current on every push, pop and cancel (Infinity for
   * an empty lane), so that a pop compares lanes in one typed array. A lane's head is always
   * live: a cancelled head is dropped at once.
   */
  private laneHeadTime = new Float64Array(8);
  private laneHeadOrder = new Float64Array(8);

  private nextSeq = 0;
  private live = 0;
  private readonly seqLimit: number;

  /** `seqLimit`: where sequences are renumbered (2²⁹; tests lower it to exercise `renumber`). */
  constructor(options: { readonly seqLimit?: number } = {}) {
    this.seqLimit = options.seqLimit ?? SEQ_LIMIT;
  }

  /** Number of events still due to run (cancelled ones excluded). */
  get pending(): number {
    return this.live;
  }

  push(time: number, fn: EventFn, arg?: unknown): EventHandle {
    const slot = this.allocSlot(fn, arg);
    if (this.nextSeq >= this.seqLimit) this.renumber();
    this.heap.push(time, this.nextSeq++ * SLOT_BITS + slot);
    this.live++;
    return (this.slots[3 * slot + 2] as number) * SLOT_BITS + slot;
  }

  /**
   * Adds a FIFO lane and returns its id, for events whose times never decrease from one push to
   * the next (e.g. all scheduled with one constant delay): such a lane is sorted by
   * (time, sequence) already, so push and pop are O(1) instead of a heap sift. Every pop
   * compares all lane heads, so keep lanes few (a handful of fixed delays).
   */
  addLane(): number {
    const lane = this.lanes.length;
    if (lane >= MAX_LANES) throw new RangeError(`more than ${MAX_LANES} lanes`);
    if (lane === this.laneHeadTime.length) {
      const time = new Float64Array(2 * lane);
      time.set(this.laneHeadTime);
      const order = new Float64Array(2 * lane);
      order.set(this.laneHeadOrder);
      this.laneHeadTime = time;
      this.laneHeadOrder = order;
    }
    this.lanes.push(new FifoLane());
    this.laneHeadTime[lane] = Number.POSITIVE_INFINITY;
    this.laneHeadOrder[lane] = Number.POSITIVE_INFINITY;
    return lane;
  }

  /** Number of lanes added so far. */
  get laneCount(): number {
    return this.lanes.length;
  }

  /** Like `push`, on lane `lane`; throws a RangeError if `time` is before the lane's previous push. */
  pushLane(lane: number, time: number, fn: EventFn, arg?: unknown): EventHandle {
    const ring = this.lanes[lane];
    if (ring === undefined) throw new RangeError(`no lane ${lane}`);
    if (this.nextSeq >= this.seqLimit) this.renumber();
    const order = this.nextSeq * SLOT_BITS;
    const pos = ring.push(time, order, fn, arg);
    this.nextSeq++;
    if (pos === ring.head) {
      this.laneHeadTime[lane] = time;
      this.laneHeadOrder[lane] = order;
    }
    this.live++;
    return -2 - (pos * MAX_LANES + lane);
  }

  cancel(handle: EventHandle): boolean {
    if (handle <= -2) return this.cancelLane(-2 - handle);
    const slot = handle % SLOT_BITS;
    const gen = (handle - slot) / SLOT_BITS;
    const r = 3 * slot;
    if (this.slots[r + 2] !== gen || this.slots[r] === null) return false;
    this.slots[r] = null;
    this.slots[r + 1] = undefined;
    this.live--;
    return true;
  }

  private cancelLane(code: number): boolean {
    const lane = code % MAX_LANES;
    const ring = this.lanes[lane];
    const pos = (code - lane) / MAX_LANES;
    if (ring === undefined || !ring.cancel(pos)) return false;
    if (pos === ring.head) this.refreshLaneHead(lane, ring);
    this.live--;
    return true;
  }

  /** Drops cancelled entries at a lane's head and records the new head (Infinity if empty). */
  private refreshLaneHead(lane: number, ring: FifoLane): void {
    if (ring.dropTombstones()) {
      const i = (ring.head & ring.mask) << 1;
      this.laneHeadTime[lane] = ring.key[i] as number;
      this.laneHeadOrder[lane] = ring.key[i + 1] as number;
    } else {
      this.laneHeadTime[lane] = Number.POSITIVE_INFINITY;
      this.laneHeadOrder[lane] = Number.POSITIVE_INFINITY;
    }
  }

  /** Time of the earliest live event, or Infinity when none is pending. */
  peekTime(): number {
    this.dropTombstones();
    let t = this.heap.size === 0 ? Number.POSITIVE_INFINITY : (this.heap.key[0] as number);
    for (let k = 0; k < this.lanes.length; k++) t = Math.min(t, this.laneHeadTime[k] as number);
    return t;
  }

  /** Time, callback and argument of the event last taken by `shift` (fields, not a tuple, to avoid allocation). */
  shiftedTime = 0;
  shiftedFn: EventFn | null = null;
  shiftedArg: unknown;

  /** Removes the earliest live event into the `shifted*` fields; false when none is pending. */
  shift(): boolean {
    return this.shiftUntil(Number.POSITIVE_INFINITY);
  }

  /**
   * Like `shift`, but only if the earliest live event is due at or before `limit`: the run loop
   * needs one pass over the heap top per event, not a peek and then a pop.
   */
  shiftUntil(limit: number): boolean {
    let best = NONE;
    let bestTime = Number.POSITIVE_INFINITY;
    let bestOrder = Number.POSITIVE_INFINITY;
    const heap = this.heap;
    if (heap.hole) heap.settle();
    if (heap.size > 0) {
      if (this.slots[3 * slotOf(heap.key[1] as number)] === null) this.dropTombstones();
      if (heap.size > 0) {
        best = HEAP;
        bestTime = heap.key[0] as number;
        bestOrder = heap.key[1] as number;
      }
    }
    // An empty lane holds (Infinity, Infinity), which never wins: real orders are finite.
    const headTime = this.laneHeadTime;
    const headOrder = this.laneHeadOrder;
    const lanes = this.lanes.length;
    for (let k = 0; k < lanes; k++) {
      const t = headTime[k] as number;
      if (t < bestTime || (t === bestTime && (headOrder[k] as number) < bestOrder)) {
        best = k;
        bestTime = t;
        bestOrder = headOrder[k] as number;
      }
    }
    if (best === NONE || bestTime > limit) return false;
    this.shiftedTime = bestTime;
    this.live--;
    if (best === HEAP) {
      const slot = slotOf(bestOrder);
      this.shiftedFn = this.slots[3 * slot] as EventFn;
      this.shiftedArg = this.slots[3 * slot + 1];
      heap.vacateTop();
      this.releaseSlot(slot);
    } else {
      const ring = this.lanes[best] as FifoLane;
      const i = (ring.head++ & ring.mask) << 1;
      this.shiftedFn = ring.ent[i] as EventFn;
      this.shiftedArg = ring.ent[i + 1];
      ring.ent[i] = null;
      ring.ent[i + 1] = undefined;
      this.refreshLaneHead(best, ring);
    }
    return true;
  }

  private dropTombstones(): void {
    const heap = this.heap;
    heap.settle();
    while (heap.size > 0) {
      const slot = slotOf(heap.key[1] as number);
      if (this.slots[3 * slot] !== null) return;
      heap.removeTop();
      this.releaseSlot(slot);
    }
  }

  private allocSlot(fn: EventFn, arg: unknown): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) {
      this.slots[3 * reused] = fn;
      this.slots[3 * reused + 1] = arg;
      return reused;
    }
    const slot = this.slots.length / 3;
    if (slot >= SLOT_BITS) throw new RangeError(`more than ${SLOT_BITS} pending events`);
    this.slots.push(fn, arg, 0);
    return slot;
  }

  private releaseSlot(slot: number): void {
    const r = 3 * slot;
    this.slots[r] = null;
    this.slots[r + 1] = undefined;
    this.slots[r + 2] = ((this.slots[r + 2] as number) + 1) & GEN_MASK;
    this.freeSlots.push(slot);
  }

  /** Renumbers pending sequences 0, 1, … in order (renumber.ts); the pop order is unchanged. */
  private renumber(): void {
    if (this.live >= this.seqLimit) throw new RangeError(`more than ${this.seqLimit} pending events`);
    renumberSequences(
      this.heap,
      this.lanes,
      this.live,
      (slot) => this.slots[3 * slot] !== null,
      (slot) => this.releaseSlot(slot),
    );
    for (let k = 0; k < this.lanes.length; k++) this.refreshLaneHead(k, this.lanes[k] as FifoLane);
    this.nextSeq = this.live;
  }
}
