import { assert } from './assert.js';
import type { Host } from './host.js';
import { ActiveOpen, type OpeningEnd } from './stream-handshake.js';
import { type KeepaliveDue, type KeepaliveEnd, Liveness } from './stream-keepalive.js';
import { EndPackets } from './stream-packets.js';
import { ACCEPT, CLOSED, Receiver } from './stream-receive.js';
import type { CloseReason, ConnectCallback, ConnectError, StackContext, StreamControl, StreamHandler, StreamOptions, StreamState } from './stream-types.js';
import { type Conn, KIND, type Packet, SEG_DATA, SEG_FIN, SEG_PING, SEG_PONG, type Segment, type SegmentType, type WireFate } from './stream-wire.js';
import { type SenderEnd, TcpSender } from './tcp-sender.js';
import type { TcpSysctls } from './tcp-settings.js';
import type { Micros } from './time.js';

/**
 * One end of a stream connection: a reliable, ordered message stream over the datagram network
 * with the parts of TCP that decide liveness. Writes "succeed" locally; the sending half
 * (tcp-sender.ts) retransmits as Linux does and gives up after tcp_retries2 (≈ 925–980 s).
 * Messages reach the process in order. A FIN or RST that arrives is seen at once; over a
 * blackholed path nothing is seen (half-open) until a timeout, a keepalive or the retransmission
 * limit ends it. The OS part (acks, retransmission, SO_KEEPALIVE) runs even when the process is
 * frozen; the process part (reading, the PING keepalive) waits while it is frozen.
 *
 * States and transitions. Every change goes through `enter`, which checks it against NEXT and
 * stops the timers of the state left; what the new state starts is done by the caller, in the
 * order the kernel does it (the order of events is part of the trace):
 *   connecting   → open     the SYN-ACK arrived (initiator); the process then gets { ok: true }
 *   connecting   → closed   RST (refused), SYN give-up or the caller's deadline (timeout), close
 *   syn-received → open     the handshake's ACK arrived; the accepting process is handed it
 *   syn-received → closed   close (the SYN_RECV lifetime), RST, abort
 *   open         → closing  a FIN went out: the process closed it, or its PING went unanswered
 *                           (then the process is told 'ping-timeout')
 *   open         → closed   the peer's FIN, RST, RTO give-up, SO_KEEPALIVE give-up, abort, drop;
 *                           the process is told why unless it closed the socket itself
 *   closing      → closed   our FIN acknowledged, data refused (RST), RST, RTO give-up, abort
 * Timers, each owned by the state that needs it (socket-timer.ts fixes each kind's clock):
 *   connecting — SYN retransmission, connect deadline (stream-handshake.ts);
 *   open — SO_KEEPALIVE and the PING keepalive (stream-keepalive.ts);
 *   open, closing — the sender's RTO and loss probe (tcp-sender.ts); closed — none.
 */
const NEXT: Readonly<Record<StreamState, readonly StreamState[]>> = {
  connecting: ['open', 'closed'],
  'syn-received': ['open', 'closed'],
  open: ['closing', 'closed'],
  closing: ['closed'],
  closed: [],
};

export class StreamConn implements OpeningEnd, KeepaliveEnd {
  handler: StreamHandler | null = null;
  /** Why the process was told the connection closed (null: it was not, or it closed it itself). */
  closeReason: CloseReason | null = null;
  /** OS: last packet received (SO_KEEPALIVE idle). */
  lastRecvUs: Micros;
  /** Process: last segment read (PING keepalive idle). */
  lastReadUs: Micros;

  readonly host: Host;
  readonly sysctls: TcpSysctls;
  /** This end's host name. */
  readonly local: string;
  private current: StreamState;
  private readonly sender: TcpSender;
  private readonly rx: Receiver = new Receiver(this);
  private readonly out: EndPackets;
  /** The process closed the socket (or dropped or aborted it): it reads nothing more. */
  appClosed = false;
  /** The open state's keepalives (null in every other state). */
  private liveness: Liveness | null = null;
  /** The initiator's handshake, from startConnect until the process has its result. */
  private opening: ActiveOpen | null = null;
  /** When our last SYN or SYN-ACK left: the handshake's RTT sample. */
  private handshakeSentUs: Micros = -1;

  constructor(
    private readonly ctx: StackContext,
    readonly conn: Conn,
    private readonly isA: boolean,
    readonly remote: string,
    readonly options: StreamOptions,
    state: 'connecting' | 'syn-received',
  ) {
    this.host = ctx.host;
    this.sysctls = ctx.sysctls;
    this.local = ctx.host.name;
    this.current = state;
    this.lastRecvUs = ctx.host.now();
    this.lastReadUs = this.lastRecvUs;
    this.sender = new TcpSender(senderEnd(this));
    this.out = new EndPackets(ctx.wire, conn, isA, ctx.host.name, remote, this.rx);
  }

  get state(): StreamState {
    return this.current;
  }

  /** The process closed it (SOCK_DEAD): the kernel finishes it alone, with tcp_orphan_retries. */
  get orphaned(): boolean {
    return this.appClosed;
  }

