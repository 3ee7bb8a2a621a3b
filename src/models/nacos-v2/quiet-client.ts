import { hashRest, type RestHash } from '../../sim/fingerprint.js';
import { sampleLatency } from '../../sim/latency.js';
import type { LinkLatency } from '../../sim/network.js';
import type { QuietSink, QuietStepper } from '../../sim/quiet.js';
import type { RandomStream } from '../../sim/random.js';
import type { KeepaliveDue } from '../../sim/stream-keepalive.js';
import { KIND } from '../../sim/stream-wire.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { formatTraceRest } from '../../sim/trace.js';

/**
 * A keepalive timer of one connection end (SO_KEEPALIVE or the PING keepalive), stopped in the
 * kernel at the handoff (`StreamConn.keepaliveDues`): the stepper replays every firing from
 * `dueUs`; it re-arms `idleUs` after the last packet received (SO_KEEPALIVE) or segment read
 * (PING), and that much silence would probe.
 */
export type QuietTimer = KeepaliveDue;

export interface V2QuietCycle {
  readonly client: string;
  readonly server: string;
  readonly connectionId: number;
  /** Client → server (request, ack) and server → client (response). */
  readonly up: LinkLatency;
  readonly down: LinkLatency;
  /** The sleep before the first attempt (random.nextInt(500) ms from 2.2.4 with ≥ 3 retries), or null. */
  readonly jitter: RandomStream | null;
  readonly jitterMaxMs: number;
  /** `left` of health-check.send: retries left after the first attempt. */
  readonly left: number;
  readonly keepAliveUs: Micros;
  readonly healthTimeoutUs: Micros;
  /** The ejector probes a connection the server has not heard from for this long (Infinity: no ejection). */
  readonly idleLimitUs: Micros;
  /** The handoff: the client has just read the answer to an idle health check. */
  readonly handoffUs: Micros;
  /** When the server last read a segment of this connection, and last refreshed its active time (both at the last request). */
  readonly serverReadUs: Micros;
  readonly serverActiveUs: Micros;
  readonly clientTcp: QuietTimer | null;
  readonly clientPing: QuietTimer | null;
  readonly serverPing: QuietTimer | null;
  /** The server's SO_KEEPALIVE (grpc-java sets it on every accepted socket), due after the next request (the handoff checks). */
  readonly serverTcp: QuietTimer | null;
}

const HEALTH_SEND = 'health-check.send';
const NET_SEND = 'net.send';
const REQUEST_RECV = 'request.recv';

/**
 * A Nacos 2.x client in its steady state on one server, stepped outside the kernel
 * (`src/sim/quiet.ts`): RpcClient's event thread health-checks the idle connection every
 * keep-alive and nothing else happens on it. One cycle in the kernel (J: the 2.2.4+ sleep):
 *
 *   P = t2' + keepAlive  poll timer fires (idle ≥ keepAlive)   draw the sleep j (J)
 *   S = P + j            sleep timer fires (J only)             c health-check.send, c net.send stream.data (draw up)
 *   t1                   request at the server                  s request.recv, s net.send stream.data (draw down); active time
 *   t2                   response at the client                 c net.send stream.ack (draw up); next poll at t2 + keepAlive
 *   t3                   ack at the server                      —
 *
 * The request's timeout timer is cancelled at t2, before it fires, so it is no event. Besides,
 * the ends' liveness timers fire now and then and only re-arm: SO_KEEPALIVE of the client (from
 * the last packet received, or from now while the request is unacknowledged) and the PING
 * keepalives of both ends (from the last segment read). At equal times such a timer runs before
 * the cycle's events: it was scheduled long before them (the handoff checks periods > 2 cycles).
 *
 * The stepper draws the same values from the same streams in the same order, adds the same lines
 * to the fingerprint and counts the same events. It checks, per cycle, everything that would make
 * either side act: a silence the ejector would probe, an answer slower than the health timeout, a
 * liveness timer that would probe — none possible inside the envelope the handoff checked, so
 * meeting one is a bug and throws. One call only: the run steps quiet clients once, to its horizon.
 */
