import type { EventHandle } from './event-queue.js';
import type { Host } from './host.js';
import { type KeepaliveDue, type PingKeepalive, PingKeepaliveTimer, TcpKeepalive, type TcpKeepaliveSettings } from './stream-keepalive.js';
import {
  type Conn,
  KIND,
  type Packet,
  SEG_DATA,
  SEG_FIN,
  SEG_PING,
  SEG_PONG,
  type Segment,
  type SegmentType,
  type StreamWire,
  type WireFate,
} from './stream-wire.js';
import { modelTimeoutUs, TCP_KERNEL } from './tcp-defaults.js';
import { type SenderEnd, TcpSender } from './tcp-sender.js';
import type { TcpSysctls } from './tcp-settings.js';
import type { Micros } from './time.js';
import { socketTimerFireUs, usecsToJiffies } from './timer-wheel.js';

/**
 * One end of a stream connection: a reliable, ordered message stream over the datagram network
 * with the parts of TCP that decide liveness. Writes "succeed" locally; the sending half
 * (tcp-sender.ts) retransmits as Linux does — loss probe, RTO from the RTT estimator with
 * back-off, cwnd = 1 after an RTO — and gives up after tcp_retries2 (≈ 925–980 s). Messages reach the process in order (a later one waits for an
 * earlier one that is being retransmitted). A FIN or RST that arrives is seen at once; over a
 * blackholed path nothing is seen (half-open) until a timeout, a keepalive or the retransmission
 * limit ends it. The OS part (acks, retransmission, SO_KEEPALIVE) runs even when the process is
 * frozen; the process part (reading, the HTTP/2-style PING keepalive) waits while it is frozen.
 */
export type StreamState = 'connecting' | 'syn-received' | 'open' | 'closing' | 'closed';

export type CloseReason = 'fin' | 'reset' | 'retransmit-timeout' | 'keepalive-timeout' | 'ping-timeout';
export type ConnectError = 'timeout' | 'refused';
export type ConnectResult = { readonly ok: true; readonly conn: StreamConn } | { readonly ok: false; readonly error: ConnectError };
export type ConnectCallback = (result: ConnectResult, ctx: unknown) => void;

export interface StreamHandler {
  onMessage(conn: StreamConn, message: unknown): void;
  onClose(conn: StreamConn, reason: CloseReason): void;
  /**
   * A keepalive PING or its PONG arrived. A handler that has this owns them (a byte relay passes
   * them on to its other leg, `writeControl`); without it the end answers a PING itself.
   */
  onControl?(conn: StreamConn, control: StreamControl): void;
}

/** The keepalive frames a relay can see and pass on (HTTP/2 PING and its ACK are bytes to an L4 proxy). */
export type StreamControl = 'ping' | 'pong';

/** A PING the process sends after `timeUs` without reading anything; no answer in `timeoutUs` closes. */
export type { PingKeepalive } from './stream-keepalive.js';

/** Per-socket keepalive settings (setsockopt TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT), overriding the sysctls. */
export interface KeepaliveOption {
  readonly idleMs: number;
  readonly intvlMs: number;
  readonly probes: number;
}

export interface StreamOptions {
  /**
   * SO_KEEPALIVE: true probes with the host's sysctls (net.ipv4.tcp_keepalive_*), an object
   * with its own per-socket values; off (the kernel's default for a socket) when absent.
   */
  readonly tcpKeepalive?: boolean | KeepaliveOption;
  readonly ping?: PingKeepalive | null;
}

/** What an end needs from its host's stack. */
export interface StackContext {
  readonly host: Host;
  readonly sysctls: TcpSysctls;
  readonly wire: StreamWire;
  forget(end: StreamConn): void;
  /** The handshake completed on the accepting side: the process must be handed the connection. */
  accepted(end: StreamConn): boolean;
  /** Runs in the process, first thing it reads from the connection. */
  acceptInProcess(end: StreamConn): void;
}

/** Inbox markers: the process is handed the connection / told it closed. */
const ACCEPT = 'accept';
const CLOSED = 'closed';
type InboxItem = Segment | typeof ACCEPT | typeof CLOSED;

const US_PER_MS = 1000;

