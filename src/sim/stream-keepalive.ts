import type { EventHandle } from './event-queue.js';
import type { Host } from './host.js';
import type { StreamState } from './stream-conn.js';
import type { Micros } from './time.js';

/**
 * The two keepalives that can end a silent connection, each with one lazily re-armed timer (one
 * event per idle period, not one per packet):
 *   SO_KEEPALIVE, run by the OS (it works while the process is frozen): after tcp_keepalive_time
 *   (7200 s) without receiving anything, a probe every tcp_keepalive_intvl (75 s);
 *   tcp_keepalive_probes (9) unanswered probes reset the connection.
 *   A PING keepalive run by the process (gRPC's KeepAliveManager over HTTP/2 PING): after
 *   `timeUs` without reading anything, a PING; nothing read within `timeoutUs` closes it.
 */
export interface PingKeepalive {
  readonly timeUs: Micros;
  readonly timeoutUs: Micros;
}

/** What a keepalive sees of its connection end. */
export interface KeepaliveEnd {
  readonly state: StreamState;
  /** OS: last packet received. */
  readonly lastRecvUs: Micros;
  /** Process: last segment read. */
  readonly lastReadUs: Micros;
  hasUnacked(): boolean;
  sendKeepaliveProbe(): void;
  sendPing(): void;
  keepaliveExpired(): void;
  pingExpired(): void;
}

/** A keepalive timer waiting out an idle period: when it is next due, and how long a silence it allows. */
export interface KeepaliveDue {
  readonly dueUs: Micros;
  readonly idleUs: Micros;
}

/** SO_KEEPALIVE's three numbers for one socket: the sysctls or its own setsockopt values. */
export interface TcpKeepaliveSettings {
  readonly idleUs: Micros;
  readonly intvlUs: Micros;
  readonly probes: number;
}

/** SO_KEEPALIVE (tcp_keepalive_timer): probes only an idle connection with nothing unacknowledged. */
export class TcpKeepalive {
  private timer: EventHandle = -1;
  private dueUs = -1;
  private probesOut = 0;

  constructor(
    private readonly end: KeepaliveEnd,
    private readonly host: Host,
    readonly settings: TcpKeepaliveSettings,
  ) {
    this.arm(end.lastRecvUs + settings.idleUs);
  }

  /** Anything received answers the probes. */
  heard(): void {
    this.probesOut = 0;
  }

  stop(): void {
    if (this.timer >= 0) this.host.sim.cancel(this.timer);
    this.timer = -1;
  }

  private arm(atUs: Micros): void {
    this.dueUs = Math.max(this.host.now(), Math.round(atUs));
    this.timer = this.host.sim.at(atUs, onTcpKeepalive, this);
  }

  /** When the timer next fires, while it waits out an idle period (null while probing). */
  idleDue(): KeepaliveDue | null {
    return this.timer >= 0 && this.probesOut === 0 ? { dueUs: this.dueUs, idleUs: this.settings.idleUs } : null;
  }

  fired(): void {
    this.timer = -1;
    if (this.end.state !== 'open') return;
    const now = this.host.now();
    const idleUs = this.settings.idleUs;
    if (this.end.hasUnacked()) {
      this.arm(now + idleUs);
      return;
    }
    if (this.probesOut === 0 && now - this.end.lastRecvUs < idleUs) {
      this.arm(this.end.lastRecvUs + idleUs);
      return;
    }
    if (this.probesOut >= this.settings.probes) {
      this.end.keepaliveExpired();
      return;
    }
    this.probesOut++;
    this.end.sendKeepaliveProbe();
    this.arm(now + this.settings.intvlUs);
  }
}

/** The process's PING keepalive: its timers wait while the process is frozen and die with it. */
export class PingKeepaliveTimer {
  private timer: EventHandle = -1;
  private dueUs = -1;
  private sentUs = -1;

  constructor(
    private readonly end: KeepaliveEnd,
    private readonly host: Host,
    private readonly ping: PingKeepalive,
  ) {
    this.arm(end.lastReadUs + ping.timeUs);
  }

  stop(): void {
    if (this.timer >= 0) this.host.cancel(this.timer);
    this.timer = -1;
  }

  private arm(atUs: Micros): void {
    const delayUs = Math.max(0, atUs - this.host.now());
    this.dueUs = this.host.now() + Math.round(delayUs);
    this.timer = this.host.schedule(delayUs, onPing, this);
  }

  /**
   * When the timer next fires, unless a PING awaits its answer (null). After an answered PING it
   * is due at the answer check, where it re-arms from the last read like any idle firing.
   */
  idleDue(): KeepaliveDue | null {
    const awaiting = this.sentUs >= 0 && this.end.lastReadUs < this.sentUs;
    return this.timer >= 0 && !awaiting ? { dueUs: this.dueUs, idleUs: this.ping.timeUs } : null;
  }

  fired(): void {
    this.timer = -1;
    if (this.end.state !== 'open') return;
    const now = this.host.now();
    const unanswered = this.sentUs >= 0 && this.end.lastReadUs < this.sentUs;
    if (unanswered) {
      this.end.pingExpired();
      return;
    }
    if (now - this.end.lastReadUs < this.ping.timeUs) {
      this.arm(this.end.lastReadUs + this.ping.timeUs);
      return;
    }
    this.sentUs = now;
    this.end.sendPing();
    this.arm(now + this.ping.timeoutUs);
  }
}

const onTcpKeepalive = (arg: unknown): void => (arg as TcpKeepalive).fired();
const onPing = (arg: unknown): void => (arg as PingKeepaliveTimer).fired();
