import type { Endpoint } from '../../sim/endpoint.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { ETCD_CONSTANTS as K } from './defaults.js';
import { ETCD, type KeepAliveResponse } from './messages.js';

interface KeepAlive {
  readonly leaseId: number;
  nextKeepAliveUs: Micros;
  deadlineUs: Micros;
  readonly onDone: (why: string) => void;
}

/**
 * client/v3's lessor (lease.go, v3.5.33 / v3.6.14) keeping a provider's lease alive:
 *   - KeepAlive(id) adds the lease with nextKeepAlive = now and deadline = now +
 *     firstKeepAliveTimeout (5 s); the first KeepAlive of the client starts the loops;
 *   - sendKeepAliveLoop runs at once and then every 500 ms, sending each lease whose nextKeepAlive
 *     is before now (strictly): it is moved only by an answer, so an unanswered lease goes again
 *     every pass;
 *   - an answer with TTL > 0 sets nextKeepAlive = now + TTL/3 and deadline = now + TTL; TTL 0 (the
 *     lease is gone) closes the keepalive at once;
 *   - deadlineLoop, every second from the first KeepAlive, closes one whose deadline is before now.
 * Closing is the session's Done (concurrency.Session eats the channel until it closes). The loops
 * live as long as the client: a later session's lease is sent at the loop's next pass.
 */
export class ClientLessor {
  private keepAlive: KeepAlive | null = null;
  private started = false;
  /** The keepalive stream: a new one (after a failed one) starts its own send loop. */
  private stream = 0;

  constructor(
    private readonly ep: Endpoint,
    /** The member the client's connection is on now. */
    private readonly server: () => string,
  ) {
    ep.onApp(ETCD.keepAliveAnswer, (d) => this.answered(d.body as KeepAliveResponse));
  }

  private get now(): Micros {
    return this.ep.host.now();
  }

  keep(leaseId: number, onDone: (why: string) => void): void {
    // time.Now() at KeepAlive is before the send loop's next time.Now(): the next pass sends it.
    this.keepAlive = { leaseId, nextKeepAliveUs: this.now - 1, deadlineUs: this.now + msToUs(K.firstKeepAliveTimeoutMs), onDone };
    if (this.started) return;
    this.started = true;
    this.sendPass();
    this.ep.host.schedule(msToUs(K.deadlineLoopMs), this.deadlinePass);
  }

  /** recvKeepAlive. */
  private answered(r: KeepAliveResponse): void {
    const ka = this.keepAlive;
    if (ka === null || r.id !== ka.leaseId) return;
    if (r.ttlS <= 0) {
      this.close('lease gone');
      return;
    }
    const ttlUs = msToUs(r.ttlS * K.secondMs);
    ka.nextKeepAliveUs = this.now + Math.trunc(ttlUs / K.keepAliveDivisor);
    ka.deadlineUs = this.now + ttlUs;
  }

  /**
   * The stream failed (its member's connection was reset): recvKeepAliveLoop waits retryConnWait
   * (500 ms), then resetRecv opens a new stream, whose send loop runs at once.
   */
  streamFailed(): void {
    const stream = ++this.stream;
    this.ep.host.schedule(msToUs(K.sendLoopMs), () => this.sendPass(stream));
  }

  private readonly sendPass = (stream = this.stream): void => {
    if (stream !== this.stream) return;
    const ka = this.keepAlive;
    if (ka !== null && ka.nextKeepAliveUs < this.now) this.ep.send(this.server(), ETCD.keepAlive, { id: ka.leaseId });
    this.ep.host.schedule(msToUs(K.sendLoopMs), () => this.sendPass(stream));
  };

  private readonly deadlinePass = (): void => {
    if (this.keepAlive !== null && this.keepAlive.deadlineUs < this.now) this.close('keepalive deadline');
    this.ep.host.schedule(msToUs(K.deadlineLoopMs), this.deadlinePass);
  };

  private close(why: string): void {
    const ka = this.keepAlive;
    this.keepAlive = null;
    ka?.onDone(why);
  }
}
