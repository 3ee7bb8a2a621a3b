import { FifoLane } from './fifo-lane.js';

/**
 * The kernel's pending-event set: a binary min-heap ordered by (time, insertion sequence),
 * stored as struct-of-arrays so that push/pop touch typed arrays, not objects, plus optional
 * FIFO lanes for events whose times are known to never decrease (see `addLane`).
 *
 * Ties resolve in scheduling order (the sequence), never by object identity, which is what
 * makes a run replayable. Cancellation is O(1): a handle names a slot and its generation;
 * cancelling clears the slot's callback and the heap drops the tombstone when it surfaces.
 *
 * Lanes share the sequence counter with the heap and a pop takes the least (time, sequence)
 * among the heap top and the lane heads, so the order of execution is exactly the order the
 * heap alone would give: moving events onto lanes changes speed, never a trace.
 */
export type EventFn = (arg: unknown) => void;

/**
 * An opaque number naming one scheduled event; stale handles are ignored by `cancel`. Heap
 * events get handles ≥ 0, lane events handles ≤ −2; −1 is never a handle (a safe "no timer").
 */
export type EventHandle = number;

const SLOT_BITS = 2 ** 24; // up to 16.7 M simultaneously pending events
/** Lane handles are −2 − (position × MAX_LANES + lane). */
const MAX_LANES = 1024;
/** `best` markers in the pop loop: nothing pending, or the heap top (lanes are 0, 1, …). */
const NONE = -2;
const HEAP = -1;

export class EventQueue {
  private heapTime = new Float64Array(1024);
  private heapSeq = new Float64Array(1024);
  private heapSlot = new Int32Array(1024);
  private size = 0;

  private slotFn: (EventFn | null)[] = [];
  private slotArg: unknown[] = [];
  private slotGen: number[] = [];
  private freeSlots: number[] = [];

  private lanes: FifoLane[] = [];
  /**
   * (time, seq) of each lane's head, kept current on every push, pop and cancel (Infinity for
   * an empty lane), so that a pop compares lanes in one typed array. A lane's head is always
   * live: a cancelled head is dropped at once.
   */
  private laneHeadTime = new Float64Array(8);
  private laneHeadSeq = new Float64Array(8);

  private nextSeq = 0;
  private live = 0;

  /** Number of events still due to run (cancelled ones excluded). */
  get pending(): number {
    return this.live;
  }

