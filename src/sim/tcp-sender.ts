import type { Host } from './host.js';
import { SocketTimer } from './socket-timer.js';
import type { Segment, WireFate } from './stream-wire.js';
import { modelTimeoutUs, TCP_KERNEL } from './tcp-defaults.js';
import { RttEstimator } from './tcp-rtt.js';
import type { TcpSysctls } from './tcp-settings.js';
import type { Micros } from './time.js';
import { socketTimerFireUs, usecsToJiffies } from './timer-wheel.js';

/** What the sender needs of its connection end. */
export interface SenderEnd {
  readonly host: Host;
  readonly sysctls: TcpSysctls;
  /** The process closed the socket (SOCK_DEAD): tcp_orphan_retries instead of tcp_retries2. */
  readonly orphaned: boolean;
  /** Puts a segment on the wire (a first transmission or a retransmission). */
  transmit(seg: Segment): WireFate;
  /** tcp_write_err: the connection timed out (ETIMEDOUT; no RST is sent). */
  retransmitsTimedOut(): void;
}

const NONE = 0;
const LOSS_PROBE = 1;
const RETRANS = 2;
type TimerKind = typeof NONE | typeof LOSS_PROBE | typeof RETRANS;

/**
 * The sending half of a Linux TCP connection, as far as liveness goes (net/ipv4/tcp_output.c,
 * tcp_input.c, tcp_timer.c): the send queue, the RTT estimator and RTO, the tail-loss probe, the
 * RTO with exponential back-off, the Loss state (cwnd = 1: after an RTO only the head goes out;
 * new data and the FIN wait behind it until acks open the window) and the give-up rule
 * (retransmits_timed_out: at an RTO expiry, tcp_model_timeout() after the first RTO
 * retransmission). Messages are segments; sequence numbers count segments.
 *
 * One xmit timer (ICSK_TIME_LOSS_PROBE or ICSK_TIME_RETRANS), kept as the kernel keeps it, re-armed
 * on every send and ack — but only put in the event queue once a loss is known (a segment or an
 * ack of ours was dropped): a lossless connection's timer is always re-armed or cleared by the
 * ack before it fires, so it would only cost events. (Spurious timeouts — an ack slower than the
 * RTO — are therefore not modelled.)
 */
export class TcpSender {
  /** Unacknowledged and not-yet-sent segments, in order; the first `sent` have been transmitted. */
  private readonly queue: Segment[] = [];
  private sent = 0;
  private lostCount = 0;
  private nextSeq = 1;
  private acked = 0;
  private readonly rtt: RttEstimator;
  /** icsk_rto, in jiffies. */
  private rtoJ: number;
  /** TCP_CA_Loss since an RTO, until snd_una reaches highSeq. */
  private inLoss = false;
  private cwnd = Number.POSITIVE_INFINITY;
  private highSeq = 0;
  /** tp->retrans_stamp: when the first RTO retransmission of this episode left (-1: none). */
  private retransStampUs: Micros = -1;
  /** icsk_retransmits: RTO expiries since snd_una last advanced. */
  private retransmits = 0;
  /** tp->tlp_high_seq: a loss probe is out and unanswered (0: none). */
  private tlpHighSeq = 0;
  private timerKind: TimerKind = NONE;
  private timerFireUs: Micros = 0;
  /** The xmit timer's event, in the queue only once a loss is known. */
  private readonly xmitTimer: SocketTimer;
  /** A loss is known: the xmit timer lives in the event queue. */
  private lossKnown = false;

  constructor(private readonly end: SenderEnd) {
    this.rtt = new RttEstimator(end.sysctls.hz);
    this.rtoJ = this.rtt.rtoJiffies();
    this.xmitTimer = new SocketTimer(end.host, 'xmit', onXmitTimer, this);
  }

  private get hz(): number {
    return this.end.sysctls.hz;
  }

  private get now(): Micros {
    return this.end.host.now();
  }

  /** packets_out: segments on the wire, not yet acknowledged. */
  get packetsOut(): number {
    return this.sent;
  }

  /** The xmit timer's event is pending. */
  get timerArmed(): boolean {
    return this.xmitTimer.armed;
  }

  /** Anything unacknowledged or waiting to be sent (what keepalive and close look at). */
  get pending(): boolean {
    return this.queue.length > 0;
  }

  /** The handshake's RTT sample (tcp_synack_rtt_meas / the SYN-ACK's ack): the estimator starts from it. */
  handshakeRtt(mUs: Micros): void {
    this.rtt.sample(mUs, this.acked + 1, this.nextSeq);
    this.rtoJ = this.rtt.rtoJiffies();
  }

