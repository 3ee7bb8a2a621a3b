import type { Endpoint } from '../../../sim/endpoint.js';
import type { EventHandle } from '../../../sim/event-queue.js';
import { HttpServer } from '../../../sim/http.js';
import { ServicePool } from '../../../sim/service-queue.js';
import { msToUs } from '../../../sim/time.js';
import { V1_CONSTANTS } from '../defaults.js';
import type { InstanceRecord } from '../instance-table.js';
import { type BeatResponse, type HostView, type InstanceInfo, OK_CODE, type ServiceInfo, type V1Request } from '../messages.js';
import { protectedHosts } from '../protect-threshold.js';
import { perItemsUs, type V1Settings } from '../settings.js';
import { UdpPusher } from '../udp-push.js';
import { V1_ON_V2_CONSTANTS as K } from './defaults.js';
import type { V1OnV2Settings } from './settings.js';

/**
 * An ip:port client (core/v2/client/impl/IpPortBasedClient, id `ip:port#true`): one per
 * provider instance address and one per push-capable consumer (its UDP address). It holds the
 * instance it published (one service here) and whether it subscribes; lastUpdatedTime is reset
 * by a register, a beat (handleBeat) and a subscribing list query.
 */
interface IpPortClient {
  readonly id: string;
  instance: InstanceRecord | null;
  subscribed: boolean;
  lastUpdatedUs: number;
  checkTimer: EventHandle;
}

/** The service's data as the last PushExecuteTask built it (ServiceStorage.serviceDataIndexes). */
interface Snapshot {
  readonly hosts: readonly HostView[];
  readonly builtUs: number;
}

/**
 * A Nacos 2.x/3.x server answering 1.x clients over its v1 HTTP API, one server, ephemeral
 * instances (a persistent one is held, never expired; its HealthCheckTaskV2 TCP check is not
 * modelled here). What differs from the 1.x server (server.ts), each from the source (tag 2.2.3; the
 * same through 3.0.3, v2-path/defaults.ts):
 * - every instance address is its own client with its own beat check, 5 s after the client's
 *   creation and every 5 s after (not one task per service);
 * - UnhealthyInstanceChecker then ExpiredInstanceChecker in the same run; an expired instance is
 *   removed at once (no HTTP DELETE to itself);
 * - a light beat for an unknown instance gets 20404 with lightBeatEnabled still set, so the client
 *   keeps sending light beats and only its own re-register brings the instance back; a full beat
 *   re-creates it (as 1.x);
 * - the ExpiredClientCleaner (every 5 s from the server's start) removes a client with no instance
 *   30 s after its last update and, from 2.0.3, any client not updated for
 *   nacos.naming.client.expired.time — with its instance, whatever the switches say;
 * - pushes and list answers carry the data the last push task built: a change is pushed over UDP
 *   at the first 100 ms engine tick 500 ms after it, and a list answer before that is the old data.
 */
