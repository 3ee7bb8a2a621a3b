import type { EventHandle } from '../../sim/event-queue.js';
import { type Micros, msToUs } from '../../sim/time.js';
import type { Memberlist, NodeState } from './memberlist.js';
import { type AckMsg, type GossipMsg, type IndirectPingMsg, ML, type PingMsg } from './messages.js';

interface AckHandler {
  readonly ack: () => void;
  readonly nack: () => void;
  readonly timer: EventHandle;
}

/**
 * memberlist's failure detector (state.go probe, probeNode; net.go handlePing,
 * handleIndirectPing, v0.5.1). A ticker every ProbeInterval probes the next member of the
 * shuffled list; a probe pings it, after ProbeTimeout asks IndirectChecks members to ping it
 * (each nacks after its own ProbeTimeout), and when no ack came within ProbeInterval × (health
 * score + 1) the member is suspected. The health score moves by −1 on an ack, and by the nacks
 * that did not arrive (1 when none were expected) on a failure. A probe that outlasts the ticker
 * leaves one tick buffered (Go's ticker channel holds one; the rest are dropped). The TCP
 * fallback ping is not modelled: livesim's faults block TCP and UDP alike.
 */
export class Prober {
  private readonly handlers = new Map<number, AckHandler>();
  private probeIndex = 0;
  private probing = false;
  private pendingTick = false;

  constructor(
    private readonly ml: Memberlist,
    /** On a server: acks heard from a member count as hearing from it (`probe.reply`). */
    private readonly recordReplies: boolean,
  ) {
    const ep = ml.ep;
    ep.on(ML.ping, (d) => {
      this.ml.receivePiggy(d);
      const p = d.body as PingMsg;
      if (p.node === this.ml.name) this.ml.send(p.source, ML.ack, { seq: p.seq });
    });
    ep.on(ML.ack, (d) => {
      const a = d.body as AckMsg;
      const h = this.handlers.get(a.seq);
      if (this.recordReplies) this.ml.ep.host.record('probe.reply', { instance: d.from });
      if (h !== undefined) {
        this.handlers.delete(a.seq);
        this.ml.sim.cancel(h.timer);
        h.ack();
      }
      this.ml.receivePiggy(d);
    });
    ep.on(ML.nack, (d) => {
      this.handlers.get((d.body as AckMsg).seq)?.nack();
      this.ml.receivePiggy(d);
    });
    ep.on(ML.indirectPing, (d) => {
      this.ml.receivePiggy(d);
      this.indirect(d.body as IndirectPingMsg);
    });
  }

  /** time.NewTicker(ProbeInterval) from the agent's start: the first probe one interval later. */
  start(): void {
    const tick = (): void => {
      this.ml.sim.schedule(msToUs(this.ml.s.probeIntervalMs), tick);
      if (this.probing) this.pendingTick = true;
      else this.probe();
    };
    this.ml.sim.schedule(msToUs(this.ml.s.probeIntervalMs), tick);
  }

  private setHandler(seq: number, timeoutUs: Micros, ack: () => void, nack: () => void, expire: () => void): void {
    const timer = this.ml.sim.schedule(timeoutUs, () => {
      this.handlers.delete(seq);
      expire();
    });
    this.handlers.set(seq, { ack, nack, timer });
  }

  /** probe: the next member in the list that is neither us nor dead; at the end of the list, resetNodes. */
  private probe(): void {
    const nodes = this.ml.nodes;
    for (let checked = 0; checked < nodes.length; ) {
      if (this.probeIndex >= nodes.length) {
        this.ml.resetNodes();
        this.probeIndex = 0;
        checked++;
        continue;
      }
      const node = nodes[this.probeIndex] as NodeState;
      this.probeIndex++;
      if (node.name === this.ml.name || node.state === 'dead') {
        checked++;
        continue;
      }
      this.probeNode({ ...node });
      return;
    }
  }

  private probeNode(node: NodeState): void {
    const ml = this.ml;
    const s = ml.s;
    this.probing = true;
    const intervalUs = ml.scaled(s.probeIntervalMs);
    const seq = ml.nextSeq();
    let acked = false;
    let nacks = 0;
    let expectedNacks = 0;
    const finish = (delta: number): void => {
      ml.applyAwareness(delta);
      this.probing = false;
      if (this.pendingTick) {
        this.pendingTick = false;
        this.probe();
      }
    };
    ml.ep.host.record('probe.send', { node: node.name });
    this.setHandler(
      seq,
      intervalUs,
      () => {
        acked = true;
        finish(-1);
      },
      () => nacks++,
      () => {
        // The ack handler's timeout: no ack within the (scaled) probe interval.
        const delta = expectedNacks > 0 ? Math.max(0, expectedNacks - nacks) : 1;
        ml.ep.host.record('probe.fail', { node: node.name, nacks, expectedNacks });
        ml.suspectNode({ state: 'suspect', node: node.name, incarnation: node.incarnation, from: ml.name });
        finish(delta);
      },
    );
    // A suspect member gets the ping and a suspect message in one compound packet.
    const compound: GossipMsg[] = node.state === 'alive' ? [] : [{ state: 'suspect', node: node.name, incarnation: node.incarnation, from: ml.name }];
    ml.send(node.name, ML.ping, { seq, node: node.name, source: ml.name }, compound);
    ml.sim.schedule(msToUs(s.probeTimeoutMs), () => {
      if (acked) return;
      const peers = ml.randomNodes(s.indirectChecks, (n) => n.name !== node.name && n.state === 'alive');
      // ind.Nack = peer.PMax >= 4: every member of a current cluster.
      expectedNacks = peers.length;
      for (const p of peers) ml.send(p.name, ML.indirectPing, { seq, target: node.name, source: ml.name });
    });
  }

  /** handleIndirectPing: ping the target for the asker; relay its ack, or nack after ProbeTimeout. */
  private indirect(req: IndirectPingMsg): void {
    const ml = this.ml;
    const local = ml.nextSeq();
    let answered = false;
    const timeoutUs = msToUs(ml.s.probeTimeoutMs);
    this.setHandler(
      local,
      timeoutUs,
      () => {
        answered = true;
        ml.send(req.source, ML.ack, { seq: req.seq });
      },
      () => {},
      () => {},
    );
    ml.send(req.target, ML.ping, { seq: local, node: req.target, source: ml.name });
    ml.sim.schedule(timeoutUs, () => {
      if (!answered) ml.send(req.source, ML.nack, { seq: req.seq });
    });
  }
}
