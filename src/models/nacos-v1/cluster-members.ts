import type { Host } from '../../sim/host.js';
import { msToUs } from '../../sim/time.js';

/**
 * Nacos core's cluster membership, shared by both generations (core/.../cluster, tags 1.4.8 and
 * 2.5.1): every node knows every member; MemberInfoReportTask reports to one other member every
 * 2 s (round-robin); a failed report makes the target SUSPICIOUS and counts, and after more than
 * `nacos.core.member.fail-access-cnt` failures in a row (or at once on "Connection refused", which
 * only the 1.x HTTP report can see) the target is DOWN; a success, or a report received from it,
 * makes it UP again. DistroMapper's healthy list is the sorted UP or SUSPICIOUS members.
 */
export type MemberState = 'UP' | 'SUSPICIOUS' | 'DOWN';

/** What a call to another node came back with. */
export type PeerReply = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly refused: boolean };

/** A request to another node; the model's transport carries it (HTTP in 1.x, cluster gRPC in 2.x). */
export type PeerCall = (to: string, body: unknown, done: (r: PeerReply) => void) => void;

export interface MemberSettings {
  readonly reportPeriodMs: number;
  readonly reportInitialDelayMs: number;
  readonly failAccessCnt: number;
  /** 1.x reports over HTTP see "Connection refused" and mark the member DOWN at once. */
  readonly downOnRefused: boolean;
}

export const MEMBER_REPORT = 'member-report';

interface Member {
  state: MemberState;
  failAccessCnt: number;
}

export class MemberManager {
  private readonly members = new Map<string, Member>();
  private readonly others: readonly string[];
  private cursor = 0;
  private healthy: readonly string[];

  constructor(
    private readonly host: Host,
    all: readonly string[],
    private readonly s: MemberSettings,
    private readonly call: PeerCall,
    /** The healthy list changed (MembersChangeEvent → DistroMapper.onEvent). */
    private readonly onChange: () => void = () => undefined,
  ) {
    for (const name of all) this.members.set(name, { state: 'UP', failAccessCnt: 0 });
    // allMembersWithoutSelf: the member map is keyed and sorted by address.
    this.others = [...all].filter((n) => n !== host.name).sort();
    this.healthy = this.computeHealthy();
  }

  get self(): string {
    return this.host.name;
  }

  /** ServerMemberManager.onApplicationEvent: the report task starts 5 s after the node. */
  start(): void {
    if (this.others.length > 0) this.host.schedule(msToUs(this.s.reportInitialDelayMs), this.report);
  }

  state(name: string): MemberState {
    return this.members.get(name)?.state ?? 'DOWN';
  }

  /** DistroMapper.healthyList: the sorted members in state UP or SUSPICIOUS (this node is always UP). */
  healthyList(): readonly string[] {
    return this.healthy;
  }

  peers(): readonly string[] {
    return this.others;
  }

  /** NacosClusterController.report: a member that reports is UP. */
  onReport(from: string): void {
    this.success(from);
  }

  private readonly report = (): void => {
    // cursor = (cursor + 1) % size; target = members.get(cursor)
    this.cursor = (this.cursor + 1) % this.others.length;
    const target = this.others[this.cursor] as string;
    this.call(target, { op: MEMBER_REPORT, from: this.self }, (r) => (r.ok ? this.success(target) : this.fail(target, r.refused)));
    this.host.schedule(msToUs(this.s.reportPeriodMs), this.report);
  };

  private success(name: string): void {
    const m = this.members.get(name);
    if (m === undefined || name === this.self) return;
    m.failAccessCnt = 0;
    this.set(name, m, 'UP');
  }

  /** MemberUtil.onFail. */
  private fail(name: string, refused: boolean): void {
    const m = this.members.get(name);
    if (m === undefined) return;
    m.failAccessCnt++;
    this.set(name, m, m.failAccessCnt > this.s.failAccessCnt || (refused && this.s.downOnRefused) ? 'DOWN' : 'SUSPICIOUS');
  }

  private set(name: string, m: Member, state: MemberState): void {
    if (m.state === state) return;
    m.state = state;
    this.host.record('member.state', { member: name, state });
    const healthy = this.computeHealthy();
    if (healthy.join() === this.healthy.join()) return;
    this.healthy = healthy;
    this.onChange();
  }

  private computeHealthy(): readonly string[] {
    return [...this.members.entries()]
      .filter(([name, m]) => name === this.self || m.state !== 'DOWN')
      .map(([name]) => name)
      .sort();
  }
}

/** Java's String.hashCode: s[0]·31^(n−1) + … + s[n−1] in 32-bit two's complement, over UTF-16 units. */
export const javaHashCode = (s: string): number => {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0; // literal-ok: String.hashCode multiplier
  return h;
};

/** DistroMapper.distroHash: Math.abs(tag.hashCode() % Integer.MAX_VALUE). */
export const distroHash = (tag: string): number => Math.abs(javaHashCode(tag) % 2147483647); // literal-ok: Integer.MAX_VALUE

/** DistroMapper.mapSrv: the node responsible for `tag` in a healthy list (null when the list is empty). */
export const mapSrv = (healthy: readonly string[], tag: string): string | null =>
  healthy.length === 0 ? null : (healthy[distroHash(tag) % healthy.length] as string);

/**
 * DistroMapper.responsible: true when this node is not in its own healthy list, false when the list
 * is empty, else whether the tag hashes to this node's place in it.
 */
export const responsible = (healthy: readonly string[], self: string, tag: string): boolean => {
  if (healthy.length === 0) return false;
  const index = healthy.indexOf(self);
  if (index < 0) return true;
  const target = distroHash(tag) % healthy.length;
  return target >= index && target <= healthy.lastIndexOf(self);
};
