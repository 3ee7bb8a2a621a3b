import type { EventFn, EventHandle } from './event-queue.js';
import type { Simulation } from './simulation.js';
import type { Micros } from './time.js';

/**
 * A simulated machine running one process. The process can be running, paused (frozen by a
 * GC pause or a suspended VM: its timers and incoming messages wait, its OS still answers) or
 * dead (crashed: its timers are gone and its OS resets connections to it).
 */
export type ProcessState = 'running' | 'paused' | 'dead';

interface HostTimer {
  readonly fn: EventFn;
  readonly arg: unknown;
  readonly epoch: number;
}

export class Host {
  process: ProcessState = 'running';
  /** Bumped on crash so that timers scheduled by the dead process never fire. */
  private epoch = 0;
  private deferred: HostTimer[] = [];

  constructor(
    readonly sim: Simulation,
    readonly name: string,
  ) {}

  now(): Micros {
    return this.sim.now();
  }

  /** Schedules work of this host's process: it waits while the process is paused and dies with it. */
  schedule(delayUs: Micros, fn: EventFn, arg?: unknown): EventHandle {
    const timer: HostTimer = { fn, arg, epoch: this.epoch };
    return this.sim.schedule(delayUs, this.fire, timer);
  }

  cancel(handle: EventHandle): void {
    this.sim.cancel(handle);
  }

  record(kind: string, data?: Record<string, string | number | boolean | null>): void {
    this.sim.record(kind, this.name, data);
  }

  /** Runs `fn(arg)` in this process now, or when it resumes if it is paused, or never if dead. */
  runInProcess(fn: EventFn, arg?: unknown): void {
    this.fire({ fn, arg, epoch: this.epoch });
  }

  pause(): void {
    if (this.process !== 'running') return;
    this.process = 'paused';
    this.record('process.pause');
  }

  /** Resumes a paused process: everything that came due meanwhile runs now, in its original order. */
  resume(): void {
    if (this.process !== 'paused') return;
    this.process = 'running';
    this.record('process.resume');
    const due = this.deferred;
    this.deferred = [];
    for (const timer of due) this.sim.schedule(0, this.fire, timer);
  }

  crash(): void {
    if (this.process === 'dead') return;
    this.process = 'dead';
    this.epoch++;
    this.deferred = [];
    this.record('process.crash');
  }

  private readonly fire = (arg: unknown): void => {
    const timer = arg as HostTimer;
    // A dead process runs nothing: neither old timers (epoch) nor work handed to it after the crash.
    if (timer.epoch !== this.epoch || this.process === 'dead') return;
    if (this.process === 'paused') this.deferred.push(timer);
    else timer.fn(timer.arg);
  };
}
