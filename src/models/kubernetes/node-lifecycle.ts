import type { Host } from '../../sim/host.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { K8S_CONSTANTS as K } from './defaults.js';
import { TokenBucket } from './rate-limiter.js';
import type { K8sSettings } from './settings.js';

/** What the node lifecycle controller reads from and writes to the API server's objects. */
export interface NodeStore {
  /** Registered nodes, in a fixed order (the lister's). */
  nodes(): readonly string[];
  leaseRenewUs(node: string): Micros;
  nodeReady(node: string): boolean;
  /** Ready=Unknown: "Kubelet stopped posting node status". */
  markNodeUnknown(node: string): void;
  /** MarkPodsNotReady. */
  markPodsNotReady(node: string): void;
  setTaint(node: string, tainted: boolean): void;
  tainted(node: string): boolean;
}

type ZoneState = 'initial' | 'normal' | 'partial' | 'full';

interface Health {
  probeUs: Micros;
  leaseRenewUs: Micros;
}

/**
 * The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go), one
 * zone: monitorNodeHealth every node-monitor-period and doNoExecuteTaintingPass every 100 ms.
 *   - tryUpdateNodeHealth: a Lease whose renewTime moved since the last pass sets probeTimestamp
 *     to this pass's now; a node with now > probeTimestamp + grace is marked Ready=Unknown, and
 *     in the same pass its pods Ready=False;
 *   - processTaintBaseEviction reads the condition from before this pass: a node seen Unknown is
 *     queued for the unreachable NoExecute taint one pass after it was marked; one seen Ready
 *     loses its taints and leaves the queue;
 *   - handleDisruption: with no Ready node the zone is fully disrupted (taints removed, tainting
 *     stopped); more than 2 not Ready and at least the threshold share: partially (the secondary
 *     rate, 0 up to the large-cluster size); else normal (node-eviction-rate);
 *   - the tainting pass takes one token per queued node (burst 1) and taints it if still not Ready.
 */
export class NodeLifecycleController {
  private readonly health = new Map<string, Health>();
  private readonly queue: string[] = [];
  /** UniqueQueue's set: a node stays in it after its taint until it is Ready again. */
  private readonly queued = new Set<string>();
  private zone: ZoneState = 'initial';
  private readonly limiter: TokenBucket;

  constructor(
    private readonly host: Host,
    private readonly s: K8sSettings,
    private readonly store: NodeStore,
    monitorPhaseUs: Micros,
    taintPhaseUs: Micros,
  ) {
    this.limiter = new TokenBucket(s.evictionRate, K.evictionBurst, host.now());
    host.schedule(monitorPhaseUs, this.monitor);
    host.schedule(taintPhaseUs, this.taintPass);
  }

  private get now(): Micros {
    return this.host.now();
  }

  private readonly monitor = (): void => {
    const nodes = this.store.nodes();
    const notReady: string[] = [];
    for (const node of nodes) {
      const observedReady = this.store.nodeReady(node);
      this.updateHealth(node);
      const ready = this.store.nodeReady(node);
      if (!ready) notReady.push(node);
      if (!observedReady) this.markForTainting(node);
      else this.markReachable(node);
      if (observedReady && !ready) this.store.markPodsNotReady(node);
    }
    this.handleDisruption(nodes, notReady.length);
    this.host.schedule(msToUs(this.s.monitorPeriodMs), this.monitor);
  };

  private updateHealth(node: string): void {
    const renewUs = this.store.leaseRenewUs(node);
    let h = this.health.get(node);
    if (h === undefined) {
      h = { probeUs: this.now, leaseRenewUs: renewUs };
      this.health.set(node, h);
    } else if (renewUs > h.leaseRenewUs) {
      h.leaseRenewUs = renewUs;
      h.probeUs = this.now;
    }
    if (this.now > h.probeUs + msToUs(this.s.graceMs) && this.store.nodeReady(node)) this.store.markNodeUnknown(node);
  }

  private markForTainting(node: string): void {
    if (this.queued.has(node)) return;
    this.queued.add(node);
    this.queue.push(node);
  }

  /** markNodeAsReachable: the taints go and the node leaves the queue (and its set). */
  private markReachable(node: string): void {
    if (this.store.tainted(node)) this.store.setTaint(node, false);
    if (!this.queued.delete(node)) return;
    const i = this.queue.indexOf(node);
    if (i >= 0) this.queue.splice(i, 1);
  }

  private zoneState(total: number, notReady: number): ZoneState {
    const ready = total - notReady;
    if (ready === 0 && notReady > 0) return 'full';
    if (notReady > K.partialDisruptionMinNotReady && notReady / total >= this.s.unhealthyZoneThreshold) return 'partial';
    return 'normal';
  }

  private handleDisruption(nodes: readonly string[], notReady: number): void {
    if (nodes.length === 0) return;
    const next = this.zoneState(nodes.length, notReady);
    const was = this.zone;
    if (next === 'full' && was === 'full') return;
    if (next === 'full') {
      for (const node of nodes) this.markReachable(node);
      this.limiter.swap(0, this.now);
      this.zone = 'full';
      this.host.record('zone.disruption', { state: 'full' });
      return;
    }
    if (was === 'full') {
      // Leaving full disruption: every node's probe timestamp is now.
      for (const node of nodes) {
        const h = this.health.get(node);
        if (h !== undefined) h.probeUs = this.now;
      }
    }
    if (next !== was) {
      this.limiter.swap(this.rateFor(next, nodes.length), this.now);
      if (was !== 'initial') this.host.record('zone.disruption', { state: next });
      this.zone = next;
    }
  }

  /** setLimiterInZone: normal (and full, in a multi-zone cluster) the eviction rate; partial the reduced one. */
  private rateFor(state: ZoneState, size: number): number {
    if (state !== 'partial') return this.s.evictionRate;
    return size > this.s.largeClusterThreshold ? this.s.secondaryEvictionRate : 0;
  }

  /** doNoExecuteTaintingPass → RateLimitedTimedQueue.Try: a token per head item; taint the node if it is still not Ready. */
  private readonly taintPass = (): void => {
    while (this.queue.length > 0 && this.limiter.tryAccept(this.now)) {
      const node = this.queue.shift() as string;
      if (!this.store.nodeReady(node)) this.store.setTaint(node, true);
    }
    this.host.schedule(msToUs(K.taintPassMs), this.taintPass);
  };
}
