import { sampleLatency } from './latency.js';
import type { Middlebox } from './middlebox.js';
import type { Network } from './network.js';
import type { Simulation } from './simulation.js';
import type { StreamConn } from './stream-conn.js';

/**
 * What stream connections put on the network: one datagram per packet, named by kind so that
 * the trace reads like a capture. The body is a `Packet`; the network never looks inside it.
 */
export const KIND = {
  syn: 'stream.syn',
  synack: 'stream.synack',
  data: 'stream.data',
  fin: 'stream.fin',
  ack: 'stream.ack',
  rst: 'stream.rst',
} as const;

export const SEG_DATA = 0;
export const SEG_FIN = 1;
/** A transport-level liveness probe run by the process (an HTTP/2 PING) and its answer. */
export const SEG_PING = 2;
export const SEG_PONG = 3;
export type SegmentType = typeof SEG_DATA | typeof SEG_FIN | typeof SEG_PING | typeof SEG_PONG;

/** One sequenced unit of a byte stream: a message, a FIN or a PING/PONG. Kept until acknowledged. */
export interface Segment {
  readonly seq: number;
  readonly type: SegmentType;
  readonly payload: unknown;
  /** When it was last put on the wire (skb_mstamp: the RTO and loss probe count from the head's; -1: not yet sent). */
  lastSentUs: number;
  /** Marked lost by an RTO (tcp_enter_loss) and not yet retransmitted since. */
  lost: boolean;
}

/** The connection both ends belong to; `b` exists once the SYN has landed. */
export interface Conn {
  readonly id: number;
  a: StreamConn;
  b: StreamConn | null;
}

export interface Packet {
  readonly conn: Conn;
  /** Direction: from the initiator (a) to the acceptor (b)? */
  readonly toB: boolean;
  readonly seg: Segment | null;
  /** Cumulative acknowledgement: the highest sequence number the sender has received in order. */
  readonly ack: number;
  /** A keepalive probe: the receiving OS must answer it. */
  readonly probe: boolean;
}

export type WireFate = 'sent' | 'dropped';

/** Sends packets over the network, through the middleboxes that sit on the path. */
export class StreamWire {
  readonly middleboxes: Middlebox[] = [];

  constructor(
    readonly sim: Simulation,
    readonly net: Network,
    /** Delivers a reset made up by a middlebox to the end that sent the packet. */
    private readonly resetSender: (p: Packet) => void,
  ) {}

  send(from: string, to: string, kind: string, p: Packet): WireFate {
    const opens = kind === KIND.syn;
    for (const box of this.middleboxes) {
      const verdict = box.judge(p.conn.id, from, to, opens);
      if (verdict === 'pass') continue;
      this.sim.record(verdict === 'rst' ? 'middlebox.rst' : 'middlebox.drop', from, { to, kind, conn: p.conn.id });
      if (verdict === 'rst') this.bounceReset(from, to, p);
      return 'dropped';
    }
    const fate = this.net.send(from, to, kind, p);
    if (fate === 'sent') for (const box of this.middleboxes) box.seen(p.conn.id, from, to, opens);
    // 'rejected': the network bounces it; the bounce arrives as a reset. Either way it is lost.
    return fate === 'sent' ? 'sent' : 'dropped';
  }

  release(connId: number): void {
    for (const box of this.middleboxes) box.release(connId);
  }

  /** The box answers for the peer: the reset travels back over the reverse path's latency. */
  private bounceReset(from: string, to: string, p: Packet): void {
    const latency = sampleLatency(this.net.link(to, from).latency, this.sim.rng(`middlebox.latency:${to}>${from}`));
    this.sim.schedule(latency, this.deliverReset, p);
  }

  private readonly deliverReset = (arg: unknown): void => this.resetSender(arg as Packet);
}
