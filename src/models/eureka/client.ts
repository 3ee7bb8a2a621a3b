import type { Endpoint } from '../../sim/endpoint.js';
import { HttpClient, type HttpResult } from '../../sim/http.js';
import { msToUs } from '../../sim/time.js';
import { EUREKA_CONSTANTS as K } from './defaults.js';
import { type EurekaRequest, type EurekaResponse, NOT_FOUND, OK } from './messages.js';
import type { EurekaSettings } from './settings.js';
import { TimedSupervisor } from './supervisor.js';

/**
 * A provider's DiscoveryClient with one instance (eureka-client/.../discovery/DiscoveryClient):
 * the heartbeat TimedSupervisorTask first runs one renewal interval after start; its renew() gets
 * 404 from a server that does not hold the lease and then registers in the same run (so the first
 * heartbeat registers: InstanceInfoReplicator's own first registration is 40 s after start, later
 * than that, and finds the instance clean). Every request opens its own connection (livesim: the
 * Jersey client's pooled connection is not modelled), with the connect and read timeouts. The
 * provider's own registry fetch is not modelled either (only consumers fetch here), so its
 * heartbeat timer starts at its start rather than after the constructor's fetch.
 */
export class EurekaClient {
  private readonly http: HttpClient;
  private readonly heartbeat: TimedSupervisor;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: EurekaSettings,
    private readonly server: string,
  ) {
    this.http = new HttpClient(ep);
    this.heartbeat = new TimedSupervisor(ep.host, s.renewalIntervalMs, s.heartbeatBackOff, K.heartbeatThreads, (done) => this.renew(done));
  }

  start(): void {
    this.heartbeat.start();
  }

  /** DiscoveryClient.renew: a heartbeat; 404 → register (the task ends when that answer is in). */
  private renew(done: () => void): void {
    this.call({ op: 'renew', id: this.ep.name }, (r) => {
      if (r.ok && (r.body as EurekaResponse).status === NOT_FOUND) {
        this.call({ op: 'register', id: this.ep.name, leaseDurationMs: this.s.leaseDurationMs }, () => done());
        return;
      }
      if (!r.ok || (r.body as EurekaResponse).status !== OK) this.ep.host.record('heartbeat.fail', { error: r.ok ? 'status' : r.error });
      done();
    });
  }

  private call(req: EurekaRequest, cb: (r: HttpResult) => void): void {
    const timeouts = { connectTimeoutUs: msToUs(this.s.connectTimeoutMs), readTimeoutUs: msToUs(this.s.readTimeoutMs) };
    this.http.request(this.server, req, timeouts, cb);
  }
}