  get id(): number {
    return this.conn.id;
  }

  private get now(): Micros {
    return this.ctx.host.now();
  }

  /** Any of this end's timers is pending (SYN, connect deadline, keepalives, RTO / loss probe). */
  timersArmed(): boolean {
    return (this.opening?.timersArmed() ?? false) || this.liveness !== null || this.sender.timerArmed;
  }

  /** The one transition function: checks the move and stops what the state left owned. */
  private enter(next: StreamState): void {
    const from = this.current;
    assert(NEXT[from].includes(next), `stream ${this.id}: no transition ${from} → ${next}`);
    if (from === 'connecting') this.opening?.stop();
    if (from === 'open') this.stopLiveness();
    if (next === 'closed') {
      this.sender.stop();
      this.rx.clear();
    }
    this.current = next;
  }

  // ——— the process's API ———

  /** Queues a message; false if the connection is not open. Over a dead path it still "succeeds". */
  write(message: unknown): boolean {
    if (this.current !== 'open') return false;
    this.sendSegment(SEG_DATA, message);
    return true;
  }

  /**
   * close(): a FIN after everything written; the OS keeps retransmitting until acknowledged. With
   * data the process never read, an RST instead (__tcp_close: data_was_unread).
   */
  close(): void {
    if (this.current === 'open' && this.rx.hasUnreadData()) {
      this.ctx.host.record('stream.unread-reset', { conn: this.id, peer: this.remote });
      this.abort();
      return;
    }
    this.appClosed = true;
    if (this.current === 'open') {
      this.sendSegment(SEG_FIN, null);
      this.enter('closing');
    } else if (this.current === 'connecting' || this.current === 'syn-received') this.shutdown(null);
  }

  /** Queues a PING or PONG as the process would write it (a relay passing one on); false if not open. */
  writeControl(control: StreamControl): boolean {
    if (this.current !== 'open') return false;
    this.sendSegment(control === 'ping' ? SEG_PING : SEG_PONG, null);
    return true;
  }

  /**
   * The socket's state vanishes without a packet (a load balancer dropping a flow from its table):
   * nothing is sent, the process is not told, and a later packet for it is answered with a reset.
   */
  drop(): void {
    this.appClosed = true;
    this.shutdown(null);
  }

  /** Abortive close: an RST to the peer, nothing more. */
  abort(): void {
    this.appClosed = true;
    if (this.current === 'open' || this.current === 'closing') this.sendReset();
    this.shutdown(null);
  }

  // ——— the stack's API ———

  startConnect(cb: ConnectCallback, ctx: unknown, timeoutUs: Micros): void {
    assert(this.current === 'connecting' && this.opening === null, 'startConnect once, on a connecting end');
    this.opening = new ActiveOpen(this, cb, ctx);
    this.opening.start(timeoutUs);
  }

  sendSyn(): void {
    this.handshakeSentUs = this.now;
    this.out.syn();
  }

  sendSynAck(): void {
    this.handshakeSentUs = this.now;
    this.out.synAck();
  }

  /** A packet for this end (anything but a SYN). */
  receive(p: Packet, kind: string): void {
    if (this.current === 'closed') {
      if (kind !== KIND.rst) this.sendReset();
      return;
    }
    if (kind === KIND.rst) {
      this.onReset();
      return;
    }
    this.lastRecvUs = this.now;
    this.liveness?.heard();
    if (this.current === 'connecting') this.established();
    else if (kind === KIND.synack) {
      this.sendPureAck(false);
      return;
    }
    if (this.current === 'syn-received') {
      this.enter('open');
      if (this.handshakeSentUs >= 0) this.sender.handshakeRtt(this.now - this.handshakeSentUs);
      this.startLiveness();
      if (!this.ctx.accepted(this)) return;
      this.rx.toProcess(ACCEPT);
    }
    this.sender.onAck(p.ack);
    if (this.current === 'closing' && !this.sender.pending) {
      // Our FIN is acknowledged: FIN-WAIT-2 and TIME-WAIT hold nothing that decides liveness.
      this.shutdown(null);
      return;
    }
    if (p.seg !== null) this.rx.onSegment(p.seg);
    else if (p.probe) this.sendPureAck(false);
  }

  /** The network bounced one of our packets (an ICMP error or a middlebox reset). */
  bounced(): void {
    if (this.current === 'closed') return;
    this.onReset();
  }

  /** Our ack (carried by a packet the network dropped) will not arrive: the peer must retransmit. */
  ackLost(): void {
    if (this.current === 'open' || this.current === 'closing') this.sender.ackLost();
  }

  /** The process died: the OS closes the socket as close() would (a FIN, or an RST over unread data). */
  processDied(): void {
    this.close();
  }

  /** A reset injected on the path reaches both ends, each after its own latency. */
  injectReset(): void {
    this.out.injectReset();
  }

  // ——— sending ———

  /** The process's PONG to a PING it read. */
  sendPong(): void {
    this.sendSegment(SEG_PONG, null);
  }

  /** Anything unacknowledged or waiting to be sent. */
  get sendPending(): boolean {
    return this.sender.pending;
  }