  /** Queues a segment and sends what the window allows. */
  write(make: (seq: number) => Segment): void {
    this.queue.push(make(this.nextSeq++));
    this.push();
  }

  /** The cumulative ack of a packet from the peer. */
  onAck(ack: number): void {
    if (ack <= this.acked) return;
    const now = this.now;
    let newest: Segment | undefined;
    let n = 0;
    while (this.sent > 0 && (this.queue[0] as Segment).seq <= ack) {
      newest = this.queue.shift() as Segment;
      if (newest.lost) this.lostCount--;
      this.sent--;
      n++;
    }
    this.acked = ack;
    if (newest === undefined) return;
    // With timestamps (net.ipv4.tcp_timestamps = 1) the echo dates the transmission that was acknowledged, retransmitted or not.
    this.rtt.sample(now - newest.lastSentUs, ack + 1, this.nextSeq);
    this.rtoJ = this.rtt.rtoJiffies(); // tcp_set_rto; icsk_backoff = 0
    this.retransmits = 0; // tcp_ack: snd_una advanced
    if (this.tlpHighSeq !== 0 && ack >= this.tlpHighSeq) this.tlpHighSeq = 0;
    if (this.inLoss) {
      this.cwnd += n; // slow start out of Loss
      if (ack >= this.highSeq) this.leaveLoss();
    }
    if (this.sent === 0) this.retransStampUs = -1;
    this.push();
    this.setXmitTimer(true);
  }

  /** The peer's ack of something we sent was dropped: we will have to retransmit. */
  ackLost(): void {
    if (this.sent > 0) this.knowLoss();
  }

  /** Clears every timer: the connection is gone. */
  stop(): void {
    this.xmitTimer.cancel();
    this.timerKind = NONE;
    this.lossKnown = false;
    this.queue.length = 0;
    this.sent = 0;
    this.lostCount = 0;
  }

  // ——— sending ———

  /** tcp_write_xmit: lost segments first (Loss), then new data, while in flight < cwnd. */
  private push(): void {
    const priorOut = this.sent;
    if (this.lostCount > 0) this.retransmitLost();
    let sentNew = false;
    while (this.sent < this.queue.length && this.sent - this.lostCount < this.cwnd) {
      this.send(this.queue[this.sent++] as Segment);
      sentNew = true;
    }
    if (!sentNew) return;
    // tcp_event_new_data_sent: the RTO is armed when the first segment goes out, then tcp_schedule_loss_probe.
    if (priorOut === 0 || this.timerKind === LOSS_PROBE) this.rearmRto();
    this.scheduleLossProbe(false);
  }

  /** tcp_xmit_retransmit_queue: resend segments marked lost, as the window allows. */
  private retransmitLost(): void {
    for (let i = 0; i < this.sent && this.lostCount > 0 && this.sent - this.lostCount < this.cwnd; i++) {
      const seg = this.queue[i] as Segment;
      if (!seg.lost) continue;
      seg.lost = false;
      this.lostCount--;
      this.send(seg);
      if (i === 0) this.armTimer(RETRANS, this.rtoJ);
    }
  }

  private send(seg: Segment): void {
    seg.lastSentUs = this.now;
    if (this.end.transmit(seg) === 'dropped') this.knowLoss();
  }

  // ——— the xmit timer ———

  /** tcp_set_xmit_timer: after an ack, a loss probe in Open, else the RTO; nothing if all is acked. */
  private setXmitTimer(advancing: boolean): void {
    if (this.sent === 0) {
      this.clearTimer();
      return;
    }
    if (!this.scheduleLossProbe(advancing)) this.rearmRto();
  }

  /** tcp_rto_delta_us: how far in the future the RTO of the head is. */
  private rtoDeltaUs(): Micros {
    const head = this.queue[0] as Segment;
    return this.rtoJ * (1_000_000 / this.hz) - (this.now - head.lastSentUs);
  }

  /** tcp_rearm_rto: RTO after the head's last transmission if a probe was pending, else a whole RTO from now. */
  private rearmRto(): void {
    if (this.sent === 0) {
      this.clearTimer();
      return;
    }
    let j = this.rtoJ;
    if (this.timerKind === LOSS_PROBE) j = usecsToJiffies(Math.max(this.rtoDeltaUs(), 1), this.hz);
    this.armTimer(RETRANS, j);
  }

