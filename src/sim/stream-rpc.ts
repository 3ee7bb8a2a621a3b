import type { EventHandle } from './event-queue.js';
import type { Host } from './host.js';
import type { StreamConn } from './stream-conn.js';
import type { CloseReason, StreamHandler } from './stream-types.js';
import type { Micros } from './time.js';

/**
 * Request/response with timeouts over one stream connection, either way (the client's calls and
 * the server's pushes share the connection, as unary calls and a bidirectional stream share one
 * HTTP/2 connection). Also one-way messages. Every callback runs in the host's process.
 */
export type RpcError = 'timeout' | 'closed';
export type RpcResult = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly error: RpcError };
/** `ctx` is whatever the caller passed to `request`: pass a bound method and a context, not a closure per call. */
export type RpcCallback = (result: RpcResult, ctx: unknown, channel: RpcChannel) => void;

export interface RpcHandler {
  onRequest(ch: RpcChannel, id: number, body: unknown): void;
  onMessage(ch: RpcChannel, body: unknown): void;
  onClose(ch: RpcChannel, reason: CloseReason): void;
  /**
   * Every response that arrives, matched or late. A handler that has this owns the response's
   * delivery: it calls `ch.settle(id, body)` when it has handled the frame (at once, or after
   * queueing for a worker); without it the response settles its call on arrival.
   */
  onResponse?(ch: RpcChannel, id: number, body: unknown): void;
}

const REQ = 0;
const RES = 1;
const MSG = 2;

interface Frame {
  readonly k: typeof REQ | typeof RES | typeof MSG;
  readonly id: number;
  readonly body: unknown;
}

interface Pending {
  readonly ch: RpcChannel;
  readonly id: number;
  readonly cb: RpcCallback;
  readonly ctx: unknown;
  timer: EventHandle;
}

const TIMEOUT: RpcResult = { ok: false, error: 'timeout' };
const CLOSED: RpcResult = { ok: false, error: 'closed' };

export class RpcChannel implements StreamHandler {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** The protocol's own per-connection record. */
  tag: unknown = null;

  constructor(
    readonly conn: StreamConn,
    private readonly host: Host,
    public handler: RpcHandler,
  ) {
    conn.handler = this;
  }

  get open(): boolean {
    return this.conn.state === 'open';
  }

  /** Sends a request; false (and no callback) if the connection is not open. */
  request(body: unknown, timeoutUs: Micros, cb: RpcCallback, ctx: unknown = null): boolean {
    if (!this.open) return false;
    const id = this.nextId++;
    const p: Pending = { ch: this, id, cb, ctx, timer: -1 };
    this.pending.set(id, p);
    p.timer = this.host.schedule(timeoutUs, onTimeout, p);
    this.conn.write({ k: REQ, id, body } satisfies Frame);
    return true;
  }

  respond(id: number, body: unknown): boolean {
    return this.conn.write({ k: RES, id, body } satisfies Frame);
  }

  send(body: unknown): boolean {
    return this.conn.write({ k: MSG, id: 0, body } satisfies Frame);
  }

  /** Closes the connection (FIN); calls still pending fail with `closed`, just after. */
  close(): void {
    this.conn.close();
    if (this.pending.size > 0) this.host.schedule(0, onFailAll, this);
  }

  onMessage(_conn: StreamConn, message: unknown): void {
    const f = message as Frame;
    if (f.k === REQ) this.handler.onRequest(this, f.id, f.body);
    else if (f.k === MSG) this.handler.onMessage(this, f.body);
    else if (this.handler.onResponse !== undefined) this.handler.onResponse(this, f.id, f.body);
    else this.settle(f.id, f.body);
  }

  /** A response to call `id` has been handled: its callback gets the body, unless the call has already timed out or failed. */
  settle(id: number, body: unknown): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    this.host.cancel(p.timer);
    p.cb({ ok: true, body }, p.ctx, this);
  }

  onClose(_conn: StreamConn, reason: CloseReason): void {
    this.failAll();
    this.handler.onClose(this, reason);
  }

  timedOut(p: Pending): void {
    if (this.pending.get(p.id) !== p) return;
    this.pending.delete(p.id);
    p.cb(TIMEOUT, p.ctx, this);
  }

  failAll(): void {
    if (this.pending.size === 0) return;
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      this.host.cancel(p.timer);
      p.cb(CLOSED, p.ctx, this);
    }
  }
}

const onTimeout = (arg: unknown): void => {
  const p = arg as Pending;
  p.ch.timedOut(p);
};
const onFailAll = (arg: unknown): void => (arg as RpcChannel).failAll();
