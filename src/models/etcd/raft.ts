import type { Endpoint } from '../../sim/endpoint.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { ETCD_CONSTANTS as K } from './defaults.js';
import type { EtcdSettings } from './settings.js';

export const RAFT = {
  heartbeat: 'raft.heartbeat',
  heartbeatResp: 'raft.heartbeat-resp',
  preVote: 'raft.pre-vote',
  preVoteResp: 'raft.pre-vote-resp',
  vote: 'raft.vote',
  voteResp: 'raft.vote-resp',
  append: 'raft.append',
  appendResp: 'raft.append-resp',
  propose: 'raft.propose',
} as const;

interface RaftMsg {
  readonly term: number;
  readonly commit?: number;
  readonly granted?: boolean;
  readonly seq?: number;
  readonly entry?: unknown;
}

/**
 * The committed raft log of the cluster: what a majority holds survives any leader change, so
 * livesim keeps it once (a member applies it up to the commit index its leader tells it).
 */
export class CommittedLog {
  readonly entries: unknown[] = [];
}

export interface RaftHooks {
  /** A committed entry, applied in log order on this member. */
  apply(entry: unknown, index: number): void;
  /** This member became leader (its no-op is not committed yet) or follower. */
  roleChanged(): void;
}

type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/**
 * Raft as etcd runs it (etcd-io/etcd v3.5.33 raft/raft.go, go.etcd.io/raft/v3 in v3.6; config
 * of server/etcdserver/bootstrap.go): a tick every heartbeat-interval; the leader sends a
 * heartbeat every tick (HeartbeatTick 1) and steps down when fewer than a quorum answered within
 * an election timeout (CheckQuorum); a follower that heard no leader for its randomized election
 * timeout (electionTicks + rand(electionTicks), drawn at every change of role) runs a pre-vote,
 * then a vote; a voter that heard its leader within electionTicks ignores both (inLease). A new
 * leader appends a no-op entry; its commit is where etcd promotes the lessor.
 * Reduced (livesim): entries are committed once a quorum acknowledged them (the commit index rides
 * on the next append or heartbeat); logs are not compared in votes and not repaired after a
 * leader change (an entry the old leader did not commit is lost); the boot election is not run —
 * s1 leads term 1 from the start.
 */
export class RaftNode {
  role: Role;
  term = 1;
  lead: string | null;
  private votedFor: string | null = null;
  private electionElapsed = 0;
  private randomizedTimeout = 0;
  private votes = new Set<string>();
  private heardFrom = new Set<string>();
  private applied = 0;
  private nextSeq = 0;
  private readonly pending = new Map<number, { readonly entry: unknown; readonly acks: Set<string> }>();

  constructor(
    private readonly ep: Endpoint,
    private readonly peers: readonly string[],
    private readonly s: EtcdSettings,
    private readonly log: CommittedLog,
    private readonly hooks: RaftHooks,
    tickPhaseUs: Micros,
    leader: string,
  ) {
    this.role = ep.name === leader ? 'leader' : 'follower';
    this.lead = leader;
    this.resetTimeout();
    ep.onApp(RAFT.heartbeat, (d) => this.onLeaderMsg(d.from, d.body as RaftMsg, RAFT.heartbeatResp));
    ep.onApp(RAFT.append, (d) => this.onLeaderMsg(d.from, d.body as RaftMsg, RAFT.appendResp));
    ep.onApp(RAFT.heartbeatResp, (d) => this.onResp(d.from, d.body as RaftMsg));
    ep.onApp(RAFT.appendResp, (d) => this.onResp(d.from, d.body as RaftMsg));
    ep.onApp(RAFT.preVote, (d) => this.onVote(d.from, d.body as RaftMsg, true));
    ep.onApp(RAFT.vote, (d) => this.onVote(d.from, d.body as RaftMsg, false));
    ep.onApp(RAFT.preVoteResp, (d) => this.onVoteResp(d.from, d.body as RaftMsg, true));
    ep.onApp(RAFT.voteResp, (d) => this.onVoteResp(d.from, d.body as RaftMsg, false));
    ep.onApp(RAFT.propose, (d) => this.propose((d.body as RaftMsg).entry));
    ep.host.schedule(tickPhaseUs, this.tick);
  }

  get isLeader(): boolean {
    return this.role === 'leader';
  }

  private get quorum(): number {
    return Math.floor((this.peers.length + 1) / K.quorumDivisor) + 1;
  }

  private resetTimeout(): void {
    this.electionElapsed = 0;
    const ticks = this.s.electionTicks;
    this.randomizedTimeout = ticks + this.ep.host.sim.rng(`raft.election:${this.ep.name}`).intInclusive(0, ticks * K.electionJitterFactor - 1);
  }

  private broadcast(kind: string, body: RaftMsg): void {
    for (const p of this.peers) this.ep.send(p, kind, body);
  }