  /** Runs in the process, first thing it reads: the stack hands it the connection. */
  acceptInProcess(): void {
    this.ctx.acceptInProcess(this);
  }

  private sendSegment(type: SegmentType, payload: unknown): void {
    this.sender.write((seq) => ({ seq, type, payload, lastSentUs: -1, lost: false }));
  }

  /** The sender puts a segment on the wire; a drop also loses the ack it carries. */
  transmit(seg: Segment): WireFate {
    return this.out.segment(seg);
  }

  /** tcp_write_err after retransmits_timed_out: ETIMEDOUT, no RST (the peer, if alive, stays ESTABLISHED). */
  retransmitsTimedOut(): void {
    this.ctx.host.record('stream.timeout', { conn: this.id, peer: this.remote });
    this.shutdown('retransmit-timeout');
  }

  sendPureAck(probe: boolean): void {
    this.out.ack(probe);
  }

  sendReset(): void {
    this.out.reset();
  }

  // ——— receiving ———

  private onReset(): void {
    if (this.current === 'connecting') {
      this.connectFailed('refused');
      return;
    }
    this.shutdown(this.current === 'open' ? 'reset' : null);
  }

  // ——— opening and closing ———

  /** connecting → open: the SYN-ACK arrived. */
  private established(): void {
    const opening = this.opening;
    assert(opening !== null, 'a connecting end has its handshake');
    this.enter('open');
    if (opening.tries === 0) this.sender.handshakeRtt(this.now - this.handshakeSentUs); // Karn: no sample after a retransmitted SYN
    this.sendPureAck(false);
    this.startLiveness();
    if (this.ctx.host.process !== 'dead') this.ctx.host.runInProcess(onConnectDone, this);
  }

  connectFailed(error: ConnectError): void {
    this.opening?.fail(error);
    this.shutdown(null);
    if (this.ctx.host.process !== 'dead') this.ctx.host.runInProcess(onConnectDone, this);
  }

  /** Runs in the process: it gets the connect's result, unless it closed the socket meanwhile. */
  connectDone(): void {
    const opening = this.opening;
    this.opening = null;
    opening?.deliver(this, this.appClosed);
  }

  /** Closes this end for good; tells the process why, unless it closed it itself. */
  shutdown(reason: CloseReason | null): void {
    if (this.current === 'closed') return;
    const wasOpen = this.current === 'open';
    this.enter('closed');
    assert(!this.timersArmed(), 'a closed end has no timer armed');
    this.ctx.forget(this);
    if (reason !== null && wasOpen && !this.appClosed) this.notifyClosed(reason);
  }

  private notifyClosed(reason: CloseReason): void {
    if (this.closeReason !== null) return;
    this.closeReason = reason;
    this.ctx.host.record('stream.close', { conn: this.id, peer: this.remote, reason });
    this.rx.toProcess(CLOSED);
  }

  // ——— what the keepalives (stream-keepalive.ts) need ———

  /** Data unacknowledged or waiting to be sent (tcp_keepalive_timer: packets_out or a non-empty write queue). */
  hasUnacked(): boolean {
    return this.sender.pending;
  }

  sendKeepaliveProbe(): void {
    this.sendPureAck(true);
  }

  sendPing(): void {
    this.sendSegment(SEG_PING, null);
  }

  /** SO_KEEPALIVE gave up: reset and close (tcp_keepalive_timer → tcp_send_active_reset). */
  keepaliveExpired(): void {
    this.ctx.host.record('stream.keepalive-timeout', { conn: this.id, peer: this.remote });
    this.sendReset();
    this.shutdown('keepalive-timeout');
  }

  /** The PING went unanswered: the transport is closed (a FIN) and the process told why. */
  pingExpired(): void {
    this.ctx.host.record('stream.ping-timeout', { conn: this.id, peer: this.remote });
    this.sendSegment(SEG_FIN, null);
    this.enter('closing');
    this.notifyClosed('ping-timeout');
  }

  /** For a quiet stepper (src/sim/quiet.ts): see Liveness.dues. */
  keepaliveDues(): { readonly tcp: KeepaliveDue | null; readonly ping: KeepaliveDue | null } | null {
    return this.liveness === null ? { tcp: null, ping: null } : this.liveness.dues();
  }

  /** Stops this end's keepalive timers: a quiet stepper has taken them over (`keepaliveDues`). */
  stopKeepalives(): void {
    this.stopLiveness();
  }

  private startLiveness(): void {
    assert(this.current === 'open' && this.liveness === null, 'keepalives start once, on opening');
    this.liveness = Liveness.forSocket(this, this.options, this.sysctls);
  }

  private stopLiveness(): void {
    this.liveness?.stop();
    this.liveness = null;
  }
}

// Module-level event functions: timers carry the end as their argument, no closure per event.
const onConnectDone = (arg: unknown): void => (arg as StreamConn).connectDone();

/** The sender's view of its end (kept apart so that the sender sees only what it needs). */
const senderEnd = (end: StreamConn): SenderEnd => end;
