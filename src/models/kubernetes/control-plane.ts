import type { Endpoint } from '../../sim/endpoint.js';
import type { EventHandle } from '../../sim/event-queue.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { type ApiAnswer, type ApiCall, K8S, type SliceEvent } from './messages.js';
import { NodeLifecycleController, type NodeStore } from './node-lifecycle.js';
import type { K8sSettings } from './settings.js';

interface NodeObject {
  leaseRenewUs: Micros;
  ready: boolean;
  tainted: boolean;
  /** The pod's Ready condition; null until the kubelet first reports it. */
  podReady: boolean | null;
  podDeleted: boolean;
  eviction: EventHandle | null;
}

/**
 * The control plane on s1: the API server's Node, Lease and Pod objects; the node lifecycle
 * controller; the taint eviction controller (pkg/controller/tainteviction: a pod tolerating the
 * unreachable taint for tolerationSeconds is deleted that long after the taint, unless the taint
 * goes first); the EndpointSlice controller (a pod change syncs the Service after the batch
 * period; the slice lists the pods that are Ready and not deleted — a deleted one stays as a
 * terminating, not-ready endpoint); and the watches of the consumers (kube-proxy).
 * The controllers' informers are this host's own objects (livesim: their watch delay is 0).
 */
export class ControlPlane implements NodeStore {
  private readonly objects = new Map<string, NodeObject>();
  private readonly order: string[] = [];
  private readonly watchers: string[] = [];
  private slice: readonly string[] = [];
  private sliceVersion = 0;
  private syncQueued = false;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: K8sSettings,
    monitorPhaseUs: Micros,
    taintPhaseUs: Micros,
  ) {
    ep.onApp(K8S.request, (d) => this.handle(d.from, d.body as ApiCall));
    ep.onApp(K8S.watch, (d) => this.watch(d.from));
    new NodeLifecycleController(ep.host, s, this, monitorPhaseUs, taintPhaseUs);
  }

  private get now(): Micros {
    return this.ep.host.now();
  }

  private record(kind: string, data: Record<string, string | number | boolean | null>): void {
    this.ep.host.record(kind, data);
  }

  private handle(from: string, call: ApiCall): void {
    const req = call.req;
    const node = this.objectOf(req.node);
    switch (req.op) {
      case 'lease':
        this.record('beat.recv', { instance: req.node });
        node.leaseRenewUs = this.now;
        break;
      case 'node-status':
        this.record('request.recv', { instance: req.node, op: 'node-status' });
        if (!node.ready) {
          node.ready = true;
          this.record('node.ready', { node: req.node });
        }
        break;
      case 'pod-status':
        this.record('request.recv', { instance: req.node, op: 'pod-status' });
        if (!node.podDeleted) this.setPodReady(req.node, node, req.ready, 'readiness reported by the kubelet');
        break;
    }
    this.ep.send(from, K8S.response, { id: call.id, nodeReady: node.ready, podReady: node.podReady === true } satisfies ApiAnswer);
  }

  /** A node registers with its first Lease (livesim: its Ready status comes with it). */
  private objectOf(name: string): NodeObject {
    let o = this.objects.get(name);
    if (o === undefined) {
      o = { leaseRenewUs: this.now, ready: true, tainted: false, podReady: null, podDeleted: false, eviction: null };
      this.objects.set(name, o);
      this.order.push(name);
      this.record('node.register', { node: name });
    }
    return o;
  }

  private setPodReady(name: string, o: NodeObject, ready: boolean, reason: string): void {
    if (o.podReady === ready) return;
    const first = o.podReady === null;
    o.podReady = ready;
    if (first && ready) this.record('instance.register', { instance: name, via: 'pod Ready' });
    else if (ready) this.record('instance.healthy', { instance: name, reason });
    else if (!first) this.record('instance.unhealthy', { instance: name, reason });
    this.podChanged();
  }

  // NodeStore, for the node lifecycle controller.
  nodes(): readonly string[] {
    return this.order;
  }
  leaseRenewUs(node: string): Micros {
    return this.objects.get(node)?.leaseRenewUs ?? 0;
  }
  nodeReady(node: string): boolean {
    return this.objects.get(node)?.ready ?? false;
  }
  tainted(node: string): boolean {
    return this.objects.get(node)?.tainted ?? false;
  }
  markNodeUnknown(node: string): void {
    const o = this.objects.get(node);
    if (o === undefined || !o.ready) return;
    o.ready = false;
    this.record('node.unknown', { node });
  }
  markPodsNotReady(node: string): void {
    const o = this.objects.get(node);
    if (o !== undefined && o.podReady === true && !o.podDeleted) this.setPodReady(node, o, false, 'node Ready=Unknown: MarkPodsNotReady');
  }

  /** The taint eviction controller reacts to the node update: schedule the pod's deletion, or cancel it. */
  setTaint(node: string, tainted: boolean): void {
    const o = this.objects.get(node);
    if (o === undefined || o.tainted === tainted) return;
    o.tainted = tainted;
    this.record(tainted ? 'node.taint' : 'node.untaint', { node, taint: 'node.kubernetes.io/unreachable:NoExecute' });
    if (tainted && !o.podDeleted && o.podReady !== null) {
      o.eviction = this.ep.host.schedule(msToUs(this.s.tolerationMs), () => this.evict(node, o));
    } else if (!tainted && o.eviction !== null) {
      this.ep.host.cancel(o.eviction);
      o.eviction = null;
    }
  }

  private evict(name: string, o: NodeObject): void {
    o.eviction = null;
    o.podDeleted = true;
    this.record('instance.remove', { instance: name, reason: 'taint eviction: unreachable NoExecute past tolerationSeconds' });
    this.podChanged();
  }

  /** The EndpointSlice controller: queue.AddAfter(service, batch period); one sync for the changes in between. */
  private podChanged(): void {
    if (this.syncQueued) return;
    this.syncQueued = true;
    this.ep.host.schedule(msToUs(this.s.endpointBatchMs), this.syncService);
  }

  private readonly syncService = (): void => {
    this.syncQueued = false;
    const ready = this.order.filter((n) => {
      const o = this.objects.get(n) as NodeObject;
      return o.podReady === true && !o.podDeleted;
    });
    if (ready.join(',') === this.slice.join(',')) return;
    this.slice = ready;
    this.sliceVersion++;
    this.record('endpointslice.update', { ready: ready.join(',') });
    for (const w of this.watchers) this.deliver(w);
  };

  /** A consumer's list-and-watch: the current slice now, every change later. */
  private watch(from: string): void {
    this.record('query.recv', { subscriber: from });
    if (!this.watchers.includes(from)) this.watchers.push(from);
    this.deliver(from);
  }

  private deliver(to: string): void {
    const event: SliceEvent = { version: this.sliceVersion, ready: this.slice };
    if (this.s.watchDelayMs === 0) this.ep.send(to, K8S.slice, event);
    else this.ep.host.schedule(msToUs(this.s.watchDelayMs), () => this.ep.send(to, K8S.slice, event));
  }
}