  /** tcp_schedule_loss_probe (net.ipv4.tcp_early_retrans = 3, SACK on): only in Open with data out. */
  private scheduleLossProbe(advancing: boolean): boolean {
    if (this.inLoss || this.sent === 0) return false;
    let timeoutJ: number;
    if (this.rtt.hasSample) {
      const extraUs = this.sent === 1 ? TCP_KERNEL.rtoMinUs : TCP_KERNEL.timeoutMinUs;
      timeoutJ = usecsToJiffies(2 * this.rtt.srttUs + extraUs, this.hz);
    } else timeoutJ = usecsToJiffies(TCP_KERNEL.timeoutInitUs, this.hz);
    const rtoDeltaUs = advancing ? this.rtoJ * (1_000_000 / this.hz) : this.rtoDeltaUs();
    if (rtoDeltaUs > 0) timeoutJ = Math.min(timeoutJ, usecsToJiffies(rtoDeltaUs, this.hz));
    this.armTimer(LOSS_PROBE, timeoutJ);
    return true;
  }

  private armTimer(kind: TimerKind, timeoutJ: number): void {
    this.timerKind = kind;
    this.timerFireUs = socketTimerFireUs(this.now, timeoutJ, this.hz);
    if (this.lossKnown) this.xmitTimer.armAt(this.timerFireUs);
  }

  private clearTimer(): void {
    this.timerKind = NONE;
    this.lossKnown = false;
    this.xmitTimer.cancel();
  }

  /** From now on the timer is real: it will fire. */
  private knowLoss(): void {
    if (this.lossKnown) return;
    this.lossKnown = true;
    if (this.timerKind !== NONE) this.xmitTimer.armAt(this.timerFireUs);
  }

  xmitTimerFired(): void {
    this.xmitTimer.fired();
    const kind = this.timerKind;
    this.timerKind = NONE;
    if (this.sent === 0) return;
    if (kind === LOSS_PROBE) this.sendLossProbe();
    else if (kind === RETRANS) this.retransmitTimer();
  }

  /** tcp_send_loss_probe: the last segment again (new data never waits in Open), then the RTO after the head. */
  private sendLossProbe(): void {
    if (this.tlpHighSeq === 0) {
      // __tcp_retransmit_skb: not an RTO retransmission, so neither retrans_stamp nor icsk_retransmits moves.
      const last = this.queue[this.sent - 1] as Segment;
      this.tlpHighSeq = last.seq;
      this.send(last);
    }
    this.timerKind = LOSS_PROBE;
    this.rearmRto();
  }

  /** tcp_retransmit_timer. */
  private retransmitTimer(): void {
    if (this.writeTimedOut()) {
      this.end.retransmitsTimedOut();
      return;
    }
    this.tlpHighSeq = 0;
    this.enterLoss();
    const head = this.queue[0] as Segment;
    head.lost = false;
    this.lostCount--;
    this.send(head);
    if (this.retransStampUs < 0) this.retransStampUs = this.now;
    this.retransmits++;
    const maxJ = usecsToJiffies(TCP_KERNEL.rtoMaxUs, this.hz);
    this.rtoJ = Math.min(this.rtoJ * 2, maxJ);
    this.armTimer(RETRANS, this.rtoJ);
  }

  /**
   * tcp_write_timeout → retransmits_timed_out(sk, boundary, 0): expired once `now − retrans_stamp`
   * reaches tcp_model_timeout(boundary). An orphan's boundary is tcp_orphan_retries (0 means 8
   * while the RTO is below TCP_RTO_MAX, else 0).
   */
  private writeTimedOut(): boolean {
    if (this.retransmits === 0 || this.retransStampUs < 0) return false;
    let boundary = this.end.sysctls.retries2;
    if (this.end.orphaned) {
      const alive = this.rtoJ < usecsToJiffies(TCP_KERNEL.rtoMaxUs, this.hz);
      boundary = this.end.sysctls.orphanRetries;
      if (boundary === 0 && alive) boundary = 8;
    }
    return this.now - this.retransStampUs >= modelTimeoutUs(boundary);
  }

  /** tcp_enter_loss: every segment out is marked lost, cwnd = 1, recovery ends at snd_nxt. */
  private enterLoss(): void {
    if (!this.inLoss) this.highSeq = (this.queue[this.sent - 1] as Segment).seq;
    this.inLoss = true;
    this.cwnd = 1;
    for (let i = 0; i < this.sent; i++) {
      const seg = this.queue[i] as Segment;
      if (!seg.lost) {
        seg.lost = true;
        this.lostCount++;
      }
    }
  }

  private leaveLoss(): void {
    this.inLoss = false;
    this.cwnd = Number.POSITIVE_INFINITY;
    this.retransStampUs = -1;
  }
}

const onXmitTimer = (arg: unknown): void => (arg as TcpSender).xmitTimerFired();
