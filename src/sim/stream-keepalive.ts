import type { Host } from './host.js';
import { SocketTimer } from './socket-timer.js';
import type { KeepaliveOption, StreamOptions, StreamState } from './stream-types.js';
import type { TcpSysctls } from './tcp-settings.js';
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
  private readonly timer: SocketTimer;
  private dueUs = -1;
  private probesOut = 0;

  constructor(
    private readonly end: KeepaliveEnd,
    private readonly host: Host,
    readonly settings: TcpKeepaliveSettings,
  ) {
    this.timer = new SocketTimer(host, 'tcpKeepalive', onTcpKeepalive, this);
    this.arm(end.lastRecvUs + settings.idleUs);
  }

  /** Anything received answers the probes. */
  heard(): void {
    this.probesOut = 0;
  }

  stop(): void {
    this.timer.cancel();
  }

  private arm(atUs: Micros): void {
    this.dueUs = Math.max(this.host.now(), Math.round(atUs));
    this.timer.armAt(atUs);
  }

  /** When the timer next fires, while it waits out an idle period (null while probing). */
  idleDue(): KeepaliveDue | null {
    return this.timer.armed && this.probesOut === 0 ? { dueUs: this.dueUs, idleUs: this.settings.idleUs } : null;
  }

  fired(): void {
    this.timer.fired();
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
  private readonly timer: SocketTimer;
  private dueUs = -1;
  private sentUs = -1;

  constructor(
    private readonly end: KeepaliveEnd,
    private readonly host: Host,
    private readonly ping: PingKeepalive,
  ) {
    this.timer = new SocketTimer(host, 'ping', onPing, this);
    this.arm(end.lastReadUs + ping.timeUs);
  }

  stop(): void {
    this.timer.cancel();
  }

  private arm(atUs: Micros): void {
    this.dueUs = this.host.now() + Math.round(Math.max(0, atUs - this.host.now()));
    this.timer.armAt(atUs);
  }

  /**
   * When the timer next fires, unless a PING awaits its answer (null). After an answered PING it
   * is due at the answer check, where it re-arms from the last read like any idle firing.
   */
  idleDue(): KeepaliveDue | null {
    const awaiting = this.sentUs >= 0 && this.end.lastReadUs < this.sentUs;
    return this.timer.armed && !awaiting ? { dueUs: this.dueUs, idleUs: this.ping.timeUs } : null;
  }

  fired(): void {
    this.timer.fired();
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

/** SO_KEEPALIVE as one socket asked for it: its own setsockopt values, or true for the host's sysctls. */
export function tcpKeepaliveSettings(own: true | KeepaliveOption, sysctls: TcpSysctls): TcpKeepaliveSettings {
  const k = typeof own === 'object' ? own : { idleMs: sysctls.keepaliveTimeMs, intvlMs: sysctls.keepaliveIntvlMs, probes: sysctls.keepaliveProbes };
  return { idleUs: k.idleMs * US_PER_MS, intvlUs: k.intvlMs * US_PER_MS, probes: k.probes };
}

/**
 * The keepalives of one open connection end, as its options ask (either, both or none). They are
 * the open state's timers: started when the end opens, stopped when it leaves `open`.
 */
export class Liveness {
  private readonly tcp: TcpKeepalive | null;
  private readonly ping: PingKeepaliveTimer | null;

  /** The keepalives a socket's options ask for; null when it has none. */
  static forSocket(end: KeepaliveEnd & { readonly host: Host }, options: StreamOptions, sysctls: TcpSysctls): Liveness | null {
    const own = options.tcpKeepalive;
    const tcp = own === undefined || own === false ? null : tcpKeepaliveSettings(own, sysctls);
    const ping = options.ping ?? null;
    return tcp === null && ping === null ? null : new Liveness(end, end.host, tcp, ping);
  }

  private constructor(end: KeepaliveEnd, host: Host, tcp: TcpKeepaliveSettings | null, ping: PingKeepalive | null) {
    this.tcp = tcp === null ? null : new TcpKeepalive(end, host, tcp);
    this.ping = ping === null ? null : new PingKeepaliveTimer(end, host, ping);
  }

  /** A packet arrived: it answers SO_KEEPALIVE's probes. */
  heard(): void {
    this.tcp?.heard();
  }

  stop(): void {
    this.tcp?.stop();
    this.ping?.stop();
  }

  /**
   * For a quiet stepper (src/sim/quiet.ts), which replays them from here on: each keepalive's
   * due time while it waits out an idle period — null for one that is off — or null as a whole
   * while one is probing (a probe or PING out), which no stepper replays.
   */
  dues(): { readonly tcp: KeepaliveDue | null; readonly ping: KeepaliveDue | null } | null {
    const tcp = this.tcp?.idleDue() ?? null;
    const ping = this.ping?.idleDue() ?? null;
    if ((this.tcp !== null && tcp === null) || (this.ping !== null && ping === null)) return null;
    return { tcp, ping };
  }
}

const US_PER_MS = 1000;

const onTcpKeepalive = (arg: unknown): void => (arg as TcpKeepalive).fired();
const onPing = (arg: unknown): void => (arg as PingKeepaliveTimer).fired();
