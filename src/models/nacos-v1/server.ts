import type { Endpoint } from '../../sim/endpoint.js';
import { HttpClient, HttpServer } from '../../sim/http.js';
import { ServicePool } from '../../sim/service-queue.js';
import { msToUs, usToMs } from '../../sim/time.js';
import { V1_CONSTANTS as K } from './defaults.js';
import { type InstanceRecord, InstanceTable } from './instance-table.js';
import { type BeatResponse, type InstanceInfo, OK_CODE, type ServiceInfo, type V1Request } from './messages.js';
import { protectedHosts } from './protect-threshold.js';
import { perItemsUs, type V1Settings } from './settings.js';
import { firstCheckRtMs, reEvaluateCheckRtMs, reportRtMs, tcpCheckReport } from './tcp-check.js';
import { UdpPusher } from './udp-push.js';

export type { InstanceRecord } from './instance-table.js';

interface PushTarget {
  lastRefUs: number;
}

/**
 * A Nacos 1.x server holding one service: registration, beats (InstanceController.beat),
 * the per-service ClientBeatCheckTask, the TCP health check of persistent instances
 * (HealthCheckTask), and UDP push to subscribers (PushService).
 *
 * Capacity (settings.capacity; all costs 0 by default = work done the instant it arrives): HTTP
 * requests queue for Tomcat's workers (`http`); a beat's reply leaves when its request is served,
 * but lastBeat changes only when its ClientBeatProcessor has run on the naming health executor
 * (`health`), where the beat check also queues; pushes go out one by one from the push sender
 * thread (`push`).
 */
export class V1Server {
  protected readonly instances = new InstanceTable();
  private hostsCache: ServiceInfo['hosts'] | null = null;
  private hostsVersion = -1;
  private readonly pushTargets = new Map<string, PushTarget>();
  protected serviceCreated = false;
  private pushScheduled = false;
  private pushDataCache: ServiceInfo | null = null;
  private pushDataAtUs = -1;
  protected readonly probes: HttpClient;
  /** HealthCheckTask.checkRtNormalized: the interval to the next run, adapted by every result. */
  private tcpCheckRtMs = 0;
  private readonly http: ServicePool;
  private readonly health: ServicePool;
  private readonly udp: ServicePool;
  private readonly pusher: UdpPusher;

  constructor(
    protected readonly ep: Endpoint,
    protected readonly s: V1Settings,
  ) {
    this.http = new ServicePool(ep.host, 'http', s.capacity.threads);
    this.health = new ServicePool(ep.host, 'health', s.capacity.healthThreads);
    this.udp = new ServicePool(ep.host, 'push', K.udpSenderThreads);
    new HttpServer(ep, (from, body, reply) => this.serve(from, body, reply));
    this.probes = new HttpClient(ep);
    this.pusher = new UdpPusher(ep);
    ep.host.schedule(msToUs(K.zombieSweepPeriodMs), this.sweepZombies);
  }

  protected get now(): number {
    return this.ep.host.now();
  }

  /** Every HTTP request this node receives (a cluster node also answers its peers and proxies): served by an HTTP worker. */
  protected serve(_from: string, body: unknown, reply: (response: unknown) => void): void {
    const req = body as V1Request;
    this.http.submit(this.requestCostUs(req), () => reply(this.handle(req)));
  }

  private requestCostUs(req: V1Request): number {
    const cap = this.s.capacity;
    if (req.op === 'beat') return cap.beatUs;
    if (req.op === 'register') return cap.registerUs;
    return cap.queryUs + perItemsUs(cap.serializePer1000Us, this.instances.size);
  }

  /** Work that walks the service's instances (a ClientBeatProcessor, the beat check): its scan on top of `baseUs`. */
  private scanCostUs(baseUs: number): number {
    return baseUs + perItemsUs(this.s.capacity.scanPer1000Us, this.instances.size);
  }

  /** Does this node's check task judge the service's instances? One server always does; in a cluster only the responsible node. */
  protected judges(): boolean {
    return true;
  }

  protected handle(req: V1Request): unknown {
    switch (req.op) {
      case 'register':
        this.register(req.instance, 'register');
        return { code: OK_CODE };
      case 'beat':
        return this.beat(req);
      case 'list':
        this.ep.host.record('query.recv', { subscriber: req.subscriber });
        this.pushTargets.set(req.subscriber, { lastRefUs: this.now });
        return this.serviceInfo();
    }
  }

  protected register(info: InstanceInfo, via: 'register' | 'beat'): void {
    this.ensureService();
    // Cluster.updateIps keeps an existing instance's health flag; the new Instance object resets lastBeat.
    const healthy = this.instances.get(info.id)?.healthy ?? true;
    this.instances.set(info.id, { info, lastBeatUs: this.now, healthy, checkStreak: 0 });
    this.ep.host.record('instance.register', { instance: info.id, via, ephemeral: info.ephemeral });
    this.serviceChanged();
  }