export class V2QuietClient implements QuietStepper {
  private readonly healthSend: RestHash;
  private readonly requestSend: RestHash;
  private readonly requestRecv: RestHash;
  private readonly responseSend: RestHash;
  private readonly ackSend: RestHash;
  private stepped = false;
  // What the liveness timers read: the client hears (and reads) only the responses, the server reads only the requests.
  private inFlight = false;
  private clientHeardUs: Micros;
  private serverReadUs: Micros;
  private tcpDueUs: Micros;
  private pingDueUs: Micros;
  private serverPingDueUs: Micros;
  private serverTcpDueUs: Micros;
  /** When the ack of the server's last answer lands (+∞ while it is unacknowledged): the server OS hears nothing later. */
  private serverAckUs: Micros = Number.POSITIVE_INFINITY;
  private nextDueUs = 0;
  private timerFirings = 0;

  constructor(private readonly c: V2QuietCycle) {
    const line = (host: string, kind: string, data: Record<string, string | number>): RestHash => hashRest(formatTraceRest(host, kind, data));
    this.healthSend = line(c.client, HEALTH_SEND, { connection: c.connectionId, left: c.left });
    this.requestSend = line(c.client, NET_SEND, { to: c.server, kind: KIND.data, fate: 'sent' });
    this.requestRecv = line(c.server, REQUEST_RECV, { instance: c.client, type: 'healthCheck', connection: c.connectionId });
    this.responseSend = line(c.server, NET_SEND, { to: c.client, kind: KIND.data, fate: 'sent' });
    this.ackSend = line(c.client, NET_SEND, { to: c.server, kind: KIND.ack, fate: 'sent' });
    this.clientHeardUs = c.handoffUs;
    this.serverReadUs = c.serverReadUs;
    this.tcpDueUs = c.clientTcp?.dueUs ?? Number.POSITIVE_INFINITY;
    this.pingDueUs = c.clientPing?.dueUs ?? Number.POSITIVE_INFINITY;
    this.serverPingDueUs = c.serverPing?.dueUs ?? Number.POSITIVE_INFINITY;
    this.serverTcpDueUs = c.serverTcp?.dueUs ?? Number.POSITIVE_INFINITY;
    this.updateNextDue();
  }

  advanceTo(untilUs: Micros, sink: QuietSink): void {
    if (this.stepped) throw new Error(`quiet ${this.c.client}: stepped twice`);
    this.stepped = true;
    const { up, down, jitter, jitterMaxMs, keepAliveUs, healthTimeoutUs, idleLimitUs } = this.c;
    const fp = sink.fingerprint;
    let events = 0;
    let checks = 0;
    let answers = 0;
    let acks = 0;
    let activeUs = this.c.serverActiveUs;
    let ackUs = Number.POSITIVE_INFINITY;
    let pollUs = this.c.handoffUs + keepAliveUs;
    for (;;) {
      if (ackUs <= untilUs) events++;
      ackUs = Number.POSITIVE_INFINITY;
      if (pollUs > untilUs) break;
      events++;
      let sendUs = pollUs;
      if (jitter !== null) {
        sendUs = pollUs + msToUs(jitter.intInclusive(0, jitterMaxMs));
        if (sendUs > untilUs) break;
        events++;
      }
      if (this.nextDueUs <= sendUs) this.fireTimers(sendUs);
      fp.addPair(sendUs, this.healthSend, this.requestSend);
      checks++;
      this.inFlight = true;
      const t1 = sendUs + Math.round(sampleLatency(up.latency, up.rng));
      if (t1 > untilUs) break;
      if (this.nextDueUs <= t1) this.fireTimers(t1);
      events++;
      fp.addPair(t1, this.requestRecv, this.responseSend);
      answers++;
      if (t1 - activeUs >= idleLimitUs) throw this.left(`${t1 - activeUs} µs between requests, the ejector would probe`);
      activeUs = t1;
      this.serverReadUs = t1;
      this.serverAckUs = Number.POSITIVE_INFINITY;
      const t2 = t1 + Math.round(sampleLatency(down.latency, down.rng));
      if (t2 - sendUs >= healthTimeoutUs) throw this.left(`a ${t2 - sendUs} µs round trip, the health check would time out`);
      if (t2 > untilUs) break;
      if (this.nextDueUs <= t2) this.fireTimers(t2);
      events++;
      fp.add(t2, this.ackSend);
      acks++;
      this.inFlight = false;
      this.clientHeardUs = t2;
      const ackLatencyUs = Math.round(sampleLatency(up.latency, up.rng));
      // One ack in flight at a time: it lands before the next poll (the handoff checked latency < keep-alive).
      if (ackLatencyUs >= keepAliveUs) throw this.left(`an ack latency of ${ackLatencyUs} µs outlasts the poll period`);
      ackUs = t2 + ackLatencyUs;
      this.serverAckUs = ackUs;
      pollUs = t2 + keepAliveUs;
    }
    if (this.nextDueUs <= untilUs) this.fireTimers(untilUs);
    sink.events(events + this.timerFirings);
    sink.count(HEALTH_SEND, checks);
    sink.count(NET_SEND, checks + answers + acks);
    sink.count(REQUEST_RECV, answers);
  }

