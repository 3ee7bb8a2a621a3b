import type { Endpoint } from '../../sim/endpoint.js';
import type { EventHandle } from '../../sim/event-queue.js';
import { msToUs } from '../../sim/time.js';
import { V1_CONSTANTS as K } from './defaults.js';
import { type PushPacket, type ServiceInfo, UDP_ACK, UDP_PUSH } from './messages.js';

interface PendingPush {
  readonly target: string;
  readonly packet: PushPacket;
  sends: number;
  timer: EventHandle;
}

/**
 * UDP push with its ack: send, resend once after 10 s without an ack, then give up. The same on
 * both server generations: 1.x PushService.udpPush + Retransmitter, and 2.x UdpConnector
 * (UdpAsyncSender, then UdpRetrySender while `retryTimes ≤ UDP_MAX_RETRY_TIMES` = 1, each after
 * ACK_TIMEOUT_NANOS = 10 s; naming/.../remote/udp/UdpConnector.java, constants/Constants.java,
 * tags 2.0.0–3.0.3): two sends in all.
 */
export class UdpPusher {
  private readonly pending = new Map<number, PendingPush>();
  private nextPushId = 1;

  constructor(private readonly ep: Endpoint) {
    ep.onApp(UDP_ACK, (d) => this.onAck((d.body as { pushId: number }).pushId));
  }

  push(target: string, data: ServiceInfo): void {
    const packet: PushPacket = { pushId: this.nextPushId++, data };
    const p: PendingPush = { target, packet, sends: 0, timer: -1 };
    this.pending.set(packet.pushId, p);
    this.send(p);
  }

  private send(p: PendingPush): void {
    p.sends++;
    this.ep.host.record('push.send', { to: p.target, pushId: p.packet.pushId, attempt: p.sends });
    this.ep.send(p.target, UDP_PUSH, p.packet);
    p.timer = this.ep.host.schedule(msToUs(K.udpAckTimeoutMs), () => {
      if (p.sends <= K.udpMaxRetransmits) this.send(p);
      else {
        this.pending.delete(p.packet.pushId);
        this.ep.host.record('push.fail', { to: p.target, pushId: p.packet.pushId });
      }
    });
  }

  private onAck(pushId: number): void {
    const p = this.pending.get(pushId);
    if (p === undefined) return;
    this.pending.delete(pushId);
    this.ep.host.cancel(p.timer);
    this.ep.host.record('push.ack', { from: p.target, pushId });
  }
}
