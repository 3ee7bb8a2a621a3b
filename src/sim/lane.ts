import type { EventFn, EventHandle, EventQueue } from './event-queue.js';
import type { Micros } from './time.js';

/**
 * Events scheduled with one constant delay, on their own FIFO lane of the event queue
 * (`Simulation.lane(delayUs)`): the clock never goes back, so their times never decrease and
 * scheduling or running one is O(1) instead of a heap sift. The order of execution is exactly
 * that of `Simulation.schedule(delayUs, fn, arg)`; only the speed differs. Meant for the few
 * delays that most events share (periodic timers, a fixed latency).
 */
export class Lane {
  constructor(
    private readonly clock: { now(): Micros },
    private readonly queue: EventQueue,
    private readonly id: number,
    /** The lane's delay: whole µs, ≥ 0. */
    readonly delayUs: Micros,
  ) {}

  /** Runs `fn(arg)` after this lane's delay; same as `Simulation.schedule(delayUs, fn, arg)`. */
  schedule(fn: EventFn, arg?: unknown): EventHandle {
    return this.queue.pushLane(this.id, this.clock.now() + this.delayUs, fn, arg);
  }
}
