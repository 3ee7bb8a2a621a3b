import type { Endpoint } from '../../sim/endpoint.js';
import type { RandomStream } from '../../sim/random.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { ApiClient } from './api-client.js';
import { K8S_CONSTANTS as K } from './defaults.js';
import type { ApiAnswer } from './messages.js';
import { ReadinessProber } from './prober.js';
import type { K8sSettings } from './settings.js';

/**
 * The kubelet of one node running the Service's one pod (the node is cN, the pod's app is cN's
 * process). Three loops:
 *   - the node lease controller (component-helpers lease controller): renew at once, then wait
 *     renewInterval × (1 + U[0, 0.04)) after each renewal returned; a renewal tries its Update
 *     up to 5 times, each failing after the heartbeat client's timeout;
 *   - the readiness prober (pkg/kubelet/prober) and PLEG: the pod is Ready once a probe passes,
 *     not Ready after failureThreshold failures in a row or when its container exits;
 *   - the status manager: a readiness change is sent at once; every 10 s the kubelet sends again
 *     what failed or what the API server holds otherwise (its node Ready=Unknown set by the node
 *     lifecycle controller, its pod Ready=False set by MarkPodsNotReady).
 * livesim: node status is sent only to turn the node Ready again; the 5-minute node status report
 * (nodeStatusReportFrequency) is not modelled (the lease already refreshes what it would).
 */
export class Kubelet {
  private readonly api: ApiClient;
  private readonly prober: ReadinessProber;
  private podReady = false;
  /** The API server's copy, as last heard. */
  private serverPodReady: boolean | null = null;
  private serverNodeReady = true;
  private podStatusUnsent = false;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: K8sSettings,
    server: string,
    private readonly jitter: RandomStream,
    probePhaseUs: Micros,
  ) {
    const sim = ep.host.sim;
    this.api = new ApiClient(ep, sim, server, s.heartbeatTimeoutMs);
    this.prober = new ReadinessProber(ep.host, s, probePhaseUs, (ready) => this.setReady(ready));
  }

  start(): void {
    this.renew(0);
    this.prober.start();
    this.ep.host.sim.schedule(msToUs(K.statusSyncMs), this.statusSync);
  }

  /** PLEG: the container exited; the next relist (every second of the kubelet's clock) sees it. */
  containerExitedAt(atUs: Micros): void {
    const relistUs = msToUs(K.plegRelistMs);
    const seenUs = (Math.floor(atUs / relistUs) + 1) * relistUs;
    this.ep.host.sim.at(seenUs, () => {
      this.prober.stop();
      this.setReady(false);
    });
  }

  /** retryUpdateLease: attempt `attempt` of 5; then JitterUntil's sliding wait. */
  private renew(attempt: number): void {
    this.api.call({ op: 'lease', node: this.ep.name }, (answer) => {
      if (answer !== null) this.heard(answer);
      else if (attempt + 1 < K.maxUpdateRetries) {
        this.renew(attempt + 1);
        return;
      }
      const waitMs = this.s.renewIntervalMs * (1 + this.jitter.next() * K.renewJitter);
      this.ep.host.sim.schedule(msToUs(waitMs), () => this.renew(0));
    });
  }

  private heard(answer: ApiAnswer): void {
    this.serverNodeReady = answer.nodeReady;
    this.serverPodReady = answer.podReady;
  }

  private setReady(ready: boolean): void {
    if (ready === this.podReady) return;
    this.podReady = ready;
    this.ep.host.record('pod.readiness', { ready });
    this.sendPodStatus();
  }

  private sendPodStatus(): void {
    this.podStatusUnsent = true;
    const ready = this.podReady;
    this.api.call({ op: 'pod-status', node: this.ep.name, ready }, (answer) => {
      if (answer === null) return;
      this.heard(answer);
      if (ready === this.podReady) this.podStatusUnsent = false;
    });
  }

  /** The status manager's batch: resend what failed or differs; the node's status when the server holds it not Ready. */
  private readonly statusSync = (): void => {
    if (!this.serverNodeReady)
      this.api.call({ op: 'node-status', node: this.ep.name }, (answer) => {
        if (answer !== null) this.heard(answer);
      });
    if (this.podStatusUnsent || (this.serverPodReady !== null && this.serverPodReady !== this.podReady)) this.sendPodStatus();
    this.ep.host.sim.schedule(msToUs(K.statusSyncMs), this.statusSync);
  };
}
