import type { Endpoint } from '../../sim/endpoint.js';
import type { HttpTimeouts } from '../../sim/http.js';
import { msToUs } from '../../sim/time.js';
import { DelayEngine, type DelayTask } from './cluster-delay.js';
import { MEMBER_REPORT, MemberManager, mapSrv, type PeerReply, responsible } from './cluster-members.js';
import type { V1ClusterSettings } from './cluster-settings.js';
import { V1_CLUSTER_CONSTANTS as KC } from './defaults.js';
import { type InstanceInfo, isHttpError, type V1Request } from './messages.js';
import { V1Server } from './server.js';
import type { V1Settings } from './settings.js';

/**
 * A node of a Nacos 1.x cluster (tag 1.4.8): the one-server behaviour of V1Server plus
 *   - DistroFilter: a register or beat for a service this node is not responsible for is proxied
 *     to mapSrv(service) (2 s connect / 2 s read); a failed proxy answers HTTP 500, so the client
 *     tries its next server; a proxied request that lands on a node not responsible either gets 400;
 *   - only the responsible node's check task marks and deletes (ClientBeatCheckTask step 1);
 *   - a change of the instance list (register, delete) is put to every other node after two delays
 *     of taskDispatchPeriod / 2 (Distro delay task, then the combined-key task) with the sender's
 *     lastBeat in it; a failed put is retried after syncRetryDelay (then both delays again);
 *   - every 5 s the responsible node sends its checksum; a node whose copy differs fetches it
 *     (DistroConsistencyServiceImpl.onReceiveChecksums); a copy keeps its own health flags
 *     (Cluster.updateIps), which the responsible node's status report (ServiceReporter, every 5 s
 *     from 60 s) sets, the checksum report and the status query taken as one message;
 *   - member health (MemberInfoReportTask) decides the healthy list that DistroMapper hashes over.
 * Beats only refresh lastBeat in the memory of the node that handles them: after a re-shard the
 * new responsible node judges with the lastBeat of its last copy (issue #1873).
 */
interface DatumItem {
  readonly info: InstanceInfo;
  readonly lastBeatUs: number;
  readonly healthy: boolean;
}

type PeerMessage =
  | { readonly op: typeof MEMBER_REPORT; readonly from: string }
  | { readonly op: 'distro-datum'; readonly instances: readonly DatumItem[] }
  | { readonly op: 'distro-checksum'; readonly checksum: string }
  | { readonly op: 'distro-fetch' }
  | { readonly op: 'service-status'; readonly healthy: readonly (readonly [string, boolean])[] };

type Incoming = PeerMessage | (V1Request & { readonly proxied?: boolean });

const OK = { ok: true };
const timeouts = (connectMs: number, readMs: number): HttpTimeouts => ({ connectTimeoutUs: msToUs(connectMs), readTimeoutUs: msToUs(readMs) });
const REPORT = timeouts(KC.memberReportConnectTimeoutMs, KC.memberReportReadTimeoutMs);
const PROXY = timeouts(KC.proxyConnectTimeoutMs, KC.proxyReadTimeoutMs);
const SYNC = timeouts(KC.syncConnectTimeoutMs, KC.syncReadTimeoutMs);
const STAGE_1 = '1>';
const STAGE_2 = '2>';

export class V1ClusterServer extends V1Server {
  readonly members: MemberManager;
  private readonly engine: DelayEngine<string>;
  /** onReceiveChecksums in progress per source node (syncChecksumTasks). */
  private readonly fetching = new Set<string>();

  constructor(
    ep: Endpoint,
    s: V1Settings,
    private readonly cs: V1ClusterSettings,
    servers: readonly string[],
  ) {
    super(ep, s);
    this.members = new MemberManager(ep.host, servers, cs.members, (to, body, done) => this.call(to, body, REPORT, done));
    this.engine = new DelayEngine(ep.host, msToUs(KC.distroEngineTickMs), (key, task) => this.dispatch(key, task));
  }

  start(): void {
    this.members.start();
    this.ep.host.schedule(msToUs(KC.verifyPeriodMs), this.verifyTask);
    this.ep.host.schedule(msToUs(KC.statusSyncInitialDelayMs), this.statusTask);
  }

  /** The node DistroMapper maps the service to, in this node's view. */
  responsibleNode(): string | null {
    return mapSrv(this.members.healthyList(), this.cs.serviceTag);
  }

  protected override judges(): boolean {
    return responsible(this.members.healthyList(), this.ep.name, this.cs.serviceTag);
  }

  protected override serve(from: string, body: unknown, reply: (response: unknown) => void): void {
    const m = body as Incoming;
    if (m.op === 'register' || m.op === 'beat') {
      if (this.judges()) super.serve(from, body, reply);
      else this.proxy(m, reply);
      return;
    }
    if (m.op === 'list') {
      super.serve(from, body, reply);
      return;
    }
    reply(this.peer(from, m));
  }

  /** What the other nodes send: answered at once. */
  private peer(from: string, m: PeerMessage): unknown {
    switch (m.op) {
      case MEMBER_REPORT:
        this.members.onReport(from);
        break;
      case 'distro-datum':
        this.apply(m.instances);
        break;
      case 'distro-checksum':
        this.onChecksum(from, m.checksum);
        break;
      case 'distro-fetch':
        return { instances: this.datum() };
      case 'service-status':
        this.applyStatus(m.healthy);
        break;
    }
    return OK;
  }

