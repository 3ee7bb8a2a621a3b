import type { Host } from '../../sim/host.js';
import { msToUs } from '../../sim/time.js';
import { EUREKA_CONSTANTS as K } from './defaults.js';

/**
 * TimedSupervisorTask (eureka-client/.../discovery/TimedSupervisorTask.run): every run submits the
 * task to a small thread pool and waits at most `intervalMs` for it. Done in time: the next run is
 * `intervalMs` after this one ended. Not done in time: the wait gives up (the task keeps running),
 * the delay doubles up to `intervalMs × backOffBound`, and the next run follows that delay. A run
 * that finds every thread busy is rejected (skipped) and the next follows the current delay.
 */
export class TimedSupervisor {
  private delayMs: number;
  private busy = 0;

  /** `task(done)`: the work; it calls `done()` once when it ends (answered, failed or timed out). */
  constructor(
    private readonly host: Host,
    private readonly intervalMs: number,
    private readonly backOffBound: number,
    private readonly threads: number,
    private readonly task: (done: () => void) => void,
  ) {
    this.delayMs = intervalMs;
  }

  /** scheduler.schedule(task, interval): the first run one interval from now. */
  start(): void {
    this.host.schedule(msToUs(this.intervalMs), this.run);
  }

  private readonly run = (): void => {
    if (this.busy >= this.threads) {
      this.host.schedule(msToUs(this.delayMs), this.run);
      return;
    }
    this.busy++;
    let waiting = true;
    const timeout = this.host.schedule(msToUs(this.intervalMs), () => {
      // future.get timed out: back off; the task goes on in its thread.
      waiting = false;
      this.delayMs = Math.min(this.intervalMs * this.backOffBound, this.delayMs * K.backOffFactor);
      this.host.schedule(msToUs(this.delayMs), this.run);
    });
    this.task(() => {
      this.busy--;
      if (!waiting) return;
      waiting = false;
      this.host.cancel(timeout);
      this.delayMs = this.intervalMs;
      this.host.schedule(msToUs(this.delayMs), this.run);
    });
  };
}
