import type { EventFn, EventHandle } from './event-queue.js';
import type { Host } from './host.js';
import type { Micros } from './time.js';

/**
 * The clock each kind of connection timer runs on, decided here once:
 *   os      — the kernel's timers (SYN retransmission, RTO and loss probe, SO_KEEPALIVE) run on
 *             while the process is frozen (a GC pause or a suspended process does not stop them);
 *   process — the application's (its connect deadline, the HTTP/2 PING keepalive) wait while the
 *             process is frozen and die with it (Host.schedule).
 */
export const TIMER_CLOCK = {
  syn: 'os',
  xmit: 'os',
  tcpKeepalive: 'os',
  connectDeadline: 'process',
  ping: 'process',
} as const satisfies Record<string, 'os' | 'process'>;

export type SocketTimerKind = keyof typeof TIMER_CLOCK;

const NONE: EventHandle = -1;

/** One re-armable timer of a connection end, on its kind's clock. At most one event is pending. */
export class SocketTimer {
  private handle: EventHandle = NONE;
  private readonly onOsClock: boolean;

  constructor(
    private readonly host: Host,
    readonly kind: SocketTimerKind,
    private readonly fn: EventFn,
    private readonly arg: unknown,
  ) {
    this.onOsClock = TIMER_CLOCK[kind] === 'os';
  }

  get armed(): boolean {
    return this.handle !== NONE;
  }

  /** Fires at `atUs` (not before now), replacing any pending firing. */
  armAt(atUs: Micros): void {
    this.cancel();
    this.handle = this.onOsClock ? this.host.sim.at(atUs, this.fn, this.arg) : this.host.schedule(Math.max(0, atUs - this.host.now()), this.fn, this.arg);
  }

  /** Fires `delayUs` from now, replacing any pending firing. */
  armIn(delayUs: Micros): void {
    this.cancel();
    this.handle = this.onOsClock ? this.host.sim.schedule(delayUs, this.fn, this.arg) : this.host.schedule(delayUs, this.fn, this.arg);
  }

  cancel(): void {
    if (this.handle === NONE) return;
    this.host.sim.cancel(this.handle);
    this.handle = NONE;
  }

  /** The event ran: call first thing in the timer's event function. */
  fired(): void {
    this.handle = NONE;
  }
}