  push(time: number, fn: EventFn, arg?: unknown): EventHandle {
    const slot = this.allocSlot(fn, arg);
    if (this.size === this.heapTime.length) this.grow();
    this.siftUp(this.size++, time, this.nextSeq++, slot);
    this.live++;
    return (this.slotGen[slot] as number) * SLOT_BITS + slot;
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
      const seq = new Float64Array(2 * lane);
      seq.set(this.laneHeadSeq);
      this.laneHeadTime = time;
      this.laneHeadSeq = seq;
    }
    this.lanes.push(new FifoLane());
    this.laneHeadTime[lane] = Number.POSITIVE_INFINITY;
    this.laneHeadSeq[lane] = Number.POSITIVE_INFINITY;
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
    const seq = this.nextSeq;
    const pos = ring.push(time, seq, fn, arg);
    this.nextSeq++;
    if (pos === ring.head) {
      this.laneHeadTime[lane] = time;
      this.laneHeadSeq[lane] = seq;
    }
    this.live++;
    return -2 - (pos * MAX_LANES + lane);
  }

  cancel(handle: EventHandle): boolean {
    if (handle <= -2) return this.cancelLane(-2 - handle);
    const slot = handle % SLOT_BITS;
    const gen = (handle - slot) / SLOT_BITS;
    if (this.slotGen[slot] !== gen || this.slotFn[slot] === null) return false;
    this.slotFn[slot] = null;
    this.slotArg[slot] = undefined;
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
      this.laneHeadSeq[lane] = ring.key[i + 1] as number;
    } else {
      this.laneHeadTime[lane] = Number.POSITIVE_INFINITY;
      this.laneHeadSeq[lane] = Number.POSITIVE_INFINITY;
    }
  }

  /** Time of the earliest live event, or Infinity when none is pending. */
  peekTime(): number {
    this.dropTombstones();
    let t = this.size === 0 ? Number.POSITIVE_INFINITY : (this.heapTime[0] as number);
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
    let bestSeq = Number.POSITIVE_INFINITY;
    if (this.size > 0) {
      if (this.slotFn[this.heapSlot[0] as number] === null) this.dropTombstones();
      if (this.size > 0) {
        best = HEAP;
        bestTime = this.heapTime[0] as number;
        bestSeq = this.heapSeq[0] as number;
      }
    }
    // An empty lane holds (Infinity, Infinity), which never wins: real sequences are finite.
    const headTime = this.laneHeadTime;
    const headSeq = this.laneHeadSeq;
    const lanes = this.lanes.length;
    for (let k = 0; k < lanes; k++) {
      const t = headTime[k] as number;
      if (t < bestTime || (t === bestTime && (headSeq[k] as number) < bestSeq)) {
        best = k;
        bestTime = t;
        bestSeq = headSeq[k] as number;
      }
    }
    if (best === NONE || bestTime > limit) return false;
    this.shiftedTime = bestTime;
    this.live--;
    if (best === HEAP) {
      const slot = this.heapSlot[0] as number;
      this.shiftedFn = this.slotFn[slot] as EventFn;
      this.shiftedArg = this.slotArg[slot];
      this.removeTop();
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
    while (this.size > 0 && this.slotFn[this.heapSlot[0] as number] === null) {
      const slot = this.heapSlot[0] as number;
      this.removeTop();
      this.releaseSlot(slot);
    }
  }

  private allocSlot(fn: EventFn, arg: unknown): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) {
      this.slotFn[reused] = fn;
      this.slotArg[reused] = arg;
      return reused;
    }
    const slot = this.slotFn.length;
    if (slot >= SLOT_BITS) throw new RangeError(`more than ${SLOT_BITS} pending events`);
    this.slotFn.push(fn);
    this.slotArg.push(arg);
    this.slotGen.push(0);
    return slot;
  }

  private releaseSlot(slot: number): void {
    this.slotFn[slot] = null;
    this.slotArg[slot] = undefined;
    this.slotGen[slot] = (this.slotGen[slot] as number) + 1;
    this.freeSlots.push(slot);
  }

  private removeTop(): void {
    const last = --this.size;
    if (last > 0) {
      this.siftDown(0, this.heapTime[last] as number, this.heapSeq[last] as number, this.heapSlot[last] as number);
    }
  }

  private siftUp(index: number, time: number, seq: number, slot: number): void {
    const t = this.heapTime;
    const s = this.heapSeq;
    const sl = this.heapSlot;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = t[parent] as number;
      if (pt < time || (pt === time && (s[parent] as number) < seq)) break;
      t[i] = pt;
      s[i] = s[parent] as number;
      sl[i] = sl[parent] as number;
      i = parent;
    }
    t[i] = time;
    s[i] = seq;
    sl[i] = slot;
  }

  private siftDown(index: number, time: number, seq: number, slot: number): void {
    const t = this.heapTime;
    const s = this.heapSeq;
    const sl = this.heapSlot;
    const n = this.size;
    let i = index;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const ct = t[child] as number;
        const rt = t[right] as number;
        if (rt < ct || (rt === ct && (s[right] as number) < (s[child] as number))) child = right;
      }
      const ct = t[child] as number;
      if (time < ct || (time === ct && seq < (s[child] as number))) break;
      t[i] = ct;
      s[i] = s[child] as number;
      sl[i] = sl[child] as number;
      i = child;
    }
    t[i] = time;
    s[i] = seq;
    sl[i] = slot;
  }

  private grow(): void {
    const cap = this.heapTime.length * 2;
    const t = new Float64Array(cap);
    t.set(this.heapTime);
    const s = new Float64Array(cap);
    s.set(this.heapSeq);
    const sl = new Int32Array(cap);
    sl.set(this.heapSlot);
    this.heapTime = t;
    this.heapSeq = s;
    this.heapSlot = sl;
  }
}
