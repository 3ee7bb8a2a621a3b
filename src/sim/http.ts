import type { Endpoint } from './endpoint.js';
import { rejectedKind } from './endpoint.js';
import type { EventHandle } from './event-queue.js';
import type { Datagram } from './network.js';
import { rtoMs, TCP_DEFAULTS } from './tcp-defaults.js';
import type { Micros } from './time.js';

/**
 * Request/response over the datagram network with the parts of TCP that decide liveness:
 * a handshake before a request on a new connection (the OS answers it even when the process is
 * frozen, and resets it when the process is dead), a connect timeout, a read timeout, and resets.
 * A lost segment is retransmitted as Linux TCP would (see `sendSegment`), so loss costs an
 * RTO, not a whole read timeout.
 *
 * By default every request opens a fresh connection. With `keepAlive` the client keeps idle
 * connections as the JDK's HttpURLConnection does (`HttpKeepAlive`), and a request on a kept
 * connection skips the handshake: over a blackholed path its request is retransmitted on the
 * RTO schedule until the path heals (then it is answered) or the read timeout discards the
 * connection. With `retryOnceOnReset` a reset while waiting for the response closes the
 * connection and sends the request once more on a fresh one (the JDK's HttpClient.parseHTTP).
 * FIN segments are not modelled: nothing on the protocol side acts on them.
 */
export interface HttpTimeouts {
  readonly connectTimeoutUs: Micros;
  readonly readTimeoutUs: Micros;
}

/**
 * The JDK's keep-alive cache (sun.net.www.http.KeepAliveCache): after a response read to its end
 * the connection is kept, newest first, at most `maxIdle` per destination (the oldest is closed);
 * a request takes the newest unless it has been idle longer than `idleUs` (then none is used).
 * The server answers its `maxRequests`-th request with `Connection: close`, ending the connection.
 */
export interface HttpKeepAlive {
  readonly idleUs: Micros;
  readonly maxIdle: number;
  readonly maxRequests: number;
}

export interface HttpClientOptions {
  readonly keepAlive?: HttpKeepAlive;
  readonly retryOnceOnReset?: boolean;
}

interface IdleConnection {
  readonly idleSinceUs: Micros;
  /** Requests this connection has carried. */
  readonly served: number;
}

export type HttpError = 'connect-timeout' | 'refused' | 'read-timeout' | 'reset';
export type HttpResult = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly error: HttpError };
export type HttpCallback = (result: HttpResult) => void;
/** A server's application handler: gets the request body and answers through `reply` (now or later). */
export type HttpHandler = (from: string, body: unknown, reply: (response: unknown) => void) => void;

const SYN = 'tcp.syn';
const SYNACK = 'tcp.synack';
const RST = 'tcp.rst';
const REQ = 'http.req';
const RES = 'http.res';

type SegmentKind = 'syn' | 'synack' | 'data';

const RETRIES: Readonly<Record<SegmentKind, number>> = {
  syn: TCP_DEFAULTS.synRetries,
  synack: TCP_DEFAULTS.synackRetries,
  data: TCP_DEFAULTS.retries2,
};

/** RTO before the (k+1)-th transmission: handshakes start at 1 s, data at the 200 ms floor. */
const retransmitDelayUs = (kind: SegmentKind, k: number): Micros =>
  1000 * (kind === 'data' ? rtoMs(k) : Math.min(TCP_DEFAULTS.rtoInitialMs * 2 ** k, TCP_DEFAULTS.rtoMaxMs));

/**
 * Sends one TCP segment. When the network loses it, the sender's kernel sends it again after
 * the retransmission timeout, doubling each time, up to the Linux retry limit for that kind of
 * segment, while `stillWanted()` and the host lives. (The simulator knows a segment was lost, so
 * it needs no ACK packets; a lost ACK would only cause a duplicate, which changes nothing here.)
 */
