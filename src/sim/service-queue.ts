import type { EventFn } from './event-queue.js';
import type { Host } from './host.js';
import { type Micros, usToMs } from './time.js';

/**
 * A host's pool of `workers` identical workers (threads, or cores for CPU-bound work) in front of
 * some of its process's work: the service capacity of a server.
 *
 * Each job states its service time. A job that finds a free worker and nobody waiting starts at
 * once; otherwise it waits, first come first served, in the order of the `submit` calls (which is
 * the event order: time, then scheduling sequence). A job's effect — `fn(arg)`, the state change
 * and the reply — runs when its service completes; then the worker takes the next waiting job.
 *
 * A job of service time 0 that finds a free worker and nobody waiting runs inside `submit`, at
 * once: a pool whose jobs all cost 0 is infinite capacity and changes nothing, not one event.
 * (A job of cost 0 behind waiting jobs keeps its place and runs as soon as it reaches a worker.)
 *
 * Service runs on the host's timers, so it stops while the process is paused and dies with it.
 *
 * The trace gets `server.queue` {pool, waitMs, depth} sparingly. Up: when the wait a job had
 * before its service began first reaches a new power-of-two level of milliseconds (1, 2, 4, 8 …
 * ms): waitMs is that job's wait. Down: at the first job after a whole window (1 s, counted from
 * the first job after the previous window) in which every wait stayed under half the lower edge of
 * the level last recorded: waitMs is that window's longest wait, and its level becomes the level.
 * So a pool whose waits stay under 1 ms records nothing, one that hovers near a level records it
 * once, and the largest wait lies within a factor of 2 above the largest waitMs recorded.
 */
export class ServicePool {
  private readonly queue: Job[] = [];
  private head = 0;
  private busy = 0;
  /** The wait level last recorded: −1 is under 1 ms, k ≥ 0 is [2^k ms, 2^(k+1) ms). */
  private level = -1;
  private windowEndUs = 0;
  private windowMaxUs = 0;

  constructor(
    private readonly host: Host,
    readonly name: string,
    readonly workers: number,
  ) {
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`pool ${name}: workers must be a whole number ≥ 1, not ${workers}`);
  }

  /** Jobs waiting for a worker. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Workers serving a job. */
  get inService(): number {
    return this.busy;
  }

  /** Queues `fn(arg)` behind the waiting jobs, to run when `costUs` of service completes. */
  submit(costUs: Micros, fn: EventFn, arg?: unknown): void {
    if (this.waiting === 0 && this.busy < this.workers) {
      if (this.level >= 0) this.observe(0);
      if (costUs <= 0) fn(arg);
      else this.serve({ fn, arg, costUs, atUs: this.host.now() });
      return;
    }
    this.queue.push({ fn, arg, costUs, atUs: this.host.now() });
  }

  private serve(job: Job): void {
    this.busy++;
    this.host.schedule(job.costUs, this.complete, job);
  }

  private readonly complete = (arg: unknown): void => {
    const job = arg as Job;
    this.busy--;
    job.fn(job.arg);
    this.next();
  };

  /** Free workers take the waiting jobs in order; jobs of cost 0 run as they are reached. */
  private next(): void {
    while (this.busy < this.workers && this.waiting > 0) {
      const job = this.queue[this.head] as Job;
      this.head++;
      if (this.head >= COMPACT_AT && this.head * 2 >= this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.observe(this.host.now() - job.atUs);
      if (job.costUs <= 0) job.fn(job.arg);
      else this.serve(job);
    }
  }

  private observe(waitUs: Micros): void {
    const now = this.host.now();
    if (now >= this.windowEndUs) {
      if (this.level >= 0 && this.windowMaxUs * 2 < US_PER_LEVEL_0 * 2 ** this.level) this.note(this.windowMaxUs);
      this.windowEndUs = now + WINDOW_US;
      this.windowMaxUs = 0;
    }
    if (waitUs > this.windowMaxUs) this.windowMaxUs = waitUs;
    if (waitLevel(waitUs) > this.level) this.note(waitUs);
  }

  private note(waitUs: Micros): void {
    this.level = waitLevel(waitUs);
    this.host.record('server.queue', { pool: this.name, waitMs: usToMs(waitUs), depth: this.waiting });
  }
}

interface Job {
  readonly fn: EventFn;
  readonly arg: unknown;
  readonly costUs: Micros;
  /** When it was submitted. */
  readonly atUs: Micros;
}

/** The queue array drops its served prefix once that is this long and at least half the array. */
const COMPACT_AT = 1024;
const US_PER_LEVEL_0 = 1000;
/** A fall of the wait is judged over windows of this long. */
const WINDOW_US = 1_000_000;

/** −1 under 1 ms, else k with 2^k ms ≤ wait < 2^(k+1) ms (integer arithmetic: no log2 rounding). */
export const waitLevel = (waitUs: Micros): number => {
  if (waitUs < US_PER_LEVEL_0) return -1;
  let level = 0;
  for (let bound = 2 * US_PER_LEVEL_0; waitUs >= bound; bound *= 2) level++;
  return level;
};
