import type { Endpoint } from '../../sim/endpoint.js';
import type { EventHandle } from '../../sim/event-queue.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { ZK_CONSTANTS as K } from './defaults.js';
import { type ConnectResponse, ZK } from './messages.js';
import type { ZkSettings } from './settings.js';

/**
 * A ZooKeeper client handle (ClientCnxn, release-3.9.3) with Curator on top: it connects, pings
 * when nothing was sent for readTimeout / 2, drops the connection when nothing was heard for
 * readTimeout and reconnects (after a random sleep below 1 s) with the same session; a session
 * the server says has expired — or one the client has not heard from for 4/3 of its timeout —
 * is replaced by a new one (Curator), and the owner is told so (`onSession(true)`) to create its
 * ephemeral node or set its watches again. The one server's connection is modelled as datagrams
 * on the network: no retransmission, so `net.loss` is outside the model (say so in faultKinds).
 */
export class ZkSession {
  sessionId = 0;
  private state: 'connecting' | 'connected' = 'connecting';
  private timeoutMs: number;
  private lastSendUs: Micros = 0;
  private lastRecvUs: Micros = 0;
  private wakeTimer: EventHandle | null = null;
  private connectTimer: EventHandle | null = null;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: ZkSettings,
    private readonly server: string,
    /** `fresh`: a new session (create the ephemeral node, set watches again). */
    private readonly onSession: (fresh: boolean) => void,
  ) {
    this.timeoutMs = s.requestedSessionMs;
    ep.onApp(ZK.connected, (d) => this.onConnected(d.body as ConnectResponse));
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  start(): void {
    this.lastRecvUs = this.now;
    this.connect();
  }

  private get now(): Micros {
    return this.ep.host.now();
  }

  /** Sends a request of the session (pings, creates, reads): it counts as sent for the ping deadline. */
  send(kind: string, body: object): void {
    this.lastSendUs = this.now;
    this.ep.send(this.server, kind, { sessionId: this.sessionId, ...body });
  }

  /** Anything heard from the server: the select loop wakes and the read deadline moves. */
  heard(): void {
    this.lastRecvUs = this.now;
    this.wake();
  }

  private connect(): void {
    this.state = 'connecting';
    this.send(ZK.connect, { timeoutMs: this.s.requestedSessionMs });
    // connectTimeout = sessionTimeout / number of servers.
    this.connectTimer = this.ep.host.schedule(msToUs(this.timeoutMs), () => this.reconnect());
    this.wake();
  }

  /** startConnect after a failure: a random sleep below 1 s, then the same session. */
  private reconnect(): void {
    if (this.connectTimer !== null) this.ep.host.cancel(this.connectTimer);
    this.connectTimer = null;
    this.state = 'connecting';
    const sleepUs = this.ep.host.sim.rng(`zk.reconnect:${this.ep.name}`).intInclusive(0, msToUs(K.reconnectSleepMaxMs) - 1);
    this.ep.host.schedule(sleepUs, () => this.connect());
  }

  private onConnected(r: ConnectResponse): void {
    if (this.state !== 'connecting') return;
    this.heard();
    if (this.connectTimer !== null) this.ep.host.cancel(this.connectTimer);
    this.connectTimer = null;
    if (r.timeoutMs === 0) {
      // Expired: Curator opens a new session.
      this.ep.host.record('client.session-expired', { sessionId: this.sessionId });
      this.sessionId = 0;
      this.connect();
      return;
    }
    const fresh = this.sessionId !== r.sessionId;
    this.sessionId = r.sessionId;
    this.timeoutMs = r.timeoutMs;
    this.state = 'connected';
    this.onSession(fresh);
    this.wake();
  }

  /** The SendThread loop: ping when due, give up on the connection, or expire the session client-side. */
  private wake(): void {
    if (this.wakeTimer !== null) this.ep.host.cancel(this.wakeTimer);
    const now = this.now;
    const idleRecvUs = now - this.lastRecvUs;
    if (idleRecvUs >= msToUs(this.s.clientExpiryMs) && this.sessionId !== 0) {
      this.ep.host.record('client.session-expired', { sessionId: this.sessionId, side: 'client' });
      this.sessionId = 0;
      this.lastRecvUs = now;
      this.reconnect();
      return;
    }
    if (this.state === 'connected' && idleRecvUs >= msToUs(this.s.readTimeoutMs)) {
      this.ep.host.record('client.detected', { reason: 'read-timeout' });
      this.reconnect();
      return;
    }
    if (this.state === 'connected' && now - this.lastSendUs >= msToUs(this.s.pingAfterMs)) this.send(ZK.ping, {});
    // Without a session (a new one being asked for) there is nothing to expire client-side.
    const deadlines = this.sessionId === 0 ? [] : [this.lastRecvUs + msToUs(this.s.clientExpiryMs)];
    if (this.state === 'connected') deadlines.push(this.lastRecvUs + msToUs(this.s.readTimeoutMs), this.lastSendUs + msToUs(this.s.pingAfterMs));
    this.wakeTimer = deadlines.length === 0 ? null : this.ep.host.schedule(Math.max(0, Math.min(...deadlines) - now), () => this.wake());
  }
}