  /** Replays every liveness timer firing at or before `limitUs` (before the event at `limitUs`, as in the kernel). */
  private fireTimers(limitUs: Micros): void {
    const tcp = this.c.clientTcp;
    while (tcp !== null && this.tcpDueUs <= limitUs) {
      // tcp_keepalive_timer: while the request is unacknowledged, look again after a whole idle time.
      const due = this.tcpDueUs;
      if (!this.inFlight && due - this.clientHeardUs >= tcp.idleUs) throw this.left('the client would send a keepalive probe');
      this.tcpDueUs = this.inFlight ? due + tcp.idleUs : this.clientHeardUs + tcp.idleUs;
      this.timerFirings++;
    }
    const stcp = this.c.serverTcp;
    while (stcp !== null && this.serverTcpDueUs <= limitUs) {
      // The same rule on the server: its answer is unacknowledged until the ack lands (a timer at the ack's own µs runs first).
      const due = this.serverTcpDueUs;
      const unacked = due <= this.serverAckUs;
      if (!unacked && due - this.serverAckUs >= stcp.idleUs) throw this.left('the server would send a keepalive probe');
      this.serverTcpDueUs = unacked ? due + stcp.idleUs : this.serverAckUs + stcp.idleUs;
      this.timerFirings++;
    }
    this.pingDueUs = this.firePing(this.c.clientPing, this.pingDueUs, this.clientHeardUs, limitUs, 'client');
    this.serverPingDueUs = this.firePing(this.c.serverPing, this.serverPingDueUs, this.serverReadUs, limitUs, 'server');
    this.updateNextDue();
  }

  /** PingKeepaliveTimer: re-arms from the last read; a read this long ago would send a PING. */
  private firePing(ping: QuietTimer | null, dueUs: Micros, lastReadUs: Micros, limitUs: Micros, side: string): Micros {
    let due = dueUs;
    while (ping !== null && due <= limitUs) {
      if (due - lastReadUs >= ping.idleUs) throw this.left(`the ${side} would send a PING`);
      due = lastReadUs + ping.idleUs;
      this.timerFirings++;
    }
    return due;
  }

  private updateNextDue(): void {
    this.nextDueUs = Math.min(this.tcpDueUs, this.pingDueUs, this.serverPingDueUs, this.serverTcpDueUs);
  }

  private left(what: string): Error {
    return new Error(`quiet ${this.c.client}: ${what}; it left the quiet envelope, so this run would differ from an event-by-event one`);
  }
}
