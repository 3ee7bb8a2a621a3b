/**
 * The kernel's pending-event set: a binary min-heap ordered by (time, insertion sequence),
 * stored as struct-of-arrays so that push/pop touch typed arrays, not objects.
 *
 * Ties resolve in scheduling order (the sequence), never by object identity, which is what
 * makes a run replayable. Cancellation is O(1): a handle names a slot and its generation;
 * cancelling clears the slot's callback and the heap drops the tombstone when it surfaces.
 */
export type EventFn = (arg: unknown) => void;

/** An opaque number naming one scheduled event; stale handles are ignored by `cancel`. */
export type EventHandle = number;

const SLOT_BITS = 2 ** 24; // up to 16.7 M simultaneously pending events

export class EventQueue {
  private heapTime = new Float64Array(1024);
  private heapSeq = new Float64Array(1024);
  private heapSlot = new Int32Array(1024);
  private size = 0;

  private slotFn: (EventFn | null)[] = [];
  private slotArg: unknown[] = [];
  private slotGen: number[] = [];
  private freeSlots: number[] = [];

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

  cancel(handle: EventHandle): boolean {
    const slot = handle % SLOT_BITS;
    const gen = (handle - slot) / SLOT_BITS;
    if (this.slotGen[slot] !== gen || this.slotFn[slot] === null) return false;
    this.slotFn[slot] = null;
    this.slotArg[slot] = undefined;
    this.live--;
    return true;
  }

  /** Time of the earliest live event, or Infinity when none is pending. */
  peekTime(): number {
    this.dropTombstones();
    return this.size === 0 ? Number.POSITIVE_INFINITY : (this.heapTime[0] as number);
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
    const fns = this.slotFn;
    while (this.size > 0) {
      const slot = this.heapSlot[0] as number;
      const fn = fns[slot];
      if (fn === null) {
        this.removeTop();
        this.releaseSlot(slot);
        continue;
      }
      const time = this.heapTime[0] as number;
      if (time > limit) return false;
      this.shiftedTime = time;
      this.shiftedFn = fn as EventFn;
      this.shiftedArg = this.slotArg[slot];
      this.removeTop();
      this.releaseSlot(slot);
      this.live--;
      return true;
    }
    return false;
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
