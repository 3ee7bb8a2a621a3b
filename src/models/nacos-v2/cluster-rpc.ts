import type { Endpoint } from '../../sim/endpoint.js';
import type { EventHandle } from '../../sim/event-queue.js';
import { sendSegment } from '../../sim/http.js';
import type { Micros } from '../../sim/time.js';
import type { PeerReply } from '../nacos-v1/cluster-members.js';

/**
 * The cluster gRPC between Nacos 2.x nodes (ClusterRpcClientProxy), reduced to what Distro and the
 * member reports need: a request lands one one-way latency after it is sent (the nodes keep their
 * connections open), a lost segment is retransmitted as TCP would, an answer that does not come
 * within the timeout fails the call, and a node whose process is dead refuses (its OS closed the
 * connection; the next connect is reset). Every callback runs in the caller's process.
 */
const REQ = 'cluster.req';
const RES = 'cluster.res';
const REFUSED = 'cluster.refused';

interface Wire {
  readonly id: number;
  readonly body?: unknown;
}

interface Pending {
  readonly done: (r: PeerReply) => void;
  timer: EventHandle;
}

export type PeerHandler = (from: string, body: unknown, reply: (response: unknown) => void) => void;

export class ClusterRpc {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly ep: Endpoint,
    handler: PeerHandler,
  ) {
    ep.on(REQ, (d) => {
      const w = d.body as Wire;
      if (ep.host.process === 'dead') {
        ep.send(d.from, REFUSED, { id: w.id } satisfies Wire);
        return;
      }
      ep.host.runInProcess(() =>
        handler(d.from, w.body, (response) => sendSegment(ep, d.from, RES, { id: w.id, body: response } satisfies Wire, 'data', () => true)),
      );
    });
    ep.on(RES, (d) => {
      const w = d.body as Wire;
      this.settle(w.id, { ok: true, body: w.body });
    });
    ep.on(REFUSED, (d) => this.settle((d.body as Wire).id, { ok: false, refused: true }));
  }

  call(to: string, body: unknown, timeoutUs: Micros, done: (r: PeerReply) => void): void {
    const id = this.nextId++;
    const p: Pending = { done, timer: -1 };
    this.pending.set(id, p);
    p.timer = this.ep.host.schedule(timeoutUs, () => this.settle(id, { ok: false, refused: false }));
    sendSegment(this.ep, to, REQ, { id, body } satisfies Wire, 'data', () => this.pending.get(id) === p);
  }

  private settle(id: number, r: PeerReply): void {
    const p = this.pending.get(id);
    if (p === undefined || this.ep.host.process === 'dead') return;
    this.pending.delete(id);
    this.ep.host.cancel(p.timer);
    this.ep.host.runInProcess(() => p.done(r));
  }
}
