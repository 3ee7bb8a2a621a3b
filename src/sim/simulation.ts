import { type EventFn, type EventHandle, EventQueue } from './event-queue.js';
import { Lane } from './lane.js';
import type { QuietClients } from './quiet.js';
import { type RandomStream, RandomStreams } from './random.js';
import type { Micros } from './time.js';
import { type Retention, Trace, type TraceEvent } from './trace.js';

export type StopReason = 'horizon' | 'idle' | 'event-budget';

export interface RunOutcome {
  readonly reason: StopReason;
  readonly endUs: Micros;
  readonly events: number;
}

/**
 * The kernel: a clock, the pending-event queue, the named random streams and the trace.
 * It knows nothing of registries or protocols; models reach it through hosts and the network.
 */
export class Simulation {
  readonly queue = new EventQueue();
  readonly random: RandomStreams;
  readonly trace: Trace;
  /** Set by the scenario when clients may be stepped outside the kernel (`quiet.ts`); null: every event runs here. */
  quiet: QuietClients | null = null;
  private clockUs: Micros = 0;
  private executed = 0;
  private readonly lanes = new Map<Micros, Lane>();

  /** `retention`: what the trace keeps in memory besides its hash (all events by default). */
  constructor(
    readonly seed: number,
    retention: Retention = 'all',
  ) {
    this.random = new RandomStreams(seed);
    this.trace = new Trace(retention);
  }

  now(): Micros {
    return this.clockUs;
  }

  /** Runs `fn(arg)` after `delayUs` (≥ 0, rounded to whole µs). */
  schedule(delayUs: Micros, fn: EventFn, arg?: unknown): EventHandle {
    if (!(delayUs >= 0)) throw new RangeError(`negative or NaN delay ${delayUs}`);
    return this.queue.push(this.clockUs + Math.round(delayUs), fn, arg);
  }

  /**
   * The FIFO lane for events scheduled `delayUs` (≥ 0, finite, rounded to whole µs) from now,
   * one per distinct delay: `lane(d).schedule(fn, arg)` runs in exactly the order
   * `schedule(d, fn, arg)` would, in O(1) instead of O(log n). Handles cancel as usual.
   */
  lane(delayUs: Micros): Lane {
    const d = Math.round(delayUs);
    if (!(d >= 0 && d < Number.POSITIVE_INFINITY)) throw new RangeError(`lane delay must be finite and ≥ 0, got ${delayUs}`);
    let lane = this.lanes.get(d);
    if (lane === undefined) {
      lane = new Lane(this, this.queue, this.queue.addLane(), d);
      this.lanes.set(d, lane);
    }
    return lane;
  }

  /** Runs `fn(arg)` at absolute time `timeUs` (not before now). */
  at(timeUs: Micros, fn: EventFn, arg?: unknown): EventHandle {
    return this.queue.push(Math.max(this.clockUs, Math.round(timeUs)), fn, arg);
  }

  cancel(handle: EventHandle): void {
    this.queue.cancel(handle);
  }

  rng(stream: string): RandomStream {
    return this.random.get(stream);
  }

  record(kind: string, host: string, data?: TraceEvent['data']): void {
    this.trace.record(data === undefined ? { t: this.clockUs, kind, host } : { t: this.clockUs, kind, host, data });
  }

  /**
   * The whole event loop: take the earliest event, advance the clock, run it; stop at the
   * horizon (events exactly at the horizon still run), when nothing is pending, or when the
   * event budget is spent.
   */
  run(horizonUs: Micros, eventBudget = Number.POSITIVE_INFINITY): RunOutcome {
    const q = this.queue;
    while (this.executed < eventBudget) {
      if (!q.shiftUntil(horizonUs)) {
        const reason: StopReason = q.pending === 0 ? 'idle' : 'horizon';
        if (reason === 'horizon') this.clockUs = Math.max(this.clockUs, horizonUs);
        return { reason, endUs: this.clockUs, events: this.executed };
      }
      this.clockUs = q.shiftedTime;
      this.executed++;
      (q.shiftedFn as EventFn)(q.shiftedArg);
    }
    return { reason: 'event-budget', endUs: this.clockUs, events: this.executed };
  }
}