export class StreamConn {
  handler: StreamHandler | null = null;
  /** Why the process was told the connection closed (null: it was not, or it closed it itself). */
  closeReason: CloseReason | null = null;
  /** OS: last packet received (SO_KEEPALIVE idle). */
  lastRecvUs: Micros;
  /** Process: last segment read (PING keepalive idle). */
  lastReadUs: Micros;

  private readonly sender: TcpSender;
  private received = 0;
  private outOfOrder: Map<number, Segment> | null = null;
  private ackOwed = false;
  /** Read by the process in order: the accept, segments, the close notice. */
  private readonly inbox: InboxItem[] = [];
  private appClosed = false;
  private tcpKeepalive: TcpKeepalive | null = null;
  private pingKeepalive: PingKeepaliveTimer | null = null;
  // Initiator only, while connecting.
  private connectCb: ConnectCallback | null = null;
  private connectCtx: unknown = null;
  private connectError: ConnectError | null = null;
  private synTries = 0;
  /** retrans_stamp of a SYN_SENT socket: the first SYN's send time. */
  private synFirstUs = 0;
  private synRtoJ = 0;
  private synTimer: EventHandle = -1;
  /** When our last SYN or SYN-ACK left: the handshake's RTT sample. */
  private handshakeSentUs: Micros = -1;
  private deadlineTimer: EventHandle = -1;

  constructor(
    private readonly ctx: StackContext,
    readonly conn: Conn,
    private readonly isA: boolean,
    readonly remote: string,
    readonly options: StreamOptions,
    public state: StreamState,
  ) {
    this.lastRecvUs = ctx.host.now();
    this.lastReadUs = this.lastRecvUs;
    this.sender = new TcpSender(senderEnd(this));
  }

  get sysctls(): TcpSysctls {
    return this.ctx.sysctls;
  }

  get host(): Host {
    return this.ctx.host;
  }

  /** The process closed it (SOCK_DEAD): the kernel finishes it alone, with tcp_orphan_retries. */
  get orphaned(): boolean {
    return this.appClosed;
  }

  get id(): number {
    return this.conn.id;
  }

  get local(): string {
    return this.ctx.host.name;
  }

  private get now(): Micros {
    return this.ctx.host.now();
  }

  private get peer(): StreamConn | null {
    return this.isA ? this.conn.b : this.conn.a;
  }

  // ——— the process's API ———

  /** Queues a message; false if the connection is not open. Over a dead path it still "succeeds". */
  write(message: unknown): boolean {
    if (this.state !== 'open') return false;
    this.sendSegment(SEG_DATA, message);
    return true;
  }

  /**
   * close(): a FIN after everything written; the OS keeps retransmitting until acknowledged. With
   * data the process never read, an RST instead (__tcp_close: data_was_unread).
   */
  close(): void {
    if (this.state === 'open' && this.hasUnreadData()) {
      this.ctx.host.record('stream.unread-reset', { conn: this.id, peer: this.remote });
      this.abort();
      return;
    }
    this.appClosed = true;
    if (this.state === 'open') {
      this.sendSegment(SEG_FIN, null);
      this.state = 'closing';
      this.stopLivenessTimers();
    } else if (this.state === 'connecting' || this.state === 'syn-received') this.shutdown(null);
  }

  /** Queues a PING or PONG as the process would write it (a relay passing one on); false if not open. */
  writeControl(control: StreamControl): boolean {
    if (this.state !== 'open') return false;
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
    if (this.state === 'open' || this.state === 'closing') this.sendReset();
    this.shutdown(null);
  }

  // ——— the stack's API ———

  startConnect(cb: ConnectCallback, ctx: unknown, timeoutUs: Micros): void {
    this.connectCb = cb;
    this.connectCtx = ctx;
    this.sendSyn();
    this.deadlineTimer = this.ctx.host.schedule(timeoutUs, onDeadline, this);
  }

  sendSynAck(): void {
    this.handshakeSentUs = this.now;
    this.ctx.wire.send(this.local, this.remote, KIND.synack, this.packet(null, false));
  }