  private beat(req: Extract<V1Request, { op: 'beat' }>): BeatResponse {
    const inst = this.instances.get(req.id);
    this.ep.host.record('beat.recv', { instance: req.id, light: req.light });
    if (inst === undefined) {
      // A light beat cannot re-create the instance: the client must re-register (20404).
      if (req.light || req.instance === undefined) return { code: K.beatNotFoundCode, clientBeatInterval: this.s.clientBeatIntervalMs };
      // A full beat carries the instance: the server re-registers it ("data compensation").
      this.register(req.instance, 'beat');
    }
    // Service.processClientBeat → HealthCheckReactor.scheduleNow(ClientBeatProcessor): the reply does not wait for it.
    this.health.submit(this.scanCostUs(this.s.capacity.beatProcessUs), this.processBeat, req.id);
    return { code: OK_CODE, clientBeatInterval: this.s.replyBeatIntervalMs, lightBeatEnabled: this.s.lightBeatEnabled };
  }

  /** ClientBeatProcessor.run: the instance (if still there) gets lastBeat = now and turns healthy. */
  private readonly processBeat = (arg: unknown): void => {
    const inst = this.instances.get(arg as string);
    if (inst === undefined) return;
    inst.lastBeatUs = this.now;
    if (!inst.healthy) {
      inst.healthy = true;
      this.ep.host.record('instance.healthy', { instance: inst.info.id });
      this.serviceChanged();
    }
  };

  /** Service.init(): the beat-check task runs every 5 s from the service's creation. */
  protected ensureService(): void {
    if (this.serviceCreated) return;
    this.serviceCreated = true;
    const periodUs = msToUs(K.beatCheckPeriodMs);
    const firstUs = this.s.checkPhaseUs === null ? periodUs : (this.s.checkPhaseUs - (this.now % periodUs) + periodUs) % periodUs || periodUs;
    this.ep.host.schedule(firstUs, this.beatCheck);
    // Cluster.init → new HealthCheckTask (initCheckRT) → HealthCheckReactor.scheduleCheck.
    this.tcpCheckRtMs = firstCheckRtMs(this.ep.host.sim.rng(`server.tcp-check:${this.ep.name}`));
    this.ep.host.schedule(msToUs(this.tcpCheckRtMs), this.tcpCheck);
  }

  /** The beat check comes due: it queues on the health executor behind the beats that came before it. */
  private readonly beatCheck = (): void => {
    this.health.submit(this.scanCostUs(0), this.runBeatCheck);
  };

  /** ClientBeatCheckTask.run (1.4.8), for ephemeral instances only; the next run 5 s after this one (fixed delay). */
  private readonly runBeatCheck = (): void => {
    this.ep.host.schedule(msToUs(K.beatCheckPeriodMs), this.beatCheck);
    if (!this.judges() || !this.s.healthCheckEnabled) return;
    const now = this.now;
    for (const inst of this.instances.judged.values()) {
      if (!inst.info.ephemeral || !inst.healthy) continue;
      if (now - inst.lastBeatUs > msToUs(this.s.beatTimeoutMs)) {
        inst.healthy = false;
        this.ep.host.record('instance.unhealthy', { instance: inst.info.id, reason: 'beat-timeout' });
        this.serviceChanged();
      }
    }
    if (!this.s.expireInstance) return;
    for (const inst of this.instances.judged.values()) {
      if (inst.info.ephemeral && now - inst.lastBeatUs > msToUs(this.s.deleteTimeoutMs)) {
        // deleteIp: an async HTTP DELETE to the node itself, through the deregister path.
        const id = inst.info.id;
        this.ep.host.schedule(msToUs(K.selfDeleteMs), () => this.http.submit(this.s.capacity.registerUs, () => this.remove(id, 'expired')));
      }
    }
  };

  /**
   * Hands instance `id` to a quiet stepper, which beats for it from now on: returns when its last
   * beat was processed, or null when it is not a healthy ephemeral instance here (then it stays as it is).
   */
  markQuiet(id: string): number | null {
    const inst = this.instances.get(id);
    if (inst === undefined || !inst.info.ephemeral || !inst.healthy) return null;
    this.instances.markQuiet(id);
    return inst.lastBeatUs;
  }

  protected remove(id: string, reason: string): void {
    if (!this.instances.delete(id)) return;
    this.ep.host.record('instance.remove', { instance: id, reason });
    this.serviceChanged();
  }