export const sendSegment = (ep: Endpoint, to: string, kind: string, body: unknown, seg: SegmentKind, stillWanted: () => boolean, k = 0): void => {
  if (ep.send(to, kind, body) !== 'dropped' || k >= RETRIES[seg]) return;
  ep.host.sim.schedule(retransmitDelayUs(seg, k), () => {
    if (ep.host.process !== 'dead' && stillWanted()) sendSegment(ep, to, kind, body, seg, stillWanted, k + 1);
  });
};

interface Wire {
  readonly id: number;
  readonly body?: unknown;
}

interface Pending {
  readonly to: string;
  readonly body: unknown;
  readonly timeouts: HttpTimeouts;
  readonly cb: HttpCallback;
  timer: EventHandle;
  /** connect: handshake under way; established: the kernel connected, the (maybe frozen) process has yet to write; read: request sent. */
  phase: 'connect' | 'established' | 'read';
  /** A bare TCP connect (a health probe): succeeds at the handshake, sends no request. */
  readonly connectOnly: boolean;
  /** Requests the connection carried before this one (0: a new connection). */
  readonly served: number;
  /** This is the one retry after a reset. */
  readonly retried: boolean;
}

export class HttpClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Idle kept connections per destination, newest first (only with `keepAlive`). */
  private readonly idle = new Map<string, IdleConnection[]>();

  constructor(
    private readonly ep: Endpoint,
    private readonly options: HttpClientOptions = {},
  ) {
    ep.on(SYNACK, (d) => this.onSynAck(d));
    ep.on(RES, (d) => this.onResponse(d));
    ep.on(RST, (d) => this.onReset(d));
    ep.on(rejectedKind(SYN), (d) => this.onBounce(d));
    ep.on(rejectedKind(REQ), (d) => this.onBounce(d));
  }

  request(to: string, body: unknown, timeouts: HttpTimeouts, cb: HttpCallback): void {
    const kept = this.takeIdle(to);
    this.start({ to, body, timeouts, cb, timer: -1, phase: 'connect', connectOnly: false, served: kept?.served ?? 0, retried: false });
  }

  private start(p: Pending): void {
    const id = this.nextId++;
    this.pending.set(id, p);
    if (p.served > 0) this.sendRequest(id, p);
    else this.handshake(id, p);
  }

  /** ClientVector.get: the newest idle connection, unless it has been idle longer than the limit (then all are stale). */
  private takeIdle(to: string): IdleConnection | undefined {
    const list = this.idle.get(to);
    const newest = list?.[0];
    if (list === undefined || newest === undefined) return undefined;
    if (this.ep.host.now() - newest.idleSinceUs > (this.options.keepAlive?.idleUs ?? 0)) {
      this.idle.delete(to);
      return undefined;
    }
    list.shift();
    return newest;
  }

  /** Requests carried by the newest idle connection kept for `to` (null: none kept). */
  keptRequests(to: string): number | null {
    return this.idle.get(to)?.[0]?.served ?? null;
  }

  /** HttpClient.finished → KeepAliveCache.put, unless the server closed the connection with its answer. */
  private keep(to: string, served: number): void {
    const ka = this.options.keepAlive;
    if (ka === undefined || served >= ka.maxRequests) return;
    const list = this.idle.get(to) ?? [];
    list.unshift({ idleSinceUs: this.ep.host.now(), served });
    if (list.length > ka.maxIdle) list.pop();
    this.idle.set(to, list);
  }

  /** A TCP connect probe on a fresh connection: ok when the handshake completes within the timeout. */
  probe(to: string, timeoutUs: Micros, cb: HttpCallback): void {
    const id = this.nextId++;
    const timeouts = { connectTimeoutUs: timeoutUs, readTimeoutUs: timeoutUs };
    const p: Pending = { to, body: undefined, timeouts, cb, timer: -1, phase: 'connect', connectOnly: true, served: 0, retried: false };
    this.pending.set(id, p);
    this.handshake(id, p);
  }

  private handshake(id: number, p: Pending): void {
    p.timer = this.ep.host.schedule(p.timeouts.connectTimeoutUs, () => this.fail(id, 'connect-timeout'));
    sendSegment(this.ep, p.to, SYN, { id } satisfies Wire, 'syn', () => this.pending.get(id) === p && p.phase === 'connect');
  }

  private sendRequest(id: number, p: Pending): void {
    p.phase = 'read';
    p.timer = this.ep.host.schedule(p.timeouts.readTimeoutUs, () => this.fail(id, 'read-timeout'));
    sendSegment(this.ep, p.to, REQ, { id, body: p.body } satisfies Wire, 'data', () => this.pending.get(id) === p);
  }

  private onSynAck(d: Datagram): void {
    const id = (d.body as Wire).id;
    const p = this.pending.get(id);
    if (p === undefined || p.phase !== 'connect' || this.ep.host.process === 'dead') return;
    this.ep.host.cancel(p.timer);
    if (p.connectOnly) {
      this.pending.delete(id);
      this.ep.host.runInProcess(p.cb as (arg: unknown) => void, { ok: true, body: undefined } satisfies HttpResult);
      return;
    }
    // The kernel completed the handshake; writing the request is the process's job, so a
    // frozen process writes it only when it resumes.
    p.phase = 'established';
    this.ep.host.runInProcess(() => {
      if (this.pending.get(id) === p) this.sendRequest(id, p);
    });
  }

  private onResponse(d: Datagram): void {
    const w = d.body as Wire;
    const p = this.pending.get(w.id);
    if (p === undefined || p.phase !== 'read' || this.ep.host.process === 'dead') return;
    this.pending.delete(w.id);
    this.ep.host.cancel(p.timer);
    // The process reads the response to its end, which hands the connection back to the cache.
    this.ep.host.runInProcess(() => {
      this.keep(p.to, p.served + 1);
      p.cb({ ok: true, body: w.body });
    });
  }

  private onReset(d: Datagram): void {
    const id = (d.body as Wire).id;
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.fail(id, p.phase === 'connect' ? 'refused' : 'reset');
  }

  private onBounce(original: Datagram): void {
    const id = (original.body as Wire).id;
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.fail(id, p.phase === 'connect' ? 'refused' : 'reset');
  }

  /** The connection is discarded (closeServer): a timeout ends the request; a reset may be retried once on a new connection. */
  private fail(id: number, error: HttpError): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    this.ep.host.cancel(p.timer);
    if (error === 'reset' && this.options.retryOnceOnReset === true && !p.retried) {
      this.ep.host.runInProcess(() => this.start({ ...p, timer: -1, phase: 'connect', served: 0, retried: true }));
      return;
    }
    this.ep.host.runInProcess(p.cb as (arg: unknown) => void, { ok: false, error } satisfies HttpResult);
  }
}

export class HttpServer {
  constructor(
    private readonly ep: Endpoint,
    private readonly handler: HttpHandler,
  ) {
    // The handshake is the OS's job: a frozen process still completes it, a dead one resets it.
    ep.on(SYN, (d) => {
      if (this.ep.host.process === 'dead') this.ep.send(d.from, RST, d.body);
      else sendSegment(this.ep, d.from, SYNACK, d.body, 'synack', () => true);
    });
    ep.on(REQ, (d) => this.onRequest(d));
  }

  private onRequest(d: Datagram): void {
    const w = d.body as Wire;
    if (this.ep.host.process === 'dead') {
      this.ep.send(d.from, RST, { id: w.id } satisfies Wire);
      return;
    }
    this.ep.host.runInProcess(() =>
      this.handler(d.from, w.body, (response) => {
        sendSegment(this.ep, d.from, RES, { id: w.id, body: response } satisfies Wire, 'data', () => true);
      }),
    );
  }
}