  /** A packet for this end (anything but a SYN). */
  receive(p: Packet, kind: string): void {
    if (this.state === 'closed') {
      if (kind !== KIND.rst) this.sendReset();
      return;
    }
    if (kind === KIND.rst) {
      this.onReset();
      return;
    }
    this.lastRecvUs = this.now;
    this.tcpKeepalive?.heard();
    if (this.state === 'connecting') this.established();
    else if (kind === KIND.synack) {
      this.sendPureAck(false);
      return;
    }
    if (this.state === 'syn-received') {
      this.state = 'open';
      if (this.handshakeSentUs >= 0) this.sender.handshakeRtt(this.now - this.handshakeSentUs);
      this.startLivenessTimers();
      if (!this.ctx.accepted(this)) return;
      this.toProcess(ACCEPT);
    }
    this.sender.onAck(p.ack);
    if (this.state === 'closing' && !this.sender.pending) {
      // Our FIN is acknowledged: FIN-WAIT-2 and TIME-WAIT hold nothing that decides liveness.
      this.shutdown(null);
      return;
    }
    if (p.seg !== null) this.onSegment(p.seg);
    else if (p.probe) this.sendPureAck(false);
  }

  /** The network bounced one of our packets (an ICMP error or a middlebox reset). */
  bounced(): void {
    if (this.state === 'closed') return;
    this.onReset();
  }

  /** Our ack (carried by a packet the network dropped) will not arrive: the peer must retransmit. */
  ackLost(): void {
    if (this.state === 'open' || this.state === 'closing') this.sender.ackLost();
  }

  /** The process died: the OS closes the socket as close() would (a FIN, or an RST over unread data). */
  processDied(): void {
    this.close();
  }

  /** A reset injected on the path reaches both ends, each after its own latency. */
  injectReset(): void {
    const peer = this.peer;
    this.ctx.wire.send(this.remote, this.local, KIND.rst, { conn: this.conn, toB: !this.isA, seg: null, ack: 0, probe: false });
    if (peer !== null) this.ctx.wire.send(this.local, this.remote, KIND.rst, this.packet(null, false));
  }

  // ——— sending ———

  private packet(seg: Segment | null, probe: boolean): Packet {
    return { conn: this.conn, toB: this.isA, seg, ack: this.received, probe };
  }

  private sendSegment(type: SegmentType, payload: unknown): void {
    this.sender.write((seq) => ({ seq, type, payload, lastSentUs: -1, lost: false }));
  }

  /** The sender puts a segment on the wire; a drop also loses the ack it carries. */
  transmit(seg: Segment): WireFate {
    const fate = this.ctx.wire.send(this.local, this.remote, seg.type === SEG_FIN ? KIND.fin : KIND.data, this.packet(seg, false));
    this.ackOwed = false;
    if (fate === 'dropped') this.peer?.ackLost();
    return fate;
  }

  /** tcp_write_err after retransmits_timed_out: ETIMEDOUT, no RST (the peer, if alive, stays ESTABLISHED). */
  retransmitsTimedOut(): void {
    this.ctx.host.record('stream.timeout', { conn: this.id, peer: this.remote });
    this.shutdown('retransmit-timeout');
  }

  private sendPureAck(probe: boolean): void {
    const fate = this.ctx.wire.send(this.local, this.remote, KIND.ack, this.packet(null, probe));
    this.ackOwed = false;
    if (fate === 'dropped') this.peer?.ackLost();
  }

  private sendReset(): void {
    this.ctx.wire.send(this.local, this.remote, KIND.rst, this.packet(null, false));
  }

  private sendSyn(): void {
    if (this.synTries === 0) {
      this.synRtoJ = usecsToJiffies(TCP_KERNEL.timeoutInitUs, this.sysctls.hz);
      this.synFirstUs = this.now;
    }
    this.handshakeSentUs = this.now;
    this.ctx.wire.send(this.local, this.remote, KIND.syn, this.packet(null, false));
    this.synTimer = this.ctx.host.sim.at(socketTimerFireUs(this.now, this.synRtoJ, this.sysctls.hz), onSynTimer, this);
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
    this.synTimer = -1;
    if (this.state !== 'connecting') return;
    const k = this.sysctls;
    const timedOut = this.now - this.synFirstUs >= modelTimeoutUs(k.synRetries, TCP_KERNEL.timeoutInitUs);
    if (this.synTries >= k.synRetries + k.synLinearTimeouts || timedOut) {
      this.connectFailed('timeout');
      return;
    }
    this.synTries++;
    if (this.synTries > k.synLinearTimeouts) this.synRtoJ = Math.min(this.synRtoJ * 2, usecsToJiffies(TCP_KERNEL.rtoMaxUs, k.hz));
    this.sendSyn();
  }

