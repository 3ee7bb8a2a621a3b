import type { StreamConn } from './stream-conn.js';
import type { Receiver } from './stream-receive.js';
import { type Conn, KIND, type Packet, SEG_FIN, type Segment, type StreamWire, type WireFate } from './stream-wire.js';

/**
 * What one end puts on the wire. Every packet carries the cumulative ack of what this end has
 * received; a packet the network drops loses that ack too, so the peer will have to retransmit
 * (the wire reports the drop here, where the ack was written).
 */
export class EndPackets {
  constructor(
    private readonly wire: StreamWire,
    private readonly conn: Conn,
    private readonly isA: boolean,
    private readonly local: string,
    private readonly remote: string,
    private readonly rx: Receiver,
  ) {}

  private get peer(): StreamConn | null {
    return this.isA ? this.conn.b : this.conn.a;
  }

  private packet(seg: Segment | null, probe: boolean): Packet {
    return { conn: this.conn, toB: this.isA, seg, ack: this.rx.received, probe };
  }

  syn(): void {
    this.wire.send(this.local, this.remote, KIND.syn, this.packet(null, false));
  }

  synAck(): void {
    this.wire.send(this.local, this.remote, KIND.synack, this.packet(null, false));
  }

  reset(): void {
    this.wire.send(this.local, this.remote, KIND.rst, this.packet(null, false));
  }

  /** A pure ack (a keepalive probe when `probe`). */
  ack(probe: boolean): void {
    this.withAck(this.wire.send(this.local, this.remote, KIND.ack, this.packet(null, probe)));
  }

  /** A segment from the sender (a first transmission or a retransmission). */
  segment(seg: Segment): WireFate {
    return this.withAck(this.wire.send(this.local, this.remote, seg.type === SEG_FIN ? KIND.fin : KIND.data, this.packet(seg, false)));
  }

  /** A reset injected on the path reaches both ends, each after its own latency. */
  injectReset(): void {
    this.wire.send(this.remote, this.local, KIND.rst, { conn: this.conn, toB: !this.isA, seg: null, ack: 0, probe: false });
    if (this.peer !== null) this.reset();
  }

  private withAck(fate: WireFate): WireFate {
    this.rx.ackSent();
    if (fate === 'dropped') this.peer?.ackLost();
    return fate;
  }
}