  /** DistroFilter: forward to the responsible node; a node asked by a peer that is not responsible either refuses (400). */
  private proxy(req: V1Request & { readonly proxied?: boolean }, reply: (response: unknown) => void): void {
    if (req.proxied === true) {
      reply({ httpStatus: KC.badRequestStatus });
      return;
    }
    const target = this.responsibleNode() ?? this.ep.name;
    this.probes.request(target, { ...req, proxied: true }, PROXY, (r) => {
      if (r.ok) reply(r.body);
      else {
        this.ep.host.record('distro.proxy-fail', { to: target, op: req.op, error: r.error });
        reply({ httpStatus: KC.serverErrorStatus });
      }
    });
  }

  private call(to: string, body: unknown, t: HttpTimeouts, done: (r: PeerReply) => void): void {
    this.probes.request(to, body, t, (r) =>
      done(r.ok && !isHttpError(r.body) ? { ok: true, body: r.body } : { ok: false, refused: !r.ok && r.error === 'refused' }),
    );
  }

  // ——— Distro: the instance list travels to the other nodes ———

  protected override register(info: InstanceInfo, via: 'register' | 'beat'): void {
    super.register(info, via);
    this.dataChanged();
  }

  protected override remove(id: string, reason: string): void {
    const had = this.instances.has(id);
    super.remove(id, reason);
    if (had) this.dataChanged();
  }

  /** DistroConsistencyServiceImpl.put → distroProtocol.sync(key, CHANGE, taskDispatchPeriod / 2) to every other member. */
  private dataChanged(): void {
    for (const target of this.members.peers()) this.engine.add(STAGE_1 + target, 'CHANGE', target, msToUs(this.cs.syncStageMs));
  }

  private dispatch(key: string, task: DelayTask<string>): void {
    const target = task.payload;
    if (key.startsWith(STAGE_1)) {
      // DistroHttpDelayTaskProcessor → DistroHttpCombinedKeyExecuteTask: a combined task, another half period.
      this.engine.add(STAGE_2 + target, 'CHANGE', target, msToUs(this.cs.syncStageMs));
      return;
    }
    // DistroSyncChangeTask: the data as it is now (lastBeat included), PUT to the target.
    this.call(target, { op: 'distro-datum', instances: this.datum() } satisfies PeerMessage, SYNC, (r) => {
      if (r.ok) return;
      this.ep.host.record('distro.sync-fail', { to: target });
      this.engine.add(STAGE_1 + target, 'CHANGE', target, msToUs(this.cs.syncRetryDelayMs));
    });
  }

  private datum(): DatumItem[] {
    return [...this.instances.values()].map((i) => ({ info: i.info, lastBeatUs: i.lastBeatUs, healthy: i.healthy }));
  }

  /** onPut → Service.onChange → Cluster.updateIps: the copy takes the sender's list and lastBeat, keeps its own health flags. */
  private apply(items: readonly DatumItem[]): void {
    this.ensureService();
    const ids = new Set(items.map((i) => i.info.id));
    for (const item of items) {
      const old = this.instances.get(item.info.id);
      this.instances.set(item.info.id, {
        info: item.info,
        lastBeatUs: item.lastBeatUs,
        healthy: old?.healthy ?? item.healthy,
        checkStreak: old?.checkStreak ?? 0,
      });
      if (old === undefined) this.ep.host.record('instance.register', { instance: item.info.id, via: 'sync', ephemeral: item.info.ephemeral });
    }
    for (const id of [...this.instances.keys()]) {
      if (ids.has(id)) continue;
      this.instances.delete(id);
      this.ep.host.record('instance.remove', { instance: id, reason: 'distro-sync', via: 'sync' });
    }
    this.serviceChanged();
  }

  private checksum(): string {
    return [...this.instances.values()]
      .map((i) => `${i.info.id}_${i.healthy}`)
      .sort()
      .join(',');
  }

  /** DistroVerifyTask: the responsible node's checksum to every other member, failures ignored. */
  private readonly verifyTask = (): void => {
    this.ep.host.schedule(msToUs(KC.verifyPeriodMs), this.verifyTask);
    if (!this.serviceCreated || !this.judges()) return;
    const body: PeerMessage = { op: 'distro-checksum', checksum: this.checksum() };
    for (const target of this.members.peers()) this.call(target, body, SYNC, () => undefined);
  };

  private onChecksum(from: string, checksum: string): void {
    // A node that thinks it is responsible itself aborts ("receive responsible key timestamp").
    if (this.judges() || this.fetching.has(from) || checksum === this.checksum()) return;
    this.fetching.add(from);
    this.call(from, { op: 'distro-fetch' } satisfies PeerMessage, SYNC, (r) => {
      this.fetching.delete(from);
      if (r.ok) this.apply((r.body as { instances: readonly DatumItem[] }).instances);
    });
  }

  // ——— ServiceReporter / updatedHealthStatus: health flags follow the responsible node ———

  private readonly statusTask = (): void => {
    this.ep.host.schedule(msToUs(this.cs.statusSyncPeriodMs), this.statusTask);
    if (!this.serviceCreated || this.instances.size === 0 || !this.judges()) return;
    const healthy = [...this.instances.values()].map((i) => [i.info.id, i.healthy] as const);
    for (const target of this.members.peers()) this.call(target, { op: 'service-status', healthy } satisfies PeerMessage, SYNC, () => undefined);
  };

  /** An instance the responsible node does not list reads as unhealthy (Boolean.parseBoolean(null)). */
  private applyStatus(list: readonly (readonly [string, boolean])[]): void {
    if (!this.serviceCreated) return;
    const flags = new Map(list);
    let changed = false;
    for (const inst of this.instances.values()) {
      const valid = flags.get(inst.info.id) ?? false;
      if (valid === inst.healthy) continue;
      inst.healthy = valid;
      changed = true;
      this.ep.host.record(valid ? 'instance.healthy' : 'instance.unhealthy', { instance: inst.info.id, reason: 'status-sync', via: 'sync' });
    }
    if (changed) this.serviceChanged();
  }
}