  /**
   * HealthCheckTask.run with TcpSuperSenseProcessor for persistent instances: a fresh TCP connect
   * to each; 3 consecutive failures (or one refusal) → unhealthy, 3 successes → healthy. The next
   * run is scheduled with the interval as it stands now; each result, reported by the NIO loop
   * (`tcpCheckReport`), moves the interval (`reEvaluateCheckRtMs`): a timeout by ×1.25.
   */
  private readonly tcpCheck = (): void => {
    for (const inst of this.instances.persistent.values()) {
      if (!this.judges()) continue;
      const started = this.now;
      this.ep.host.record('tcp-check.send', { instance: inst.info.id });
      this.probes.probe(inst.info.id, msToUs(K.tcpConnectTimeoutMs), (r) => {
        const doneUs = this.now - started;
        if (r.ok) this.ep.host.record('probe.reply', { instance: inst.info.id });
        const report = tcpCheckReport(r.ok ? 'ok' : 'refused', r.ok || r.error === 'refused' ? usToMs(doneUs) : null);
        this.ep.host.schedule(Math.max(0, msToUs(report.afterMs) - doneUs), () => {
          this.tcpCheckRtMs = reEvaluateCheckRtMs(this.tcpCheckRtMs, reportRtMs(report, this.tcpCheckRtMs));
          this.tcpResult(inst, report.outcome === 'ok', report.outcome === 'refused');
        });
      });
    }
    this.ep.host.schedule(msToUs(this.tcpCheckRtMs), this.tcpCheck);
  };

  private tcpResult(inst: InstanceRecord, ok: boolean, refused: boolean): void {
    if (!this.s.healthCheckEnabled || this.instances.get(inst.info.id) !== inst) return;
    if (ok === inst.healthy) {
      inst.checkStreak = 0;
      return;
    }
    inst.checkStreak++;
    if (refused || inst.checkStreak >= K.tcpCheckTimes) {
      inst.healthy = ok;
      inst.checkStreak = 0;
      this.ep.host.record(ok ? 'instance.healthy' : 'instance.unhealthy', { instance: inst.info.id, reason: 'tcp-check' });
      this.serviceChanged();
    }
  }

  /** doSrvIpxt: every enabled instance, through the protect threshold (protect-threshold.ts). */
  serviceInfo(): ServiceInfo {
    return { hosts: this.hosts(), lastRefTime: this.now, cacheMillis: this.s.pushCacheMillis };
  }

  /**
   * The host list, built again only after a change (every change of the list or of a health flag
   * goes through `serviceChanged`, and the table's version guards the rest): at 100,000
   * instances a query every 10 s would otherwise rebuild 100,000 entries. Never mutated once
   * built, so consumers may compare lists by identity.
   */
  private hosts(): ServiceInfo['hosts'] {
    if (this.hostsCache !== null && this.hostsVersion === this.instances.version) return this.hostsCache;
    const all = [...this.instances.values()].map((i) => ({ id: i.info.id, healthy: i.healthy }));
    this.hostsCache = protectedHosts(all, this.s.protectThreshold);
    this.hostsVersion = this.instances.version;
    return this.hostsCache;
  }

  /** PushService.serviceChanged: one push 1 s after the first change; changes meanwhile merge into it. */
  protected serviceChanged(): void {
    this.pushDataCache = null;
    this.hostsCache = null;
    if (!this.s.pushEnabled || this.pushScheduled) return;
    this.pushScheduled = true;
    this.ep.host.schedule(msToUs(K.pushDelayMs), this.pushAll);
  }

  /**
   * The push task on the sender thread: each live push client in turn gets the data as it is when
   * its turn comes. Changes meanwhile start no other task (futureMap holds this one until it ends).
   */
  private readonly pushAll = (): void => {
    let left = 1;
    const done = (): void => {
      if (--left === 0) this.pushScheduled = false;
    };
    const costUs = this.s.capacity.pushUs + perItemsUs(this.s.capacity.serializePer1000Us, this.instances.size);
    for (const [target, t] of this.pushTargets) {
      if (this.zombie(t)) {
        this.pushTargets.delete(target);
        continue;
      }
      left++;
      this.udp.submit(costUs, () => {
        this.pushTo(target);
        done();
      });
    }
    done();
  };

  private pushTo(target: string): void {
    this.pusher.push(target, this.pushData());
  }

  /** The service's data now (built again only after a change or when time has moved on). */
  private pushData(): ServiceInfo {
    if (this.pushDataAtUs !== this.now || this.pushDataCache === null) {
      this.pushDataCache = this.serviceInfo();
      this.pushDataAtUs = this.now;
    }
    return this.pushDataCache;
  }

  private zombie(t: PushTarget): boolean {
    return this.now - t.lastRefUs > msToUs(this.s.pushCacheMillis);
  }

  private readonly sweepZombies = (): void => {
    for (const [target, t] of this.pushTargets) if (this.zombie(t)) this.pushTargets.delete(target);
    this.ep.host.schedule(msToUs(K.zombieSweepPeriodMs), this.sweepZombies);
  };
}
