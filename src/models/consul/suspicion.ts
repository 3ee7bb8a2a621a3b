import type { EventHandle } from '../../sim/event-queue.js';
import type { Simulation } from '../../sim/simulation.js';
import type { Micros } from '../../sim/time.js';
import { suspicionTimeoutUs } from './settings.js';

/**
 * memberlist suspicion.go (v0.5.1): a suspicion timer that starts at `max` when k confirmations
 * are wanted (at `min` when none), and with each independent confirmation is reset to
 * remainingSuspicionTime(n, k, elapsed, min, max): max − log(n+1)/log(k+1)·(max − min) − elapsed.
 */
export class Suspicion {
  private n = 0;
  private readonly confirmations = new Set<string>();
  private readonly startUs: Micros;
  private timer: EventHandle | null;

  constructor(
    private readonly sim: Simulation,
    from: string,
    private readonly k: number,
    private readonly minUs: Micros,
    private readonly maxUs: Micros,
    private readonly onTimeout: (confirmations: number) => void,
  ) {
    this.confirmations.add(from);
    this.startUs = sim.now();
    this.timer = sim.schedule(k < 1 ? minUs : maxUs, this.fire);
  }

  private readonly fire = (): void => {
    this.timer = null;
    this.onTimeout(this.n);
  };

  /** Confirm: true when `from` is a new confirmation (the caller then re-broadcasts the suspect message). */
  confirm(from: string): boolean {
    if (this.n >= this.k || this.confirmations.has(from)) return false;
    this.confirmations.add(from);
    this.n++;
    const remaining = suspicionTimeoutUs(this.minUs, this.maxUs, this.n, this.k) - (this.sim.now() - this.startUs);
    // `if s.timer.Stop()`: only a timer that has not fired yet is moved.
    if (this.timer !== null) {
      this.sim.cancel(this.timer);
      this.timer = this.sim.schedule(Math.max(0, remaining), this.fire);
    }
    return true;
  }

  stop(): void {
    if (this.timer !== null) this.sim.cancel(this.timer);
    this.timer = null;
  }
}