export class V1OnV2Server {
  private readonly clients = new Map<string, IpPortClient>();
  private readonly pusher: UdpPusher;
  private readonly http: ServicePool;
  private readonly health: ServicePool;
  private snapshot: Snapshot | null = null;
  private view: { readonly of: Snapshot; readonly info: ServiceInfo } | null = null;
  /** The merged PushDelayTask: its earliest start, and whether it goes to all subscribers or a few. */
  private pushTask: { lastProcessUs: number; all: boolean; readonly targets: Set<string> } | null = null;
  private pushTimer: EventHandle = -1;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: V1Settings,
  ) {
    this.http = new ServicePool(ep.host, 'http', s.capacity.threads);
    this.health = new ServicePool(ep.host, 'health', s.capacity.healthThreads);
    this.pusher = new UdpPusher(ep);
    new HttpServer(ep, (_from, body, reply) => this.serve(body as V1Request, reply));
    ep.host.schedule(0, this.cleanExpiredClients);
  }

  private get path(): V1OnV2Settings {
    return this.s.v2Path as V1OnV2Settings;
  }

  private get now(): number {
    return this.ep.host.now();
  }

  private serve(req: V1Request, reply: (response: unknown) => void): void {
    const cap = this.s.capacity;
    const costUs = req.op === 'beat' ? cap.beatUs : req.op === 'register' ? cap.registerUs : cap.queryUs;
    this.http.submit(costUs, () => reply(this.path.clientApiEnabled ? this.handle(req) : { httpStatus: K.apiGoneStatus }));
  }

  private handle(req: V1Request): unknown {
    switch (req.op) {
      case 'register':
        this.register(req.instance, 'register');
        return { code: OK_CODE };
      case 'beat':
        return this.beat(req);
      case 'list':
        this.ep.host.record('query.recv', { subscriber: req.subscriber });
        this.subscribe(req.subscriber);
        return this.serviceInfo();
    }
  }

  /** createIpPortClientIfAbsent → clientConnected → IpPortBasedClient.init: the beat check 5 s on. */
  private client(id: string): IpPortClient {
    let c = this.clients.get(id);
    if (c === undefined) {
      c = { id, instance: null, subscribed: false, lastUpdatedUs: this.now, checkTimer: -1 };
      this.clients.set(id, c);
      this.ep.host.record('client.connect', { client: id });
      c.checkTimer = this.ep.host.schedule(this.firstCheckUs(), () => this.beatCheck(id));
    }
    return c;
  }

  /** 5 s after the client's creation; with sim.checkPhase, at that phase of the 5 s grid instead (for the bound search). */
  private firstCheckUs(): number {
    const periodUs = msToUs(K.beatCheckPeriodMs);
    const phaseUs = this.s.checkPhaseUs;
    return phaseUs === null ? periodUs : (phaseUs - (this.now % periodUs) + periodUs) % periodUs || periodUs;
  }

  /**
   * EphemeralClientOperationServiceImpl.registerInstance: a new publish info (healthy as the
   * request says — true — and lastHeartBeatTime now) replaces any old one.
   */
  private register(info: InstanceInfo, via: 'register' | 'beat'): void {
    const c = this.client(info.id);
    c.instance = { info, lastBeatUs: this.now, healthy: true, checkStreak: 0 };
    c.lastUpdatedUs = this.now;
    this.ep.host.record('instance.register', { instance: info.id, via, ephemeral: info.ephemeral });
    this.serviceChanged(null);
  }

  /** InstanceOperatorClientImpl.handleBeat, then InstanceController.beat's reply. */
  private beat(req: Extract<V1Request, { op: 'beat' }>): BeatResponse {
    this.ep.host.record('beat.recv', { instance: req.id, light: req.light });
    const reply = { clientBeatInterval: this.s.replyBeatIntervalMs, lightBeatEnabled: this.s.lightBeatEnabled };
    let c = this.clients.get(req.id);
    if (c === undefined || c.instance === null) {
      if (req.light || req.instance === undefined) return { code: V1_CONSTANTS.beatNotFoundCode, ...reply };
      this.register(req.instance, 'beat');
      c = this.clients.get(req.id) as IpPortClient;
    }
    // HealthCheckReactor.scheduleNow(ClientBeatProcessorV2): the reply does not wait for it. It looks
    // the instance up under the beat JSON's serviceName: another service's → null → NPE (#12161).
    if (req.bodyOtherService === true && req.instance !== undefined) this.ep.host.record('beat.process-error', { instance: req.id, reason: 'other-service' });
    else this.health.submit(this.s.capacity.beatProcessUs, () => this.processBeat(req.id));
    c.lastUpdatedUs = this.now;
    return { code: OK_CODE, ...reply };
  }

  /** ClientBeatProcessorV2.run: lastHeartBeatTime = now; an unhealthy instance turns healthy. */
  private processBeat(id: string): void {
    const inst = this.clients.get(id)?.instance;
    if (inst === null || inst === undefined) return;
    inst.lastBeatUs = this.now;
    if (!inst.healthy) {
      inst.healthy = true;
      this.ep.host.record('instance.healthy', { instance: id });
      this.serviceChanged(null);
    }
  }

  /** A list query with a udpPort from a push-capable agent: the consumer's ip:port client subscribes. */
  private subscribe(subscriber: string): void {
    if (!this.s.pushEnabled) return;
    const c = this.client(subscriber);
    c.lastUpdatedUs = this.now;
    if (c.subscribed) return;
    c.subscribed = true;
    // ClientServiceIndexesManager: a new subscriber → ServiceSubscribedEvent → a push to it alone.
    this.serviceChanged(subscriber);
  }

  /** ClientBeatCheckTaskV2 on the naming health executor, then again 5 s after it ran (fixed delay). */
  private beatCheck(id: string): void {
    this.health.submit(perItemsUs(this.s.capacity.scanPer1000Us, 1), () => {
      const c = this.clients.get(id);
      if (c === undefined) return;
      c.checkTimer = this.ep.host.schedule(msToUs(K.beatCheckPeriodMs), () => this.beatCheck(id));
      if (this.path.switchGatesCheck && !this.s.healthCheckEnabled) return;
      const inst = c.instance;
      if (inst === null || !inst.info.ephemeral) return;
      const silentUs = this.now - inst.lastBeatUs;
      if (inst.healthy && silentUs > msToUs(this.s.beatTimeoutMs)) {
        inst.healthy = false;
        this.ep.host.record('instance.unhealthy', { instance: id, reason: 'beat-timeout' });
        this.serviceChanged(null);
      }
      if (this.s.expireInstance && silentUs > msToUs(this.s.deleteTimeoutMs)) {
        c.instance = null;
        this.ep.host.record('instance.remove', { instance: id, reason: 'expired' });
        this.serviceChanged(null);
      }
    });
  }

  /** EphemeralIpPortClientManager.ExpiredClientCleaner.isExpireClient, every 5 s in map order. */
  private readonly cleanExpiredClients = (): void => {
    const now = this.now;
    for (const c of [...this.clients.values()]) {
      // IpPortBasedClient(ip:port#false) of a persistent instance: isExpireClient asks isEphemeral() first.
      if (c.instance !== null && !c.instance.info.ephemeral) continue;
      const noUpdatedUs = now - c.lastUpdatedUs;
      const published = c.instance !== null;
      const idle = !published && noUpdatedUs > msToUs(K.emptyClientExpireMs) && (!c.subscribed || noUpdatedUs > msToUs(this.s.pushCacheMillis));
      const expired = this.path.clientExpiredMs !== null && noUpdatedUs > msToUs(this.path.clientExpiredMs);
      if (idle || expired) this.disconnect(c);
    }
    this.ep.host.schedule(msToUs(K.clientCleanerPeriodMs), this.cleanExpiredClients);
  };

  /** clientDisconnected: the client goes with its instance and subscription; its beat check is cancelled. */
  private disconnect(c: IpPortClient): void {
    this.clients.delete(c.id);
    this.ep.host.cancel(c.checkTimer);
    this.ep.host.record('client.expire', { client: c.id });
    if (c.instance !== null) {
      this.ep.host.record('instance.remove', { instance: c.id, reason: 'client-expired' });
      this.serviceChanged(null);
    }
  }

  /**
   * ServiceChangedEvent (target null: every subscriber) or ServiceSubscribedEvent (one): a
   * PushDelayTask merged into the pending one, run at the first engine tick ≥ 500 ms after the
   * earliest start. With pushEnabled=false the engine runs nothing, so the data is never rebuilt.
   */
  private serviceChanged(target: string | null): void {
    if (!this.s.pushEnabled) return;
    const task = this.pushTask ?? { lastProcessUs: this.now, all: false, targets: new Set<string>() };
    if (target === null) task.all = true;
    else task.targets.add(target);
    this.pushTask = task;
    if (this.pushTimer >= 0) return;
    const tickUs = msToUs(K.pushEngineTickMs);
    const dueUs = Math.ceil((task.lastProcessUs + msToUs(K.pushTaskDelayMs)) / tickUs) * tickUs;
    this.pushTimer = this.ep.host.schedule(dueUs - this.now, this.runPushTask);
  }

  /** PushExecuteTask: build the data (also what list answers return from now on), send to each target. */
  private readonly runPushTask = (): void => {
    const task = this.pushTask;
    this.pushTask = null;
    this.pushTimer = -1;
    if (task === null) return;
    this.rebuild();
    const info = this.serviceInfo();
    for (const c of this.clients.values()) {
      if (c.subscribed && (task.all || task.targets.has(c.id))) this.pusher.push(c.id, info);
    }
  };

  private rebuild(): void {
    const hosts: HostView[] = [];
    for (const c of this.clients.values()) if (c.instance !== null) hosts.push({ id: c.id, healthy: c.instance.healthy });
    this.snapshot = { hosts, builtUs: this.now };
  }

  /** ServiceStorage.getData (built on first use) through ServiceUtil.selectInstancesWithHealthyProtection. */
  private serviceInfo(): ServiceInfo {
    if (this.snapshot === null) this.rebuild();
    const snap = this.snapshot as Snapshot;
    if (this.view?.of !== snap) {
      const hosts = protectedHosts(snap.hosts, this.s.protectThreshold);
      this.view = { of: snap, info: { hosts, lastRefTime: snap.builtUs, cacheMillis: this.s.pushCacheMillis } };
    }
    return this.view.info;
  }
}
