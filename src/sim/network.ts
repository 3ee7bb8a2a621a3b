import type { Host } from './host.js';
import { type LatencySpec, sampleLatency } from './latency.js';
import type { RandomStream } from './random.js';
import type { Simulation } from './simulation.js';
import type { Micros } from './time.js';

/** A message on the wire. The network never looks inside `body`: it knows no protocol. */
export interface Datagram {
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  readonly body: unknown;
}

/**
 * What a rule says about one datagram: let the next rule decide, lose it silently (a
 * blackholed path), bounce it (an RST or ICMP answer reaches the sender), or deliver it late.
 */
export type Verdict =
  | { readonly action: 'pass' }
  | { readonly action: 'drop' }
  | { readonly action: 'reject' }
  | { readonly action: 'delay'; readonly extraUs: Micros };

export const PASS: Verdict = { action: 'pass' };
export const DROP: Verdict = { action: 'drop' };
export const REJECT: Verdict = { action: 'reject' };

/** An ordered network rule (a fault, a partition, a middlebox). The first non-pass verdict wins. */
export interface NetRule {
  readonly name: string;
  judge(from: string, to: string, nowUs: Micros, rng: RandomStream): Verdict;
}

export interface LinkSpec {
  readonly latency: LatencySpec;
  /** Probability that a datagram is lost, independent per datagram. */
  readonly loss: number;
}

/** One direction's latency spec and the stream `Network.send` draws it from (`latencyStream`). */
export interface LinkLatency {
  readonly latency: LatencySpec;
  readonly rng: RandomStream;
}

/** A bounced datagram comes back to its sender as this kind, with the original as body. */
export const REJECTED_KIND = 'net.rejected';

export type Receiver = (d: Datagram) => void;

/**
 * Watches the wire without touching it (a viewer's tap, e.g. `run --html`): each datagram with
 * its fate and, when sent, the time it arrives. It draws nothing and records nothing, so a run
 * with a tap has the same trace as one without.
 */
export type WireTap = (d: Datagram, fate: 'sent' | 'dropped' | 'rejected', sentUs: Micros, arriveUs: Micros | null) => void;

/** One direction's spec and random streams, looked up once per (from, to) and reused per datagram. */
interface LinkState {
  readonly spec: LinkSpec;
  readonly latencyRng: RandomStream;
  /** Null on a lossless link: `chance(0)` draws nothing, so the stream need not exist (≈ 0.5 KB each). */
  readonly lossRng: RandomStream | null;
  /** Created on first use: most links never meet a rule that draws. */
  faultRng: RandomStream | null;
}

export class Network {
  private readonly receivers = new Map<string, Receiver>();
  private readonly links = new Map<string, LinkSpec>();
  private readonly states = new Map<string, Map<string, LinkState>>();
  private readonly rules: NetRule[] = [];
  /** See `WireTap`; null: nobody watches. */
  tap: WireTap | null = null;

  constructor(
    private readonly sim: Simulation,
    private readonly defaultLink: LinkSpec,
  ) {}

  attach(host: Host, receiver: Receiver): void {
    this.receivers.set(host.name, receiver);
  }

  setLink(from: string, to: string, spec: LinkSpec): void {
    this.links.set(`${from}>${to}`, spec);
    this.states.get(from)?.delete(to);
  }

  link(from: string, to: string): LinkSpec {
    return this.links.get(`${from}>${to}`) ?? this.defaultLink;
  }

  addRule(rule: NetRule): void {
    this.rules.push(rule);
  }

  /** Sends a datagram; returns what happened to it at the sender's side of the wire. */
  send(from: string, to: string, kind: string, body: unknown): 'sent' | 'dropped' | 'rejected' {
    const d: Datagram = { from, to, kind, body };
    const now = this.sim.now();
    const state = this.state(from, to);
    let extraUs = 0;
    for (const rule of this.rules) {
      state.faultRng ??= this.sim.rng(`net.fault:${from}>${to}`);
      const v = rule.judge(from, to, now, state.faultRng);
      if (v.action === 'pass') continue;
      if (v.action === 'drop') return this.fate(d, 'dropped');
      if (v.action === 'reject') {
        this.bounce(d);
        return this.fate(d, 'rejected');
      }
      extraUs = v.extraUs;
      break;
    }
    if (state.lossRng?.chance(state.spec.loss) === true) return this.fate(d, 'dropped');
    const latencyUs = sampleLatency(state.spec.latency, state.latencyRng) + extraUs;
    this.sim.schedule(latencyUs, this.deliver, d);
    return this.fate(d, 'sent', now + Math.round(latencyUs));
  }

  /**
   * The latency spec and stream of one direction, for a quiet client's stepper (`quiet.ts`): it
   * draws the same latencies from the same stream as `send` would. Only valid on a link no rule
   * and no loss acts on, which the scenario checks before it allows quiet clients.
   */
  latencyStream(from: string, to: string): LinkLatency {
    const state = this.state(from, to);
    return { latency: state.spec.latency, rng: state.latencyRng };
  }

  private state(from: string, to: string): LinkState {
    let byTo = this.states.get(from);
    if (byTo === undefined) {
      byTo = new Map();
      this.states.set(from, byTo);
    }
    let state = byTo.get(to);
    if (state === undefined) {
      const spec = this.link(from, to);
      state = {
        spec,
        latencyRng: this.sim.rng(`net.latency:${from}>${to}`),
        lossRng: spec.loss > 0 ? this.sim.rng(`net.loss:${from}>${to}`) : null,
        faultRng: null,
      };
      byTo.set(to, state);
    }
    return state;
  }

  private fate(d: Datagram, fate: 'sent' | 'dropped' | 'rejected', arriveUs: Micros | null = null): 'sent' | 'dropped' | 'rejected' {
    this.tap?.(d, fate, this.sim.now(), arriveUs);
    this.sim.record('net.send', d.from, { to: d.to, kind: d.kind, fate });
    return fate;
  }

  /** The reject travels back over the reverse direction's base latency (an RST or ICMP answer). */
  private bounce(d: Datagram): void {
    const back = this.state(d.to, d.from);
    const latencyUs = sampleLatency(back.spec.latency, back.latencyRng);
    this.sim.schedule(latencyUs, this.deliver, { from: d.to, to: d.from, kind: REJECTED_KIND, body: d });
  }

  private readonly deliver = (arg: unknown): void => {
    const d = arg as Datagram;
    this.receivers.get(d.to)?.(d);
  };
}
