import fc from 'fast-check';
import { describe, it } from 'vitest';
import { Endpoint } from '../../src/sim/endpoint.js';
import { Host } from '../../src/sim/host.js';
import { DROP, Network, PASS } from '../../src/sim/network.js';
import { Simulation } from '../../src/sim/simulation.js';
import { type CloseReason, type StreamConn, type StreamHandler, StreamNet, type StreamOptions, type StreamState } from '../../src/sim/stream.js';
import { assertProperty, propsRuns, suiteTitle, timeoutFor } from '../harness.js';

/**
 * Claim: whatever the processes do (write, close, abort, drop, pause, resume, crash), whatever the
 * path does (blackholes either way, loss, a reset on the path) and whatever keepalives the sockets
 * set, each connection end
 *   - never trips an invariant (stream-conn.ts asserts its transitions and its timers),
 *   - only moves forward: connecting/syn-received → open → closing → closed, skipping allowed
 *     (observed here independently, by sampling the state before and after every action),
 *   - has no timer armed once closed,
 *   - tells its process of a close at most once, with the reason it recorded.
 * The processes' actions come in random order at random times, so the suite reaches transitions
 * no hand-written case does (close while connecting, a reset while closing, a PING timeout while paused).
 */
const RUNS = propsRuns(150, 20_000);
const S = 1_000_000;
const MS = 1_000;
const HORIZON_US = 1_200 * S;

const RANK: Record<StreamState, number> = { connecting: 0, 'syn-received': 0, open: 1, closing: 2, closed: 3 };

type Side = 'c' | 's';
type Op = 'write' | 'close' | 'abort' | 'drop' | 'pause' | 'resume' | 'crash' | 'cut-c>s' | 'cut-s>c' | 'heal' | 'reset';
interface Action {
  readonly atMs: number;
  readonly side: Side;
  readonly op: Op;
}
interface Case {
  readonly latencyMs: number;
  readonly loss: number;
  readonly retries2: number;
  readonly c: StreamOptions;
  readonly s: StreamOptions;
  readonly actions: readonly Action[];
}

const optionsArb: fc.Arbitrary<StreamOptions> = fc.record({
  tcpKeepalive: fc.oneof(
    fc.constant(undefined),
    fc.record({ idleMs: fc.integer({ min: 1_000, max: 60_000 }), intvlMs: fc.integer({ min: 500, max: 10_000 }), probes: fc.integer({ min: 1, max: 5 }) }),
  ),
  ping: fc.oneof(
    fc.constant(null),
    fc.record({ timeUs: fc.integer({ min: 1, max: 30 }).map((s) => s * S), timeoutUs: fc.integer({ min: 1, max: 10 }).map((s) => s * S) }),
  ),
});

const caseArb: fc.Arbitrary<Case> = fc.record({
  latencyMs: fc.integer({ min: 1, max: 300 }),
  loss: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.4, noNaN: true })),
  retries2: fc.integer({ min: 2, max: 8 }),
  c: optionsArb,
  s: optionsArb,
  actions: fc.array(
    fc.record({
      atMs: fc.integer({ min: 0, max: 600_000 }),
      side: fc.constantFrom<Side>('c', 's'),
      op: fc.constantFrom<Op>('write', 'write', 'write', 'close', 'abort', 'drop', 'pause', 'resume', 'crash', 'cut-c>s', 'cut-s>c', 'heal', 'reset'),
    }),
    { maxLength: 25 },
  ),
});

class Watch implements StreamHandler {
  readonly closes: CloseReason[] = [];
  onMessage(): void {}
  onClose(_conn: StreamConn, reason: CloseReason): void {
    this.closes.push(reason);
  }
}

const fail = (what: string, k: Case): never => {
  throw new Error(`${what}\n  case: ${JSON.stringify(k)}`);
};

const check = (k: Case): void => {
  const sim = new Simulation(1);
  const net = new Network(sim, { latency: { kind: 'fixed', us: k.latencyMs * MS }, loss: k.loss });
  const hosts = { c: new Host(sim, 'c'), s: new Host(sim, 's') };
  const cut = { 'c>s': false, 's>c': false };
  net.addRule({ name: 'cuts', judge: (from, to) => (cut[`${from}>${to}` as 'c>s' | 's>c'] ? DROP : PASS) });
  const streams = new StreamNet(sim, net);
  const stacks = {
    c: streams.stack(new Endpoint(hosts.c, net), { retries2: k.retries2 }),
    s: streams.stack(new Endpoint(hosts.s, net), { retries2: k.retries2 }),
  };
  const ends: { end: StreamConn; watch: Watch; ranks: number[] }[] = [];
  const track = (end: StreamConn): void => {
    const watch = new Watch();
    end.handler = watch;
    ends.push({ end, watch, ranks: [RANK[end.state]] });
  };
  stacks.s.listen((conn) => track(conn), k.s);
  const sample = (): void => {
    for (const e of ends) e.ranks.push(RANK[e.end.state]);
  };
  const endOf = (side: Side): StreamConn | undefined => ends.find((e) => e.end.local === side && e.end.state !== 'closed')?.end;
  track(stacks.c.connect('s', 10 * S, k.c, () => {}));
  for (const a of k.actions) {
    sim.at(a.atMs * MS, () => {
      sample();
      const end = endOf(a.side);
      const host = hosts[a.side];
      switch (a.op) {
        case 'write':
          end?.write(a.atMs);
          break;
        case 'close':
          end?.close();
          break;
        case 'abort':
          end?.abort();
          break;
        case 'drop':
          end?.drop();
          break;
        case 'pause':
          host.pause();
          break;
        case 'resume':
          host.resume();
          break;
        case 'crash':
          host.crash();
          stacks[a.side].crash();
          break;
        case 'cut-c>s':
          cut['c>s'] = true;
          break;
        case 'cut-s>c':
          cut['s>c'] = true;
          break;
        case 'heal':
          cut['c>s'] = false;
          cut['s>c'] = false;
          break;
        case 'reset':
          streams.resetBetween('c', 's');
          break;
      }
      sample();
    });
  }
  sim.run(HORIZON_US);
  sample();
  for (const { end, watch, ranks } of ends) {
    const name = `${end.local}'s end of connection ${end.id}`;
    for (let i = 1; i < ranks.length; i++)
      if ((ranks[i] as number) < (ranks[i - 1] as number)) fail(`${name} went back to an earlier state (ranks ${ranks.join(',')})`, k);
    if (end.state === 'closed' && end.timersArmed()) fail(`${name} is closed with a timer armed`, k);
    if (watch.closes.length > 1) fail(`${name} told its process of ${watch.closes.length} closes (${watch.closes.join(', ')})`, k);
    if (watch.closes.length === 1 && watch.closes[0] !== end.closeReason) fail(`${name} told '${watch.closes[0]}' but recorded '${end.closeReason}'`, k);
  }
};

describe(suiteTitle('stream connection ends move only forward, trip no invariant and hold no timer once closed', RUNS), () => {
  it('random process actions, path faults and keepalives', { timeout: timeoutFor(RUNS, 20) }, () => {
    assertProperty(
      fc.property(caseArb, (k) => {
        check(k);
      }),
      RUNS,
    );
  });
});
