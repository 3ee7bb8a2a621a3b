import type { Endpoint } from '../../sim/endpoint.js';
import type { EventHandle } from '../../sim/event-queue.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { CONSUL_CONSTANTS as K } from './defaults.js';
import { RPC, type SyncRequest } from './messages.js';
import { sendReliably } from './reliable.js';
import type { ConsulSettings } from './settings.js';

/**
 * A client agent's local state for one service with one TTL check (hashicorp/consul
 * agent/agent.go, agent/local/state.go, agent/checks/check.go CheckTTL, agent/ae/ae.go):
 *   - the check starts critical (a check's default status) and is passed by the application;
 *     each pass resets the TTL timer, whose expiry turns it critical (CheckTTL.run);
 *   - a status change triggers a partial anti-entropy sync at once (UpdateCheck →
 *     TriggerSyncChanges), and a full sync runs every ae_interval plus a stagger of up to one more
 *     (ae.go staggerFn; scaleFactor is 1 below 128 nodes);
 *   - the reaper runs every check_reap_interval (time.After after each pass) and deregisters
 *     the service once its check has been critical longer than deregister_critical_service_after
 *     (strictly: CriticalFor() > timeout), which a sync then takes to the servers.
 * The agent is a process of its own: an application crash or pause leaves it running.
 */
export class ConsulAgent {
  private registered = false;
  private passing = false;
  private criticalSinceUs: Micros = 0;
  private ttlTimer: EventHandle | null = null;
  private syncSeq = 0;
  private readonly serviceId: string;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: ConsulSettings,
    private readonly server: string,
  ) {
    this.serviceId = ep.name;
    ep.on(RPC.synced, () => {});
  }

  private get now(): Micros {
    return this.ep.host.sim.now();
  }

  private later(delayUs: Micros, fn: () => void): EventHandle {
    return this.ep.host.sim.schedule(delayUs, fn);
  }

  /** The agent's own loops: the reaper and the anti-entropy full syncs (the first at once). */
  start(): void {
    const reap = (): void => {
      this.reap();
      this.later(msToUs(K.checkReapIntervalMs), reap);
    };
    this.later(msToUs(K.checkReapIntervalMs), reap);
    const rng = this.ep.host.sim.rng(`consul.ae:${this.ep.name}`);
    const full = (): void => {
      this.sync('full');
      const intervalUs = msToUs(K.aeIntervalMs);
      this.later(intervalUs + rng.intInclusive(0, intervalUs - 1), full);
    };
    full();
  }

  /** PUT /v1/agent/service/register with its check (critical until it first passes). */
  registerService(): void {
    this.registered = true;
    this.passing = false;
    this.criticalSinceUs = this.now;
    if (this.s.checkType === 'ttl') this.resetTtl();
    else this.later(this.ep.host.sim.rng(`consul.check-stagger:${this.ep.name}`).intInclusive(0, msToUs(this.s.checkIntervalMs) - 1), this.httpCheck);
  }

  /**
   * CheckHTTP.check against the application on this machine: a running one answers 200 at once,
   * a crashed one refuses the connection (critical at once), a paused one answers when it resumes
   * or the client's timeout turns the check critical first. The next check is `interval` after
   * this one ended.
   */
  private readonly httpCheck = (): void => {
    if (!this.registered) return;
    this.ep.host.record('check.update', { instance: this.serviceId });
    let done = false;
    const end = (passing: boolean): void => {
      if (done) return;
      done = true;
      this.setStatus(passing);
      this.later(msToUs(this.s.checkIntervalMs), this.httpCheck);
    };
    if (this.ep.host.process === 'dead') {
      end(false);
      return;
    }
    this.later(msToUs(this.s.checkTimeoutMs), () => end(false));
    this.ep.host.runInProcess(() => end(true));
  };

  /** PUT /v1/agent/check/pass/:id from the application (CheckTTL.SetStatus). */
  pass(): void {
    if (!this.registered || this.s.checkType !== 'ttl') return;
    this.ep.host.record('check.update', { instance: this.serviceId });
    this.resetTtl();
    this.setStatus(true);
  }

  private resetTtl(): void {
    if (this.ttlTimer !== null) this.ep.host.sim.cancel(this.ttlTimer);
    this.ttlTimer = this.later(msToUs(this.s.ttlMs), () => {
      this.ttlTimer = null;
      this.ep.host.record('check.ttl-expired', { instance: this.serviceId });
      this.setStatus(false);
    });
  }

  /** local.State.UpdateCheck: a status change is synced at once; the critical time starts when it turns critical. */
  private setStatus(passing: boolean): void {
    if (passing === this.passing) return;
    this.passing = passing;
    if (!passing) this.criticalSinceUs = this.now;
    this.ep.host.record(passing ? 'check.passing' : 'check.critical', { instance: this.serviceId });
    this.sync('changes');
  }

  /** reapServicesInternal. */
  private reap(): void {
    const D = this.s.deregisterAfterMs;
    if (!this.registered || this.passing || D <= 0 || this.now - this.criticalSinceUs <= msToUs(D)) return;
    this.registered = false;
    if (this.ttlTimer !== null) this.ep.host.sim.cancel(this.ttlTimer);
    this.ttlTimer = null;
    this.ep.host.record('agent.deregister', { instance: this.serviceId, reason: 'critical too long' });
    this.sync('changes');
  }

  /** The syncer's RPC to the server (Catalog.Register or Catalog.Deregister of what is out of sync). */
  private sync(why: 'full' | 'changes'): void {
    const req: SyncRequest = {
      node: this.ep.name,
      seq: ++this.syncSeq,
      service: this.registered ? { id: this.serviceId, checkPassing: this.passing } : null,
    };
    this.ep.host.record('agent.sync', { why });
    // A newer sync carries the whole state: an older one still being retransmitted is no longer wanted.
    sendReliably(this.ep, this.server, RPC.sync, req, () => req.seq === this.syncSeq);
  }
}
