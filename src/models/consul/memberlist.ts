import type { Endpoint } from '../../sim/endpoint.js';
import type { Datagram } from '../../sim/network.js';
import type { RandomStream } from '../../sim/random.js';
import type { Simulation } from '../../sim/simulation.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { BroadcastQueue } from './broadcasts.js';
import { CONSUL_CONSTANTS as K } from './defaults.js';
import { type GossipMsg, type MemberState, ML, type Packet } from './messages.js';
import { type ConsulSettings, confirmationsWanted, retransmitLimit, suspicionMinUs } from './settings.js';
import { Suspicion } from './suspicion.js';

export interface NodeState {
  readonly name: string;
  incarnation: number;
  state: MemberState;
  stateChangeUs: Micros;
}

/** What Serf (and above it the Consul server) hears from memberlist: NotifyLeave of a dead member, NotifyJoin of one alive again. */
export interface MemberEvents {
  failed(node: string): void;
  alive(node: string): void;
}

/**
 * One memberlist instance (hashicorp/memberlist v0.5.1 state.go): the member list, the alive /
 * suspect / dead state machine with incarnations and refutation, Lifeguard's suspicion timers
 * (suspicion.go) and local health score (awareness.go), the broadcast queue piggybacked on every
 * packet, and the gossip ticker. The probe loop is in probe.ts. It runs in the Consul agent, a
 * process of its own on the machine: its timers and handlers do not stop with the application.
 */
export class Memberlist {
  readonly nodes: NodeState[] = [];
  private readonly byName = new Map<string, NodeState>();
  private readonly suspicions = new Map<string, Suspicion>();
  private readonly broadcasts = new BroadcastQueue();
  readonly rng: RandomStream;
  /** awareness.go: the local health score, in [0, AwarenessMaxMultiplier − 1]. */
  private score = 0;
  private incarnation = 0;
  private seq = 0;
  /** Serf's failedMembers: members declared dead and not alive again (Serf keeps them after memberlist forgets them). */
  readonly failed: string[] = [];

  constructor(
    readonly ep: Endpoint,
    readonly s: ConsulSettings,
    members: readonly string[],
    private readonly events: MemberEvents | null,
  ) {
    this.rng = ep.host.sim.rng(`memberlist:${ep.name}`);
    for (const name of members) this.add({ name, incarnation: 0, state: 'alive', stateChangeUs: 0 });
    ep.on(ML.gossip, (d) => this.receivePiggy(d));
  }

  get name(): string {
    return this.ep.name;
  }

  get sim(): Simulation {
    return this.ep.host.sim;
  }

  get now(): Micros {
    return this.sim.now();
  }

