import { msToUs } from '../../sim/time.js';
import { CONSUL_CONSTANTS as K } from './defaults.js';
import type { Memberlist } from './memberlist.js';
import type { GossipMsg } from './messages.js';

const CONNECT = 'ml.push-pull-syn';
const ACCEPT = 'ml.push-pull-synack';
const PUSH_PULL = 'ml.push-pull';
const PUSH_PULL_REPLY = 'ml.push-pull-reply';

interface PushPull {
  readonly states: readonly GossipMsg[];
}

/**
 * What brings members back together after a partition heals: memberlist's push/pull (state.go
 * pushPullTrigger, pushPull, pushPullNode; the other side answers with its own state before it
 * merges: net.go handleConn) with one random alive member every PushPullInterval, and Serf's
 * reconnect (serf.go handleReconnect, reconnect), which every ReconnectInterval joins one random
 * failed member — a push/pull to it — with probability failed / alive. Both run over TCP: the
 * connection needs its handshake answered before either side sends its state, so a member that can
 * send but not receive reaches nobody (modelled: SYN, SYN-ACK, then the two states, one datagram each).
 */
export class StateSync {
  constructor(
    private readonly ml: Memberlist,
    /** Serf's members count (alive, failed and left): every member the run knows. */
    private readonly members: number,
  ) {
    ml.ep.on(CONNECT, (d) => ml.ep.send(d.from, ACCEPT, {}));
    ml.ep.on(ACCEPT, (d) => ml.ep.send(d.from, PUSH_PULL, { states: ml.states() }));
    ml.ep.on(PUSH_PULL, (d) => {
      ml.ep.send(d.from, PUSH_PULL_REPLY, { states: ml.states() });
      ml.merge((d.body as PushPull).states);
    });
    ml.ep.on(PUSH_PULL_REPLY, (d) => ml.merge((d.body as PushPull).states));
  }

  start(): void {
    const ml = this.ml;
    const rng = ml.sim.rng(`memberlist.push-pull:${ml.name}`);
    // pushPullTrigger: a random stagger within one interval, then time.After(pushPullScale(interval, n)) after each.
    const pushPull = (): void => {
      const peer = ml.randomNodes(1, (n) => n.state === 'alive')[0];
      if (peer !== undefined) this.exchange(peer.name);
      ml.sim.schedule(this.scaledIntervalUs(), pushPull);
    };
    ml.sim.schedule(rng.intInclusive(0, msToUs(K.pushPullIntervalMs) - 1), pushPull);
    const reconnect = (): void => {
      this.reconnect(rng.next(), rng);
      ml.sim.schedule(msToUs(K.reconnectIntervalMs), reconnect);
    };
    ml.sim.schedule(msToUs(K.reconnectIntervalMs), reconnect);
  }

  private exchange(peer: string): void {
    this.ml.ep.host.record('memberlist.push-pull', { node: peer });
    this.ml.ep.send(peer, CONNECT, {});
  }

  /** util.go pushPullScale: × (ceil(log2 n − log2 32) + 1) above 32 members. */
  private scaledIntervalUs(): number {
    const n = this.ml.nodes.length;
    const intervalUs = msToUs(K.pushPullIntervalMs);
    if (n <= K.pushPullScaleThreshold) return intervalUs;
    return intervalUs * (Math.ceil(Math.log2(n) - Math.log2(K.pushPullScaleThreshold)) + 1);
  }

  /** Serf.reconnect: with probability failed / alive, join a random failed member. */
  private reconnect(draw: number, rng: { intInclusive(lo: number, hi: number): number }): void {
    const failed = this.ml.failed;
    if (failed.length === 0) return;
    const alive = Math.max(1, this.members - failed.length);
    if (draw > failed.length / alive) return;
    const target = failed[rng.intInclusive(0, failed.length - 1)] as string;
    this.ml.ep.host.record('serf.reconnect', { node: target });
    this.exchange(target);
  }
}
