import type { Endpoint } from '../../sim/endpoint.js';
import { type HealthResult, RPC } from './messages.js';
import { sendReliably } from './reliable.js';

/**
 * A consumer watching /v1/health/service/:name?passing with blocking queries (api/watch's
 * service plan: each answer's X-Consul-Index is the next query's ?index, asked again at once).
 * The usable view is the passing nodes of the last answer. The query goes to the server
 * directly (its local agent only forwards the RPC).
 */
export class ConsulWatch {
  private view: string | null = null;

  constructor(
    private readonly ep: Endpoint,
    private readonly server: string,
  ) {
    ep.on(RPC.result, (d) => {
      const r = d.body as HealthResult;
      const view = r.nodes.join(',');
      if (view !== this.view) {
        this.view = view;
        this.ep.host.record('view.update', { instances: view });
      }
      this.ask(r.index);
    });
  }

  start(): void {
    this.ask(0);
  }

  private ask(index: number): void {
    sendReliably(this.ep, this.server, RPC.query, { index });
  }
}