  get(name: string): NodeState | undefined {
    return this.byName.get(name);
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** ScaleTimeout: timeout × (score + 1). */
  scaled(ms: number): Micros {
    return msToUs(ms) * (this.score + 1);
  }

  applyAwareness(delta: number): void {
    const next = Math.min(this.s.awarenessMax - 1, Math.max(0, this.score + delta));
    if (next !== this.score) this.ep.host.record('memberlist.health', { score: next });
    this.score = next;
  }

  /** sendMsg: the message with the queued broadcasts piggybacked (and `first`, a message compounded with it). */
  send(to: string, kind: string, body: object, first: readonly GossipMsg[] = []): void {
    const piggy = [...first, ...this.broadcasts.take(retransmitLimit(this.s, this.nodes.length))];
    this.ep.send(to, kind, { ...body, piggy });
  }

  /** handleCompound: the piggybacked alive / suspect / dead messages, in order. */
  receivePiggy(d: Datagram): void {
    for (const m of (d.body as Packet).piggy) this.handle(m);
  }

  handle(m: GossipMsg): void {
    if (m.state === 'alive') this.aliveNode(m);
    else if (m.state === 'suspect') this.suspectNode(m);
    else this.deadNode(m);
  }

  /** aliveNode: a new member is inserted at a random place; a known one takes a newer incarnation and clears its suspicion. */
  private aliveNode(a: GossipMsg): void {
    let state = this.byName.get(a.node);
    if (state === undefined) {
      state = { name: a.node, incarnation: a.incarnation, state: 'dead', stateChangeUs: this.now };
      this.add(state);
    } else if (a.incarnation <= state.incarnation || a.node === this.name) return;
    this.suspicions.get(a.node)?.stop();
    this.suspicions.delete(a.node);
    this.broadcasts.push(a);
    state.incarnation = a.incarnation;
    if (state.state === 'alive') return;
    const wasDead = state.state === 'dead';
    state.state = 'alive';
    state.stateChangeUs = this.now;
    if (!wasDead) return;
    const i = this.failed.indexOf(a.node);
    if (i >= 0) this.failed.splice(i, 1);
    this.events?.alive(a.node);
  }

  /** suspectNode: start a suspicion (k confirmations wanted, min and max timeouts), or confirm the running one. */
  suspectNode(m: GossipMsg): void {
    const state = this.byName.get(m.node);
    if (state === undefined || m.incarnation < state.incarnation) return;
    const running = this.suspicions.get(m.node);
    if (running !== undefined) {
      if (running.confirm(m.from)) this.broadcasts.push(m);
      return;
    }
    if (state.state !== 'alive') return;
    if (m.node === this.name) {
      this.refute(state, m.incarnation);
      return;
    }
    this.broadcasts.push(m);
    state.incarnation = m.incarnation;
    state.state = 'suspect';
    const changeUs = this.now;
    state.stateChangeUs = changeUs;
    this.ep.host.record('memberlist.suspect', { node: m.node, from: m.from });
    const n = this.nodes.length;
    const minUs = suspicionMinUs(this.s, n);
    const timeout = (confirmations: number): void => {
      const st = this.byName.get(m.node);
      if (st === undefined || st.state !== 'suspect' || st.stateChangeUs !== changeUs) return;
      this.ep.host.record('memberlist.suspect-timeout', { node: m.node, confirmations });
      this.deadNode({ state: 'dead', node: m.node, incarnation: st.incarnation, from: this.name });
    };
    this.suspicions.set(m.node, new Suspicion(this.sim, m.from, confirmationsWanted(this.s, n), minUs, minUs * this.s.suspicionMaxMult, timeout));
  }

  private deadNode(d: GossipMsg): void {
    const state = this.byName.get(d.node);
    if (state === undefined || d.incarnation < state.incarnation) return;
    this.suspicions.get(d.node)?.stop();
    this.suspicions.delete(d.node);
    if (state.state === 'dead') return;
    if (d.node === this.name) {
      this.refute(state, d.incarnation);
      return;
    }
    this.broadcasts.push(d);
    state.incarnation = d.incarnation;
    state.state = 'dead';
    state.stateChangeUs = this.now;
    this.ep.host.record('memberlist.dead', { node: d.node, from: d.from });
    if (!this.failed.includes(d.node)) this.failed.push(d.node);
    this.events?.failed(d.node);
  }

  /** refute: a higher incarnation than the accusation, broadcast alive; our health score goes up by one. */
  private refute(self: NodeState, accused: number): void {
    this.incarnation = Math.max(this.incarnation + 1, accused + 1);
    self.incarnation = this.incarnation;
    this.applyAwareness(1);
    this.ep.host.record('memberlist.refute', { incarnation: this.incarnation });
    this.broadcasts.push({ state: 'alive', node: this.name, incarnation: this.incarnation, from: this.name });
  }

  /** The local state a push/pull sends: every member in the list, ourselves included. */
  states(): GossipMsg[] {
    return this.nodes.map((n) => ({ state: n.state, node: n.name, incarnation: n.incarnation, from: this.name }));
  }

  /** mergeState: an alive member is merged as alive; a suspect or dead one as a suspicion of our own. */
  merge(remote: readonly GossipMsg[]): void {
    for (const r of remote) {
      if (r.state === 'alive') this.aliveNode(r);
      else this.suspectNode({ state: 'suspect', node: r.node, incarnation: r.incarnation, from: this.name });
    }
  }

  /** aliveNode's insertion: append, then swap with a random offset. */
  private add(state: NodeState): void {
    this.nodes.push(state);
    this.byName.set(state.name, state);
    const offset = this.rng.intInclusive(0, this.nodes.length - 1);
    const last = this.nodes.length - 1;
    [this.nodes[offset], this.nodes[last]] = [this.nodes[last] as NodeState, this.nodes[offset] as NodeState];
  }

  /** resetNodes: members dead longer than GossipToTheDeadTime are forgotten, the rest shuffled (rand.Shuffle). */
  resetNodes(): void {
    const keeps = (n: NodeState): boolean => n.state !== 'dead' || this.now - n.stateChangeUs <= msToUs(this.s.gossipToTheDeadMs);
    const keep = this.nodes.filter(keeps);
    for (const n of this.nodes) if (!keeps(n)) this.byName.delete(n.name);
    this.nodes.length = 0;
    this.nodes.push(...keep);
    for (let i = this.nodes.length - 1; i > 0; i--) {
      const j = this.rng.intInclusive(0, i);
      [this.nodes[i], this.nodes[j]] = [this.nodes[j] as NodeState, this.nodes[i] as NodeState];
    }
  }

  /** kRandomNodes: up to k distinct members passing the filter, from at most 3·n random draws. */
  randomNodes(k: number, include: (n: NodeState) => boolean): NodeState[] {
    const out: NodeState[] = [];
    const n = this.nodes.length;
    for (let i = 0; i < K.randomDrawsPerNode * n && out.length < k; i++) {
      const node = this.nodes[this.rng.intInclusive(0, n - 1)] as NodeState;
      if (node.name === this.name || !include(node) || out.includes(node)) continue;
      out.push(node);
    }
    return out;
  }

  /** The gossip ticker (time.NewTicker(GossipInterval) from the agent's start). */
  startGossip(): void {
    const tick = (): void => {
      this.gossip();
      this.sim.schedule(msToUs(this.s.gossipIntervalMs), tick);
    };
    this.sim.schedule(msToUs(this.s.gossipIntervalMs), tick);
  }

  /** gossip: GossipNodes random alive or suspect members (and the recently dead) get the queued broadcasts. */
  private gossip(): void {
    const targets = this.randomNodes(this.s.gossipNodes, (n) => n.state !== 'dead' || this.now - n.stateChangeUs <= msToUs(this.s.gossipToTheDeadMs));
    for (const t of targets) {
      if (this.broadcasts.size === 0) return;
      this.send(t.name, ML.gossip, {});
    }
  }
}
