import { hashRest, type RestHash } from '../../sim/fingerprint.js';
import { sampleLatency } from '../../sim/latency.js';
import type { LinkLatency } from '../../sim/network.js';
import type { QuietSink, QuietStepper } from '../../sim/quiet.js';
import type { Micros } from '../../sim/time.js';
import { formatTraceRest } from '../../sim/trace.js';

export interface V1QuietCycle {
  readonly client: string;
  readonly server: string;
  /** Client → server (SYN, request) and server → client (SYN-ACK, response). */
  readonly up: LinkLatency;
  readonly down: LinkLatency;
  /** The beat request's `light` flag (fixed once the client runs on the server's answers). */
  readonly light: boolean;
  /** The next beat, this long after each response (rounded as the kernel rounds delays). */
  readonly periodUs: Micros;
  /** The longest the server may go without a beat before its check task would act (min of beat and delete timeouts). */
  readonly envelopeUs: Micros;
  /** When the first beat's timer fires, and when the server last processed a beat from this client. */
  readonly firstBeatUs: Micros;
  readonly lastBeatUs: Micros;
  /**
   * Keep-alive (src/sim/http.ts): the requests the kept connection has carried at the handoff
   * (null: none kept) and the server's limit per connection; null when every beat opens a new
   * connection (a client before 1.2.0, or a period longer than the JDK's idle limit).
   */
  readonly reuse: { readonly keptRequests: number | null; readonly maxRequests: number } | null;
}

const NET_SEND = 'net.send';
const BEAT_RECV = 'beat.recv';

/**
 * A Nacos 1.x client in its steady state, stepped outside the kernel (`src/sim/quiet.ts`): every
 * `periodUs` after a response, BeatReactor's beat sends a light beat, on the connection the JDK
 * kept or else on a new one; the server answers at once. A new connection's cycle is five
 * events, each with its line:
 *
 *   b        timer fires          c  net.send tcp.syn     (draw up)
 *   t1       SYN at the server    s  net.send tcp.synack  (draw down)
 *   t2       SYN-ACK at c         c  net.send http.req    (draw up)
 *   t3       request at s         s  beat.recv + net.send http.res (draw down); lastBeat = t3
 *   t4       response at c        next beat at t4 + period
 *
 * On a kept connection the beat's timer sends the request itself (b = t2): three events. The
 * server's answer to the connection's `maxRequests`-th request closes it, so the next beat opens
 * a new one. (The connect and read timers are cancelled before they fire, so they are not events.) The
 * stepper draws the same latencies from the same link streams in the same order and adds the
 * same lines to the fingerprint. It also checks the one thing that could make the server act:
 * a gap between processed beats longer than the check task's envelope — impossible when the
 * scenario allowed quietness, so meeting one is a bug and throws.
 */
export class V1QuietClient implements QuietStepper {
  private nextBeatUs: Micros;
  private lastBeatUs: Micros;
  private readonly syn: RestHash;
  private readonly synAck: RestHash;
  private readonly req: RestHash;
  private readonly beat: RestHash;
  private readonly res: RestHash;

  constructor(private readonly c: V1QuietCycle) {
    this.nextBeatUs = c.firstBeatUs;
    this.lastBeatUs = c.lastBeatUs;
    const send = (from: string, to: string, kind: string): RestHash => hashRest(formatTraceRest(from, NET_SEND, { to, kind, fate: 'sent' }));
    this.syn = send(c.client, c.server, 'tcp.syn');
    this.synAck = send(c.server, c.client, 'tcp.synack');
    this.req = send(c.client, c.server, 'http.req');
    this.res = send(c.server, c.client, 'http.res');
    this.beat = hashRest(formatTraceRest(c.server, BEAT_RECV, { instance: c.client, light: c.light }));
  }

  advanceTo(untilUs: Micros, sink: QuietSink): void {
    const { up, down, periodUs, envelopeUs } = this.c;
    const fp = sink.fingerprint;
    let events = 0;
    let sends = 0;
    let beats = 0;
    let b = this.nextBeatUs;
    let last = this.lastBeatUs;
    const reuse = this.c.reuse;
    let kept = reuse?.keptRequests ?? null;
    while (b <= untilUs) {
      events++;
      let t2 = b;
      if (kept === null) {
        sends++;
        fp.add(b, this.syn);
        const t1 = b + Math.round(sampleLatency(up.latency, up.rng));
        if (t1 > untilUs) break;
        events++;
        sends++;
        fp.add(t1, this.synAck);
        t2 = t1 + Math.round(sampleLatency(down.latency, down.rng));
        if (t2 > untilUs) break;
        events++;
      }
      sends++;
      fp.add(t2, this.req);
      const t3 = t2 + Math.round(sampleLatency(up.latency, up.rng));
      if (t3 > untilUs) break;
      events++;
      sends++;
      beats++;
      fp.addPair(t3, this.beat, this.res);
      if (t3 - last > envelopeUs) throw new Error(`quiet ${this.c.client}: ${t3 - last} µs between beats exceeds the ${envelopeUs} µs envelope`);
      last = t3;
      const t4 = t3 + Math.round(sampleLatency(down.latency, down.rng));
      if (t4 > untilUs) break;
      events++;
      const served = (kept ?? 0) + 1;
      kept = reuse !== null && served < reuse.maxRequests ? served : null;
      b = t4 + periodUs;
    }
    this.nextBeatUs = Number.POSITIVE_INFINITY;
    this.lastBeatUs = last;
    sink.events(events);
    sink.count(NET_SEND, sends);
    sink.count(BEAT_RECV, beats);
  }
}
