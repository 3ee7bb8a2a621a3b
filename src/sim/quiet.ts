import type { Fingerprint } from './fingerprint.js';
import type { Micros } from './time.js';
import type { Trace } from './trace.js';

/**
 * Quiet clients: the many clients of a large run that nothing but their own heartbeat ever
 * touches, stepped outside the kernel.
 *
 * At 100,000 clients × 1 h a run is ~360 million events, almost all of them the same five-event
 * exchange repeated by clients no fault reaches. A quiet client's future is a function of its
 * own random streams alone (every link has its own latency stream, `network.ts`), so a model
 * may hand such a client, once it is in its steady state, to a stepper that replays that
 * exchange in a tight loop — the same draws from the same streams, the same lines at the same
 * microseconds into the trace fingerprint, the same count of kernel events — without the event
 * queue, closures or text. The results are byte-identical to stepping it event by event
 * (`test/quiet-clients.test.ts` runs both ways); the run only gets faster.
 *
 * Who may be quiet is decided twice. The scenario (`quietEligibility` in src/scenario/run.ts)
 * allows it only where nothing could tell the difference: no listener or retention reads other
 * clients' lines, one server of infinite capacity, a lossless network, and no fault that touches
 * that client or a server. The model then hands a client over only at a point where its whole
 * state is the next timer, and only when its settings keep it inside an envelope where the
 * server can never judge it (beat timeout, ejector) — and the stepper checks that envelope on
 * every cycle, throwing if it is ever left, rather than print a wrong number.
 */
export interface QuietSink {
  /**
   * Where a stepper's lines go: straight into the trace's fingerprint (`fingerprint.add(t, rest)`,
   * rest = `hashRest` of `<host> <kind>[ <data>]`, computed once per kind of line), with the lines
   * per kind reported once, through `count`.
   */
  readonly fingerprint: Fingerprint;
  count(kind: string, lines: number): void;
  /** Kernel events the event-by-event run would have executed (message deliveries, timers). */
  events(count: number): void;
}

export interface QuietStepper {
  /**
   * Steps through every event at or before `untilUs` (events exactly at the horizon run, as in the
   * kernel). Called once, at the run's horizon: nothing in the run reads a quiet client before then.
   */
  advanceTo(untilUs: Micros, sink: QuietSink): void;
}

export class QuietClients {
  private readonly steppers: QuietStepper[] = [];
  private eventCount = 0;
  private readonly sink: QuietSink;

  constructor(
    trace: Trace,
    private readonly allowed: (client: string) => boolean,
  ) {
    this.sink = {
      fingerprint: trace.quietFingerprint,
      count: (kind, lines) => trace.countQuiet(kind, lines),
      events: (count) => {
        this.eventCount += count;
      },
    };
  }

  /** May the model hand client `name` over? (The model adds its own conditions.) */
  allows(name: string): boolean {
    return this.allowed(name);
  }

  adopt(stepper: QuietStepper): void {
    this.steppers.push(stepper);
  }

  /** How many clients are quiet. */
  get size(): number {
    return this.steppers.length;
  }

  /** Steps every quiet client to the horizon; returns the kernel events they stand for. */
  finish(horizonUs: Micros): number {
    for (const s of this.steppers) s.advanceTo(horizonUs, this.sink);
    return this.eventCount;
  }
}
