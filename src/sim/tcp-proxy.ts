import type { EventHandle } from './event-queue.js';
import type { Host } from './host.js';
import type { CloseReason, ConnectResult, StreamConn, StreamControl, StreamHandler, StreamStack } from './stream.js';
import type { Micros } from './time.js';

/**
 * An L4 proxy (nginx `stream`, a cloud TCP load balancer) as a process on a host of its own. Each
 * connection it accepts (the client leg) gets a connection of its own to an upstream (the server
 * leg), and the proxy copies every message, PING and PONG from one leg to the other. The legs are
 * two TCP connections: each has its own handshake, acknowledgements and retransmissions, and an
 * end sees only its own leg's packets. The proxy knows nothing of what it carries.
 *
 * A session's states and transitions:
 *   connecting  the client leg is open, the server leg connecting; what the client sends waits
 *     → relaying   the server leg opened: what waited goes out, in order
 *     → closed     the upstream connect failed (refused, timed out), or the client leg closed
 *   relaying    bytes flow both ways; each one restarts the idle timer
 *     → closed     a leg closed (FIN, RST, retransmission or keepalive timeout): the other is closed (FIN)
 *     → closed     idle for `idleTimeoutUs`: `close` closes both legs (FIN each: nginx proxy_timeout);
 *                  `forget` drops both silently, a later packet on either is answered with an RST
 *                  (a flow-table load balancer such as AWS NLB)
 *   closed      nothing more
 */
export type ProxyIdleAction = 'close' | 'forget';

export interface TcpProxySpec {
  /** Where accepted connections go, round-robin in accept order (nginx's default balancing). */
  readonly upstreams: readonly string[];
  /** No byte either way for this long ends the session. */
  readonly idleTimeoutUs: Micros;
  readonly onIdle: ProxyIdleAction;
  /** The upstream connect's deadline (nginx proxy_connect_timeout). */
  readonly connectTimeoutUs: Micros;
}

type SessionState = 'connecting' | 'relaying' | 'closed';
type Leg = 'client' | 'server';

/** One proxied connection: its two legs, what waits for the server leg, and its idle timer. */
class Session implements StreamHandler {
  state: SessionState = 'connecting';
  server: StreamConn | null = null;
  /** What the client sent before the server leg opened, in order. */
  private waiting: ({ readonly message: unknown } | StreamControl)[] = [];
  private lastActiveUs: Micros;
  private idleTimer: EventHandle = -1;

  constructor(
    private readonly proxy: TcpProxy,
    readonly id: number,
    readonly client: StreamConn,
    readonly upstream: string,
  ) {
    this.lastActiveUs = proxy.host.now();
    client.handler = this;
  }

  /** The server leg's connect finished (ok or not). */
  connected(result: ConnectResult): void {
    if (this.state !== 'connecting') {
      if (result.ok) result.conn.close();
      return;
    }
    if (!result.ok) {
      this.end(`upstream-${result.error}`, null);
      return;
    }
    this.server = result.conn;
    this.server.handler = this;
    this.state = 'relaying';
    this.proxy.host.record('proxy.open', { session: this.id, client: this.client.remote, server: this.upstream });
    for (const item of this.waiting) {
      if (typeof item === 'string') this.server.writeControl(item);
      else this.server.write(item.message);
    }
    this.waiting = [];
    this.touch();
  }

  onMessage(conn: StreamConn, message: unknown): void {
    const other = this.otherOf(conn);
    if (other === null) this.waiting.push({ message });
    else other.write(message);
    this.touch();
  }

  onControl(conn: StreamConn, control: StreamControl): void {
    const other = this.otherOf(conn);
    if (other === null) this.waiting.push(control);
    else other.writeControl(control);
    this.touch();
  }

  onClose(conn: StreamConn, reason: CloseReason): void {
    this.end(`${this.legOf(conn)}-${reason}`, conn);
  }

  /** Closes the session: every leg but `closed` (already gone) gets a FIN. */
  private end(cause: string, closed: StreamConn | null): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.stopIdle();
    this.proxy.host.record('proxy.close', { session: this.id, client: this.client.remote, server: this.upstream, cause });
    if (closed !== this.client) this.client.close();
    if (this.server !== null && closed !== this.server) this.server.close();
    this.proxy.ended(this);
  }

  private otherOf(conn: StreamConn): StreamConn | null {
    return conn === this.client ? this.server : this.client;
  }

  private legOf(conn: StreamConn): Leg {
    return conn === this.client ? 'client' : 'server';
  }

  /** A byte moved: the idle timer counts from now (re-armed lazily, one event per idle period). */
  private touch(): void {
    this.lastActiveUs = this.proxy.host.now();
    if (this.idleTimer < 0 && this.state === 'relaying') this.armIdle(this.proxy.spec.idleTimeoutUs);
  }

  private armIdle(delayUs: Micros): void {
    this.idleTimer = this.proxy.host.schedule(delayUs, onIdleTimer, this);
  }

  private stopIdle(): void {
    if (this.idleTimer >= 0) this.proxy.host.cancel(this.idleTimer);
    this.idleTimer = -1;
  }

  idleTimerFired(): void {
    this.idleTimer = -1;
    if (this.state !== 'relaying') return;
    const dueUs = this.lastActiveUs + this.proxy.spec.idleTimeoutUs;
    const now = this.proxy.host.now();
    if (dueUs > now) {
      this.armIdle(dueUs - now);
      return;
    }
    if (this.proxy.spec.onIdle === 'close') {
      this.end('idle-timeout', null);
      return;
    }
    // A flow table forgets: no packet to anyone, and neither end's process hears of it.
    this.state = 'closed';
    this.proxy.host.record('proxy.forget', { session: this.id, client: this.client.remote, server: this.upstream });
    this.client.drop();
    this.server?.drop();
    this.proxy.ended(this);
  }
}

const onIdleTimer = (arg: unknown): void => (arg as Session).idleTimerFired();
const onUpstream = (result: ConnectResult, ctx: unknown): void => (ctx as Session).connected(result);

/** The proxy process: it accepts client legs and opens a server leg for each. */
export class TcpProxy {
  /** Open sessions by id (insertion order = accept order; nothing iterates it where order could leak). */
  private readonly sessions = new Map<number, Session>();
  private nextSession = 1;
  private nextUpstream = 0;

  constructor(
    private readonly stack: StreamStack,
    readonly spec: TcpProxySpec,
  ) {
    if (spec.upstreams.length === 0) throw new Error('TcpProxy: no upstream');
    if (!(spec.idleTimeoutUs > 0)) throw new Error(`TcpProxy: idle timeout must be positive, got ${spec.idleTimeoutUs}`);
    stack.listen(this.accept);
  }

  get host(): Host {
    return this.stack.host;
  }

  get openSessions(): number {
    return this.sessions.size;
  }

  private readonly accept = (client: StreamConn): void => {
    const upstream = this.spec.upstreams[this.nextUpstream % this.spec.upstreams.length] as string;
    this.nextUpstream++;
    const session = new Session(this, this.nextSession++, client, upstream);
    this.sessions.set(session.id, session);
    // The client leg may already be closed (a reset before the process got to it): end at once.
    if (client.state === 'closed') {
      session.onClose(client, client.closeReason ?? 'reset');
      return;
    }
    this.stack.connect(upstream, this.spec.connectTimeoutUs, {}, onUpstream, session);
  };

  ended(session: Session): void {
    this.sessions.delete(session.id);
  }
}
