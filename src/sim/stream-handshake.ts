import { assert } from './assert.js';
import type { Host } from './host.js';
import { SocketTimer } from './socket-timer.js';
import type { StreamConn } from './stream-conn.js';
import type { ConnectCallback, ConnectError, StreamState } from './stream-types.js';
import { modelTimeoutUs, TCP_KERNEL } from './tcp-defaults.js';
import type { TcpSysctls } from './tcp-settings.js';
import type { Micros } from './time.js';
import { socketTimerFireUs, usecsToJiffies } from './timer-wheel.js';

/** What the active open needs of its connection end. */
export interface OpeningEnd {
  readonly host: Host;
  readonly sysctls: TcpSysctls;
  readonly state: StreamState;
  /** Puts a SYN on the wire. */
  sendSyn(): void;
  /** The connect failed (SYN give-up, the caller's deadline, or a reset): the end closes. */
  connectFailed(error: ConnectError): void;
}

/**
 * The initiator's side of the handshake, the `connecting` state's timers and result: SYN
 * retransmission on the OS clock (tcp_retransmit_timer in SYN_SENT), the caller's connect deadline
 * on the process clock, and the callback that hands the process its result. It outlives the
 * state by one step: the result reaches the process after the end has opened or closed.
 */
export class ActiveOpen {
  /** SYN retransmissions so far. */
  tries = 0;
  /** retrans_stamp of a SYN_SENT socket: the first SYN's send time. */
  private firstUs = 0;
  private rtoJ = 0;
  private readonly synTimer: SocketTimer;
  private readonly deadline: SocketTimer;
  private error: ConnectError | null = null;

  constructor(
    private readonly end: OpeningEnd,
    private cb: ConnectCallback | null,
    private ctx: unknown,
  ) {
    this.synTimer = new SocketTimer(end.host, 'syn', onSynTimer, this);
    this.deadline = new SocketTimer(end.host, 'connectDeadline', onDeadline, this);
  }

  start(timeoutUs: Micros): void {
    this.sendSyn();
    this.deadline.armIn(timeoutUs);
  }

  private sendSyn(): void {
    const host = this.end.host;
    if (this.tries === 0) {
      this.rtoJ = usecsToJiffies(TCP_KERNEL.timeoutInitUs, this.end.sysctls.hz);
      this.firstUs = host.now();
    }
    this.end.sendSyn();
    this.synTimer.armAt(socketTimerFireUs(host.now(), this.rtoJ, this.end.sysctls.hz));
  }

  /**
   * tcp_retransmit_timer in SYN_SENT: tcp_write_timeout fails the connect when tcp_syn_retries +
   * tcp_syn_linear_timeouts retransmissions are done, or else when retransmits_timed_out() holds:
   * tcp_model_timeout(tcp_syn_retries, TCP_TIMEOUT_INIT) has passed since the first SYN
   * (retrans_stamp). The first RTOs do not back off (Linux 6.5+): SYNs at 0, 1, 2, 3, 4, 5, 7, 11,
   * 19 … s. So tcp_syn_retries=2 fails at the expiry at 7 s (7 s ≥ 7 s, the time rule; measured
   * 7.17 s), 3 at 19 s (both rules), the stock 6 at 131 s.
   */
  synTimerFired(): void {
    this.synTimer.fired();
    assert(this.end.state === 'connecting', 'a SYN timer fires only while connecting');
    const k = this.end.sysctls;
    const timedOut = this.end.host.now() - this.firstUs >= modelTimeoutUs(k.synRetries, TCP_KERNEL.timeoutInitUs);
    if (this.tries >= k.synRetries + k.synLinearTimeouts || timedOut) {
      this.end.connectFailed('timeout');
      return;
    }
    this.tries++;
    if (this.tries > k.synLinearTimeouts) this.rtoJ = Math.min(this.rtoJ * 2, usecsToJiffies(TCP_KERNEL.rtoMaxUs, k.hz));
    this.sendSyn();
  }

  deadlinePassed(): void {
    this.deadline.fired();
    if (this.end.state === 'connecting') this.end.connectFailed('timeout');
  }

  /** The connect failed: the process will be given this error. */
  fail(error: ConnectError): void {
    this.error = error;
  }

  timersArmed(): boolean {
    return this.synTimer.armed || this.deadline.armed;
  }

  /** The end left `connecting`: the state's timers stop. */
  stop(): void {
    this.synTimer.cancel();
    this.deadline.cancel();
  }

  /** Runs in the process: hands it the result (not if it closed the socket meanwhile). */
  deliver(conn: StreamConn, processClosed: boolean): void {
    assert(!this.synTimer.armed, 'a connect result is delivered after the handshake ended');
    const cb = this.cb;
    const ctx = this.ctx;
    this.cb = null;
    this.ctx = null;
    if (cb === null || processClosed) return;
    cb(this.error === null ? { ok: true, conn } : { ok: false, error: this.error }, ctx);
  }
}

const onSynTimer = (arg: unknown): void => (arg as ActiveOpen).synTimerFired();
const onDeadline = (arg: unknown): void => (arg as ActiveOpen).deadlinePassed();
