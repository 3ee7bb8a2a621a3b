import type { Endpoint } from '../../sim/endpoint.js';
import type { EventHandle } from '../../sim/event-queue.js';
import type { Simulation } from '../../sim/simulation.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { type ApiAnswer, type ApiCall, type ApiRequest, K8S } from './messages.js';

/**
 * The kubelet's client of the API server: a request answered, or failed after the client timeout.
 * It runs in the kubelet, not in the pod: its timers are the node's (the simulation's), so a
 * paused or crashed app (c1's process) does not stop it; its datagrams take c1's network paths,
 * so a cut of the node does.
 */
export class ApiClient {
  private nextId = 1;
  private readonly pending = new Map<number, { readonly cb: (a: ApiAnswer | null) => void; readonly timer: EventHandle }>();

  constructor(
    private readonly ep: Endpoint,
    private readonly sim: Simulation,
    private readonly server: string,
    private readonly timeoutMs: number,
  ) {
    ep.on(K8S.response, (d) => {
      const answer = d.body as ApiAnswer;
      const p = this.pending.get(answer.id);
      if (p === undefined) return;
      this.pending.delete(answer.id);
      this.sim.cancel(p.timer);
      p.cb(answer);
    });
  }

  now(): Micros {
    return this.sim.now();
  }

  /** Sends `req`; `cb(answer)`, or `cb(null)` when the timeout passes first. */
  call(req: ApiRequest, cb: (a: ApiAnswer | null) => void): void {
    const id = this.nextId++;
    const timer = this.sim.schedule(msToUs(this.timeoutMs), () => {
      if (!this.pending.delete(id)) return;
      cb(null);
    });
    this.pending.set(id, { cb, timer });
    this.ep.send(this.server, K8S.request, { id, req } satisfies ApiCall);
  }
}
