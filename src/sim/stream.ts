import { type Endpoint, rejectedKind } from './endpoint.js';
import type { Middlebox } from './middlebox.js';
import type { Datagram, Network } from './network.js';
import type { Simulation } from './simulation.js';
import { StreamConn } from './stream-conn.js';
import type { ConnectCallback, StackContext, StreamOptions } from './stream-types.js';
import { type Conn, KIND, type Packet, StreamWire } from './stream-wire.js';
import { LINUX_TCP_SYSCTLS, TCP_KERNEL } from './tcp-defaults.js';
import type { TcpSysctls } from './tcp-settings.js';
import type { Micros } from './time.js';

export { StreamConn } from './stream-conn.js';
export type {
  CloseReason,
  ConnectCallback,
  ConnectError,
  ConnectResult,
  PingKeepalive,
  StreamControl,
  StreamHandler,
  StreamOptions,
  StreamState,
} from './stream-types.js';

/**
 * Stream connections between hosts (TCP as far as liveness goes), protocol-agnostic: connect,
 * ordered messages both ways, graceful and abortive close, half-open connections over a
 * blackholed path, retransmission limits, keepalives and middleboxes. One StreamNet per world;
 * one StreamStack (the host's OS networking) per host. Protocol code sees only StreamConn.
 */
export class StreamNet {
  readonly wire: StreamWire;
  private readonly stacks = new Map<string, StreamStack>();
  private nextConnId = 1;

  constructor(
    readonly sim: Simulation,
    readonly net: Network,
  ) {
    this.wire = new StreamWire(sim, net, (p) => this.senderOf(p)?.bounced());
  }

  /**
   * The host's stack, created on first use (it registers the stream kinds on the endpoint), with
   * the host's TCP sysctls: stock Linux, overridden by `sysctls` (given on first use only).
   */
  stack(ep: Endpoint, sysctls?: Partial<TcpSysctls>): StreamStack {
    let s = this.stacks.get(ep.name);
    if (s === undefined) {
      s = new StreamStack(this, ep, { ...LINUX_TCP_SYSCTLS, ...sysctls });
      this.stacks.set(ep.name, s);
    }
    return s;
  }

  stackOf(host: string): StreamStack | undefined {
    return this.stacks.get(host);
  }

  addMiddlebox(box: Middlebox): void {
    this.wire.middleboxes.push(box);
  }

  newConnId(): number {
    return this.nextConnId++;
  }

  /** The end that sent packet p (the one a bounce or a middlebox reset goes back to). */
  senderOf(p: Packet): StreamConn | null {
    return p.toB ? p.conn.a : p.conn.b;
  }

  receiverOf(p: Packet): StreamConn | null {
    return p.toB ? p.conn.b : p.conn.a;
  }

  /** A reset injected on the path between two hosts: every connection between them sees it. */
  resetBetween(x: string, y: string): void {
    const stack = this.stacks.get(x);
    if (stack === undefined) return;
    for (const end of [...stack.ends]) if (end.remote === y && end.state !== 'closed' && end.state !== 'connecting') end.injectReset();
  }
}

interface Listener {
  readonly onAccept: (conn: StreamConn) => void;
  readonly options: StreamOptions;
}

/** SYN_RECV entries whose handshake never completes are dropped after tcp_synack_retries (5: 1+2+…+32 s; reqsk_timer_handler). */
const synRecvLifetimeUs = (k: TcpSysctls): Micros => TCP_KERNEL.timeoutInitUs * (2 ** (k.synackRetries + 1) - 1);

/** A host's OS networking: its listening socket and its connections' ends. */
export class StreamStack implements StackContext {
  /** Ends that still hold state in this host's OS. */
  readonly ends = new Set<StreamConn>();
  private listener: Listener | null = null;

  constructor(
    readonly streams: StreamNet,
    readonly ep: Endpoint,
    readonly sysctls: TcpSysctls,
  ) {
    ep.on(KIND.syn, (d) => this.onSyn(d));
    for (const kind of [KIND.synack, KIND.data, KIND.fin, KIND.ack, KIND.rst]) {
      ep.on(kind, (d) => streams.receiverOf(d.body as Packet)?.receive(d.body as Packet, d.kind));
    }
    for (const kind of Object.values(KIND)) {
      if (kind !== KIND.rst) ep.on(rejectedKind(kind), (d) => streams.senderOf(d.body as Packet)?.bounced());
    }
  }

  get host() {
    return this.ep.host;
  }

  get wire(): StreamWire {
    return this.streams.wire;
  }

  /** Accepts connections: `onAccept` runs in the process once the handshake completes. */
  listen(onAccept: (conn: StreamConn) => void, options: StreamOptions = {}): void {
    this.listener = { onAccept, options };
  }

  /**
   * Opens a connection; `cb(result, ctx)` runs in the process when it is open or has failed.
   * `timeoutUs` is the caller's connect deadline (SYNs are retried within it, 1 s, 2 s, 4 s …).
   */
  connect(to: string, timeoutUs: Micros, options: StreamOptions, cb: ConnectCallback, ctx?: unknown): StreamConn {
    const conn: Conn = { id: this.streams.newConnId(), a: null as unknown as StreamConn, b: null };
    const end = new StreamConn(this, conn, true, to, options, 'connecting');
    conn.a = end;
    this.ends.add(end);
    end.startConnect(cb, ctx, timeoutUs);
    return end;
  }

  /** The process died: the listening socket goes, every connection gets a FIN. */
  crash(): void {
    this.listener = null;
    for (const end of [...this.ends]) end.processDied();
  }

  forget(end: StreamConn): void {
    this.ends.delete(end);
    const { a, b } = end.conn;
    if (a.state === 'closed' && (b === null || b.state === 'closed')) this.wire.release(end.conn.id);
  }

  accepted(end: StreamConn): boolean {
    if (this.host.process !== 'dead' && this.listener !== null) return true;
    end.abort();
    return false;
  }

  /** A connection reset before the process got to it is still handed over, so that it hears of the reset. */
  acceptInProcess(end: StreamConn): void {
    if (end.state !== 'closed' || end.closeReason !== null) this.listener?.onAccept(end);
  }

  private onSyn(d: Datagram): void {
    const p = d.body as Packet;
    const refuse = (): void => {
      this.wire.send(this.host.name, d.from, KIND.rst, { conn: p.conn, toB: false, seg: null, ack: 0, probe: false });
    };
    if (this.host.process === 'dead' || this.listener === null) {
      refuse();
      return;
    }
    let b = p.conn.b;
    if (b === null) {
      b = new StreamConn(this, p.conn, false, d.from, this.listener.options, 'syn-received');
      p.conn.b = b;
      this.ends.add(b);
      this.streams.sim.schedule(synRecvLifetimeUs(this.sysctls), expireSynRecv, b);
    }
    if (b.state === 'syn-received' || b.state === 'open') b.sendSynAck();
    else refuse();
  }
}

const expireSynRecv = (arg: unknown): void => {
  const end = arg as StreamConn;
  if (end.state === 'syn-received') end.close();
};