  private readonly tick = (): void => {
    this.electionElapsed++;
    if (this.role === 'leader') {
      // tickHeartbeat: CheckQuorum every electionTicks, a heartbeat every tick.
      if (this.electionElapsed >= this.s.electionTicks) {
        this.electionElapsed = 0;
        if (this.heardFrom.size + 1 < this.quorum) this.becomeFollower(this.term, null);
        this.heardFrom.clear();
      }
      if (this.role === 'leader') this.broadcast(RAFT.heartbeat, { term: this.term, commit: this.log.entries.length });
    } else if (this.electionElapsed >= this.randomizedTimeout) {
      this.electionElapsed = 0;
      this.campaign();
    }
    this.ep.host.schedule(msToUs(this.s.heartbeatMs * K.heartbeatTicks), this.tick);
  };

  private campaign(): void {
    this.role = 'pre-candidate';
    this.votes = new Set([this.ep.name]);
    this.broadcast(RAFT.preVote, { term: this.term + 1 });
  }

  private becomeFollower(term: number, lead: string | null): void {
    const changed = this.role !== 'follower' || this.lead !== lead;
    if (term > this.term) this.votedFor = null;
    this.term = term;
    this.role = 'follower';
    this.lead = lead;
    this.pending.clear();
    this.resetTimeout();
    if (changed) this.hooks.roleChanged();
  }

  private becomeLeader(): void {
    this.role = 'leader';
    this.lead = this.ep.name;
    this.heardFrom.clear();
    this.resetTimeout();
    this.ep.host.record('raft.leader', { term: this.term });
    this.hooks.roleChanged();
    this.propose({ kind: 'noop', term: this.term });
  }

  private onLeaderMsg(from: string, m: RaftMsg, resp: string): void {
    // A stale leader (CheckQuorum / PreVote on): answered with the newer term, so that it steps down.
    if (m.term < this.term) {
      this.ep.send(from, resp, { term: this.term });
      return;
    }
    if (m.term > this.term || this.role !== 'follower' || this.lead !== from) this.becomeFollower(m.term, from);
    this.electionElapsed = 0;
    this.catchUp(m.commit ?? 0);
    this.ep.send(from, resp, { term: this.term, seq: m.seq });
  }

  /** A member applies the committed log up to the index it was told. */
  private catchUp(commit: number): void {
    while (this.applied < Math.min(commit, this.log.entries.length)) {
      this.hooks.apply(this.log.entries[this.applied], this.applied);
      this.applied++;
    }
  }

  private onResp(from: string, m: RaftMsg): void {
    if (m.term > this.term) {
      this.becomeFollower(m.term, null);
      return;
    }
    if (this.role !== 'leader' || m.term !== this.term) return;
    this.heardFrom.add(from);
    if (m.seq === undefined) return;
    this.pending.get(m.seq)?.acks.add(from);
    this.commitReady();
  }

  /** Commits, in order, the entries a quorum holds; tells the followers at once (bcastAppend). */
  private commitReady(): void {
    let advanced = false;
    for (const [seq, p] of this.pending) {
      if (p.acks.size + 1 < this.quorum) break;
      this.pending.delete(seq);
      this.log.entries.push(p.entry);
      advanced = true;
    }
    if (!advanced) return;
    this.catchUp(this.log.entries.length);
    this.broadcast(RAFT.heartbeat, { term: this.term, commit: this.log.entries.length });
  }

  /** An entry for the log: the leader replicates it; a follower forwards it to its leader (MsgProp); without a leader it is dropped. */
  propose(entry: unknown): void {
    if (this.role !== 'leader') {
      if (this.lead !== null && this.role === 'follower') this.ep.send(this.lead, RAFT.propose, { term: this.term, entry });
      return;
    }
    const seq = this.nextSeq++;
    this.pending.set(seq, { entry, acks: new Set() });
    this.broadcast(RAFT.append, { term: this.term, seq, entry, commit: this.log.entries.length });
    this.commitReady();
  }

  private onVote(from: string, m: RaftMsg, pre: boolean): void {
    const kind = pre ? RAFT.preVoteResp : RAFT.voteResp;
    const inLease = this.lead !== null && this.electionElapsed < this.s.electionTicks;
    if (inLease || m.term < this.term) return;
    if (pre) {
      this.ep.send(from, kind, { term: m.term, granted: true });
      return;
    }
    if (m.term > this.term) this.becomeFollower(m.term, null);
    const granted = this.votedFor === null || this.votedFor === from;
    if (granted) {
      this.votedFor = from;
      this.electionElapsed = 0;
    }
    this.ep.send(from, kind, { term: this.term, granted });
  }

  private onVoteResp(from: string, m: RaftMsg, pre: boolean): void {
    if (m.granted !== true || this.role !== (pre ? 'pre-candidate' : 'candidate')) return;
    if (!pre && m.term !== this.term) return;
    this.votes.add(from);
    if (this.votes.size < this.quorum) return;
    if (!pre) {
      this.becomeLeader();
      return;
    }
    // becomeCandidate: a new term, its own vote, then the votes of the others.
    this.term++;
    this.role = 'candidate';
    this.lead = null;
    this.votedFor = this.ep.name;
    this.votes = new Set([this.ep.name]);
    this.resetTimeout();
    this.broadcast(RAFT.vote, { term: this.term });
  }
}