  deadlinePassed(): void {
    this.deadlineTimer = -1;
    if (this.state === 'connecting') this.connectFailed('timeout');
  }

  // ——— receiving ———

  private onSegment(seg: Segment): void {
    if (this.state === 'closing') {
      // Our process closed the socket: a FIN is acknowledged, data is refused with a reset.
      if (seg.type !== SEG_FIN) {
        this.sendReset();
        this.shutdown(null);
        return;
      }
      if (seg.seq === this.received + 1) this.received = seg.seq;
      this.sendPureAck(false);
      if (!this.sender.pending) this.shutdown(null);
      return;
    }
    if (seg.seq <= this.received) {
      this.sendPureAck(false);
      return;
    }
    if (seg.seq > this.received + 1) {
      if (this.outOfOrder === null) this.outOfOrder = new Map();
      this.outOfOrder.set(seg.seq, seg);
      this.sendPureAck(false);
      return;
    }
    this.ackOwed = true;
    this.take(seg);
    let next = this.outOfOrder?.get(this.received + 1);
    while (next !== undefined && this.state === 'open') {
      this.outOfOrder?.delete(next.seq);
      this.take(next);
      next = this.outOfOrder?.get(this.received + 1);
    }
    // The process's reply, if it wrote one at once, carried the ack; otherwise send it alone.
    if (this.ackOwed) this.sendPureAck(false);
  }

  /** The next in-order segment: hand it to the process (or take the peer's FIN). */
  private take(seg: Segment): void {
    this.received = seg.seq;
    if (seg.type === SEG_FIN) {
      this.sendPureAck(false);
      this.shutdown('fin');
      return;
    }
    this.toProcess(seg);
  }

  private toProcess(item: InboxItem): void {
    if (this.ctx.host.process === 'dead') return;
    this.inbox.push(item);
    this.ctx.host.runInProcess(onRead, this);
  }

  /** The process reads the next item of its inbox (runs in the process, in arrival order). */
  read(): void {
    const item = this.inbox.shift();
    if (item === undefined) return;
    if (item === ACCEPT) {
      this.ctx.acceptInProcess(this);
      return;
    }
    if (item === CLOSED) {
      this.handler?.onClose(this, this.closeReason as CloseReason);
      return;
    }
    this.lastReadUs = this.now;
    if (this.appClosed) return;
    if ((item.type === SEG_PING || item.type === SEG_PONG) && this.handler?.onControl !== undefined) {
      this.handler.onControl(this, item.type === SEG_PING ? 'ping' : 'pong');
      return;
    }
    if (item.type === SEG_PING) {
      if (this.state === 'open') this.sendSegment(SEG_PONG, null);
    } else if (item.type === SEG_DATA) this.handler?.onMessage(this, item.payload);
  }

  private onReset(): void {
    if (this.state === 'connecting') {
      this.connectFailed('refused');
      return;
    }
    this.shutdown(this.state === 'open' ? 'reset' : null);
  }

  // ——— opening and closing ———

  private established(): void {
    this.state = 'open';
    if (this.synTries === 0) this.sender.handshakeRtt(this.now - this.handshakeSentUs);
    if (this.synTimer >= 0) this.ctx.host.sim.cancel(this.synTimer);
    if (this.deadlineTimer >= 0) this.ctx.host.cancel(this.deadlineTimer);
    this.synTimer = -1;
    this.deadlineTimer = -1;
    this.sendPureAck(false);
    this.startLivenessTimers();
    if (this.ctx.host.process !== 'dead') this.ctx.host.runInProcess(onConnectDone, this);
  }

  private connectFailed(error: ConnectError): void {
    this.connectError = error;
    if (this.deadlineTimer >= 0) this.ctx.host.cancel(this.deadlineTimer);
    this.deadlineTimer = -1;
    this.shutdown(null);
    if (this.ctx.host.process !== 'dead') this.ctx.host.runInProcess(onConnectDone, this);
  }

