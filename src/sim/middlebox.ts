import type { Simulation } from './simulation.js';
import type { Micros } from './time.js';

/**
 * A stateful box on a path (a NAT or a load balancer): it knows a flow from the packet that
 * opened it and forgets it silently after `idleUs` without packets. A later packet of a
 * forgotten flow is dropped, or answered with a reset to its sender (`onForgotten`). Stream
 * connections ask it about every packet on the paths it sits on; it knows nothing else of them.
 */
export type ForgottenFlowAction = 'drop' | 'rst';

export interface MiddleboxSpec {
  readonly idleUs: Micros;
  readonly onForgotten: ForgottenFlowAction;
  /** The box is on the path between these two hosts (either direction). */
  crosses(a: string, b: string): boolean;
  /** From when the box is in the path (a flow opened earlier is unknown to it). */
  readonly fromUs: Micros;
  /** Until when (exclusive); null = to the end. */
  readonly untilUs: Micros | null;
  /** Name used in the trace (the fault text). */
  readonly name: string;
  /** The host whose paths the box sits on: where its fault.start is recorded when it first refuses an unknown flow. */
  readonly host: string;
}

interface Flow {
  readonly id: number;
  readonly a: string;
  readonly b: string;
  lastSeenUs: Micros;
  forgotten: boolean;
  timer: number;
  closed: boolean;
}

export type MiddleboxVerdict = 'pass' | 'drop' | 'rst';

export class Middlebox {
  private readonly flows = new Map<number, Flow>();
  /** The box has taken effect (a flow forgotten, or a flow it never saw refused): fault.start is in the trace. */
  private started = false;

  constructor(
    private readonly sim: Simulation,
    readonly spec: MiddleboxSpec,
  ) {}

  private inPath(from: string, to: string): boolean {
    const now = this.sim.now();
    return now >= this.spec.fromUs && (this.spec.untilUs === null || now < this.spec.untilUs) && this.spec.crosses(from, to);
  }

  /**
   * Judges one packet of flow `flowId` before it is sent. `opens` is true for the packet that
   * opens a flow (a SYN): it creates the state; any other packet needs known, fresh state.
   */
  judge(flowId: number, from: string, to: string, opens: boolean): MiddleboxVerdict {
    if (!this.inPath(from, to)) return 'pass';
    const flow = this.flows.get(flowId);
    if (flow === undefined) {
      if (opens) return 'pass';
      // A flow opened before the box came into the path is unknown to it: refused from the first packet.
      this.takesEffect(this.spec.host);
      return this.spec.onForgotten;
    }
    if (flow.forgotten) return this.spec.onForgotten;
    return 'pass';
  }

  /** The first time the box changes anything is when its fault starts. */
  private takesEffect(host: string): void {
    if (this.started) return;
    this.started = true;
    this.sim.record('fault.start', host, { fault: this.spec.name });
  }

  /** Records that a packet of the flow went through (after the network accepted it). */
  seen(flowId: number, from: string, to: string, opens: boolean): void {
    if (!this.inPath(from, to)) return;
    const now = this.sim.now();
    let flow = this.flows.get(flowId);
    if (flow === undefined) {
      if (!opens) return;
      flow = { id: flowId, a: from, b: to, lastSeenUs: now, forgotten: false, timer: -1, closed: false };
      this.flows.set(flowId, flow);
      this.arm(flow, now + this.spec.idleUs);
      return;
    }
    if (!flow.forgotten) flow.lastSeenUs = now;
  }

  /** The connection behind the flow is gone at both ends: the box lets its state go unremarked. */
  release(flowId: number): void {
    const flow = this.flows.get(flowId);
    if (flow === undefined) return;
    flow.closed = true;
    this.sim.cancel(flow.timer);
    this.flows.delete(flowId);
  }

  private arm(flow: Flow, atUs: Micros): void {
    flow.timer = this.sim.at(atUs, this.check, flow);
  }

  /** Idle check, re-armed lazily: one timer per idle period per flow, not one per packet. */
  private readonly check = (arg: unknown): void => {
    const flow = arg as Flow;
    if (flow.closed || flow.forgotten) return;
    const due = flow.lastSeenUs + this.spec.idleUs;
    if (due > this.sim.now()) {
      this.arm(flow, due);
      return;
    }
    flow.forgotten = true;
    const data = { fault: this.spec.name, flow: flow.id, a: flow.a, b: flow.b };
    // The first expiry (unless an unknown flow was refused earlier) is when this fault takes effect.
    this.takesEffect(flow.a);
    this.sim.record('middlebox.expire', flow.a, data);
  };
}
