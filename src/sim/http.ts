import type { Endpoint } from './endpoint.js';
import { rejectedKind } from './endpoint.js';
import type { EventHandle } from './event-queue.js';
import type { Datagram } from './network.js';
import { rtoMs, TCP_DEFAULTS } from './tcp-defaults.js';
import type { Micros } from './time.js';

/**
 * Request/response over the datagram network with the parts of TCP that decide liveness:
 * a handshake before each request (the OS answers it even when the process is frozen, and
 * resets it when the process is dead), a connect timeout, a read timeout, and resets.
 * Every request opens a fresh connection: the JDK keeps an idle HTTP connection only ~5 s,
 * which a 5 s heartbeat just outlives, so Nacos 1.x beats do not reuse connections reliably.
 * A lost segment is retransmitted as Linux TCP would (see `sendSegment`), so loss costs an
 * RTO, not a whole read timeout.
 */
export interface HttpTimeouts {
  readonly connectTimeoutUs: Micros;
  readonly readTimeoutUs: Micros;
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
}

export class HttpClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly ep: Endpoint) {
    ep.on(SYNACK, (d) => this.onSynAck(d));
    ep.on(RES, (d) => this.onResponse(d));
    ep.on(RST, (d) => this.onReset(d));
    ep.on(rejectedKind(SYN), (d) => this.onBounce(d));
    ep.on(rejectedKind(REQ), (d) => this.onBounce(d));
  }

  request(to: string, body: unknown, timeouts: HttpTimeouts, cb: HttpCallback): void {
    const id = this.nextId++;
    const p: Pending = { to, body, timeouts, cb, timer: -1, phase: 'connect', connectOnly: false };
    this.pending.set(id, p);
    this.handshake(id, p);
  }

  /** A TCP connect probe on a fresh connection: ok when the handshake completes within the timeout. */
  probe(to: string, timeoutUs: Micros, cb: HttpCallback): void {
    const id = this.nextId++;
    const timeouts = { connectTimeoutUs: timeoutUs, readTimeoutUs: timeoutUs };
    const p: Pending = { to, body: undefined, timeouts, cb, timer: -1, phase: 'connect', connectOnly: true };
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
    this.ep.host.runInProcess(p.cb as (arg: unknown) => void, { ok: true, body: w.body } satisfies HttpResult);
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

  private fail(id: number, error: HttpError): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    this.ep.host.cancel(p.timer);
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