  connectDone(): void {
    const cb = this.connectCb;
    const ctx = this.connectCtx;
    this.connectCb = null;
    this.connectCtx = null;
    if (cb === null || this.appClosed) return;
    cb(this.connectError === null ? { ok: true, conn: this } : { ok: false, error: this.connectError }, ctx);
  }

  /** Closes this end for good; tells the process why, unless it closed it itself. */
  private shutdown(reason: CloseReason | null): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    const sim = this.ctx.host.sim;
    this.sender.stop();
    if (this.synTimer >= 0) sim.cancel(this.synTimer);
    this.synTimer = -1;
    this.stopLivenessTimers();
    this.outOfOrder = null;
    this.ctx.forget(this);
    if (reason !== null && wasOpen && !this.appClosed) this.notifyClosed(reason);
  }

  private notifyClosed(reason: CloseReason): void {
    if (this.closeReason !== null) return;
    this.closeReason = reason;
    this.ctx.host.record('stream.close', { conn: this.id, peer: this.remote, reason });
    this.toProcess(CLOSED);
  }

  // ——— what the keepalives (stream-keepalive.ts) need ———

  /** Data unacknowledged or waiting to be sent (tcp_keepalive_timer: packets_out or a non-empty write queue). */
  hasUnacked(): boolean {
    return this.sender.pending;
  }

  /** Segments the kernel holds for the process that it has not read. */
  private hasUnreadData(): boolean {
    for (const item of this.inbox) if (item !== ACCEPT && item !== CLOSED) return true;
    return false;
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
    this.state = 'closing';
    this.stopLivenessTimers();
    this.notifyClosed('ping-timeout');
  }

  /**
   * For a quiet stepper (src/sim/quiet.ts), which replays them from here on: this end's keepalive
   * timers while each waits out an idle period — null for a keepalive that is off — or null as a
   * whole when one is probing (a probe or PING out), which no stepper replays.
   */
  keepaliveDues(): { readonly tcp: KeepaliveDue | null; readonly ping: KeepaliveDue | null } | null {
    const tcp = this.tcpKeepalive?.idleDue() ?? null;
    const ping = this.pingKeepalive?.idleDue() ?? null;
    if ((this.tcpKeepalive !== null && tcp === null) || (this.pingKeepalive !== null && ping === null)) return null;
    return { tcp, ping };
  }

  /** Stops this end's keepalive timers: a quiet stepper has taken them over (`keepaliveDues`). */
  stopKeepalives(): void {
    this.stopLivenessTimers();
  }

  private startLivenessTimers(): void {
    if (this.options.tcpKeepalive) this.tcpKeepalive = new TcpKeepalive(this, this.ctx.host, this.keepaliveSettings());
    const ping = this.options.ping;
    if (ping !== null && ping !== undefined) this.pingKeepalive = new PingKeepaliveTimer(this, this.ctx.host, ping);
  }

  /** The socket's own keepalive values if it set them, else the host's sysctls. */
  private keepaliveSettings(): TcpKeepaliveSettings {
    const own = this.options.tcpKeepalive;
    const k =
      typeof own === 'object'
        ? own
        : { idleMs: this.ctx.sysctls.keepaliveTimeMs, intvlMs: this.ctx.sysctls.keepaliveIntvlMs, probes: this.ctx.sysctls.keepaliveProbes };
    return { idleUs: k.idleMs * US_PER_MS, intvlUs: k.intvlMs * US_PER_MS, probes: k.probes };
  }

  private stopLivenessTimers(): void {
    this.tcpKeepalive?.stop();
    this.pingKeepalive?.stop();
    this.tcpKeepalive = null;
    this.pingKeepalive = null;
  }
}

// Module-level event functions: timers carry the end as their argument, no closure per event.
const onSynTimer = (arg: unknown): void => (arg as StreamConn).synTimerFired();
const onDeadline = (arg: unknown): void => (arg as StreamConn).deadlinePassed();
const onRead = (arg: unknown): void => (arg as StreamConn).read();
const onConnectDone = (arg: unknown): void => (arg as StreamConn).connectDone();

/** The sender's view of its end (kept apart so that the sender sees only what it needs). */
const senderEnd = (end: StreamConn): SenderEnd => end;
