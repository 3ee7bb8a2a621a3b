import { assert } from './assert.js';
import type { StreamConn } from './stream-conn.js';
import { SEG_DATA, SEG_FIN, SEG_PING, SEG_PONG, type Segment } from './stream-wire.js';

/** Inbox markers: the process is handed the connection / told it closed. */
export const ACCEPT = 'accept';
export const CLOSED = 'closed';
type InboxItem = Segment | typeof ACCEPT | typeof CLOSED;

/**
 * The receive side of one end: the sequence space (what arrived in order, what waits for a gap
 * to fill), the delayed ack, and the inbox the process reads in order (the accept, segments, the
 * close notice). The kernel part runs at once; the process reads when it runs (`read`).
 */
export class Receiver {
  /** The highest segment received in order (the cumulative ack we send). */
  received = 0;
  private held: Map<number, Segment> | null = null;
  private ackOwed = false;
  private readonly inbox: InboxItem[] = [];

  constructor(private readonly end: StreamConn) {}

  /** An ack left with something we sent: none is owed. */
  ackSent(): void {
    this.ackOwed = false;
  }

  clear(): void {
    this.held = null;
  }

  /** Segments the process has not read (close() over them is an RST: __tcp_close's data_was_unread). */
  hasUnreadData(): boolean {
    for (const item of this.inbox) if (item !== ACCEPT && item !== CLOSED) return true;
    return false;
  }

  onSegment(seg: Segment): void {
    const end = this.end;
    if (end.state === 'closing') {
      // Our process closed the socket: a FIN is acknowledged, data is refused with a reset.
      if (seg.type !== SEG_FIN) {
        end.sendReset();
        end.shutdown(null);
        return;
      }
      if (seg.seq === this.received + 1) this.received = seg.seq;
      end.sendPureAck(false);
      if (!end.sendPending) end.shutdown(null);
      return;
    }
    if (seg.seq <= this.received) {
      end.sendPureAck(false);
      return;
    }
    if (seg.seq > this.received + 1) {
      if (this.held === null) this.held = new Map();
      this.held.set(seg.seq, seg);
      end.sendPureAck(false);
      return;
    }
    this.ackOwed = true;
    this.take(seg);
    while (end.state === 'open') {
      const next = this.held?.get(this.received + 1);
      if (next === undefined) break;
      this.held?.delete(next.seq);
      // A reply the process wrote for an earlier segment carried the ack only up to that one: the
      // ack of what fills the gap is still owed (tcp_data_queue → tcp_ofo_queue; RFC 5681 §4.2,
      // "SHOULD send an immediate ACK when a gap is filled": ICSK_ACK_NOW). Without this a
      // reordered pair left the second segment unacknowledged until the next exchange, 5 s later,
      // and the sender's RTT estimator took a 5 s sample (found by the deep bounds property).
      this.ackOwed = true;
      this.take(next);
    }
    // The process's reply, if it wrote one at once, carried the ack; otherwise send it alone.
    if (this.ackOwed) end.sendPureAck(false);
  }

  /** The next in-order segment: hand it to the process (or take the peer's FIN). */
  private take(seg: Segment): void {
    this.received = seg.seq;
    if (seg.type === SEG_FIN) {
      this.end.sendPureAck(false);
      this.end.shutdown('fin');
      return;
    }
    this.toProcess(seg);
  }

  toProcess(item: InboxItem): void {
    const host = this.end.host;
    if (host.process === 'dead') return;
    this.inbox.push(item);
    host.runInProcess(onRead, this);
  }

  /** The process reads the next item of its inbox (runs in the process, in arrival order). */
  read(): void {
    const item = this.inbox.shift();
    if (item === undefined) return;
    const end = this.end;
    if (item === ACCEPT) {
      end.acceptInProcess();
      return;
    }
    if (item === CLOSED) {
      assert(end.closeReason !== null, 'a close notice carries its reason');
      end.handler?.onClose(end, end.closeReason);
      return;
    }
    end.lastReadUs = end.host.now();
    if (end.appClosed) return;
    const handler = end.handler;
    if ((item.type === SEG_PING || item.type === SEG_PONG) && handler?.onControl !== undefined) {
      handler.onControl(end, item.type === SEG_PING ? 'ping' : 'pong');
      return;
    }
    if (item.type === SEG_PING) {
      if (end.state === 'open') end.sendPong();
    } else if (item.type === SEG_DATA) handler?.onMessage(end, item.payload);
  }
}

const onRead = (arg: unknown): void => (arg as Receiver).read();
