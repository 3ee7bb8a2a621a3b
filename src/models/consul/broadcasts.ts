import type { GossipMsg } from './messages.js';

interface Queued {
  readonly msg: GossipMsg;
  transmits: number;
}

/**
 * memberlist queue.go TransmitLimitedQueue, reduced: a new message about a node invalidates the
 * queued one about the same node (memberlistBroadcast.Invalidates); each packet takes every
 * queued message, fewest transmissions first, and a message is dropped once sent `limit` times.
 * The 1400-byte packet limit is not modelled (a handful of messages fit at livesim's sizes).
 */
export class BroadcastQueue {
  private queue: Queued[] = [];

  push(msg: GossipMsg): void {
    this.queue = this.queue.filter((q) => q.msg.node !== msg.node);
    this.queue.push({ msg, transmits: 0 });
  }

  get size(): number {
    return this.queue.length;
  }

  /** GetBroadcasts: the messages for one packet; `limit` is retransmitLimit(RetransmitMult, n). */
  take(limit: number): GossipMsg[] {
    const sorted = [...this.queue].sort((a, b) => a.transmits - b.transmits);
    const out = sorted.map((q) => q.msg);
    for (const q of sorted) q.transmits++;
    this.queue = this.queue.filter((q) => q.transmits < limit);
    return out;
  }
}
