import { describe, expect, it, vi } from 'vitest';
import { V2QuietClient, type V2QuietCycle } from '../src/models/nacos-v2/quiet-client.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';
import { Fingerprint } from '../src/sim/fingerprint.js';
import { QuietClients, type QuietSink } from '../src/sim/quiet.js';
import { RandomStreams } from '../src/sim/random.js';

/**
 * nacos-v2 quiet clients (src/models/nacos-v2/quiet-client.ts, quiet-handoff.ts): stepping idle
 * single-server clients outside the kernel makes a run faster, never different. Each scenario
 * runs both ways and the run JSON must be the same byte for byte — trace hash, line counts per
 * kind, event count, metrics. The expected number of quiet clients follows from the rules: every
 * client but c1 and those a fault names, when the slowest cycle (keep-alive + 499 ms sleep + two
 * worst latencies) stays under the ejector's 20 s idle limit and two worst latencies under the
 * 3 s health timeout; nobody when the scenario forbids it (a server fault).
 */
interface Case {
  readonly name: string;
  readonly file: ScenarioFile;
  readonly quiet: number;
}

const V2 = { model: 'nacos-v2' } as const;
const CASES: readonly Case[] = [
  ...[1, 2, 3].map((seed) => ({ name: `default settings, seed ${seed}`, file: { ...V2, seed, clients: 30, until: '10m' }, quiet: 29 })),
  { name: 'lan preset, subscribers see pushes', file: { ...V2, seed: 4, clients: 40, subscribers: 3, until: '4m', network: 'lan' }, quiet: 39 },
  {
    name: 'lognormal latency capped at 400 ms',
    file: { ...V2, seed: 5, clients: 25, until: '6m', set: { 'net.latency': 'lognormal:5ms/0.9/400ms' } },
    quiet: 24,
  },
  {
    name: 'fixed 3 ms latency, no subscriber',
    file: { ...V2, seed: 6, clients: 20, subscribers: 0, until: '3m', set: { 'net.latency': 'fixed:3ms' } },
    quiet: 19,
  },
  {
    name: 'PING keepalives of both ends fire again and again (30 s, 45 s)',
    file: {
      ...V2,
      seed: 7,
      clients: 20,
      until: '15m',
      set: { 'nacos.remote.client.grpc.channel.keep.alive': '30s', 'nacos.remote.server.grpc.sdk.keep-alive-time': '45s' },
    },
    quiet: 19,
  },
  { name: "the client's SO_KEEPALIVE fires (2 h idle time)", file: { ...V2, seed: 8, clients: 4, until: '150m' }, quiet: 3 },
  { name: 'c1 cut at 60 s', file: { ...V2, seed: 9, clients: 30, subscribers: 2, until: '8m', faults: ['cut@60s'] }, quiet: 29 },
  { name: "c1's replies blackholed at 30 s", file: { ...V2, seed: 10, clients: 20, subscribers: 1, until: '5m', faults: ['oneway:s2c@30s'] }, quiet: 19 },
  { name: 'c1 paused, then crashed', file: { ...V2, seed: 11, clients: 20, until: '5m', faults: ['pause@40s-80s', 'crash@100s'] }, quiet: 19 },
  { name: 'a rack cut names c3…c7', file: { ...V2, seed: 12, clients: 30, subscribers: 0, until: '5m', faults: ['rack-cut:c3..c7@40s-80s'] }, quiet: 24 },
  { name: 'a pair cut names c5', file: { ...V2, seed: 13, clients: 20, until: '4m', faults: ['cut:c5-s1@50s-90s'] }, quiet: 18 },
  { name: 'clients start over a minute', file: { ...V2, seed: 14, clients: 20, until: '5m', set: { 'sim.clientStartSpread': '60s' } }, quiet: 19 },
  { name: '2.0.0: one attempt, no sleep', file: { ...V2, seed: 15, clients: 20, until: '4m', clientVersion: '2.0.0', serverVersion: '2.0.0' }, quiet: 19 },
  {
    name: '2.3.0 with 5 retries (abilities, SetupAck)',
    file: { ...V2, seed: 16, clients: 20, until: '4m', clientVersion: '2.3.0', serverVersion: '2.3.0', set: { 'nacos.remote.client.grpc.health.retry': 5 } },
    quiet: 19,
  },
  {
    name: 'one retry: no sleep, 2 s keep-alive',
    file: {
      ...V2,
      seed: 17,
      clients: 20,
      until: '3m',
      set: { 'nacos.remote.client.grpc.health.retry': 1, 'nacos.remote.client.grpc.connect.keep.alive': '2s' },
    },
    quiet: 19,
  },
  // 19.5 s + 2 × 1 ms < 20 s: still quiet; 20 s is not, unless the release has no ejector (2.2.0-2.2.4).
  {
    name: '19 s keep-alive: just inside the idle limit',
    file: { ...V2, seed: 18, clients: 20, until: '4m', set: { 'nacos.remote.client.grpc.connect.keep.alive': '19s' } },
    quiet: 19,
  },
  {
    name: '20 s keep-alive: the ejector could probe, nobody quiet',
    file: { ...V2, seed: 19, clients: 10, until: '3m', set: { 'nacos.remote.client.grpc.connect.keep.alive': '20s' } },
    quiet: 0,
  },
  {
    name: '20 s keep-alive on a 2.2.0 server (no ejector)',
    file: { ...V2, seed: 19, clients: 10, until: '3m', serverVersion: '2.2.0', set: { 'nacos.remote.client.grpc.connect.keep.alive': '20s' } },
    quiet: 9,
  },
  {
    name: 'latency up to 2 s: a check may time out, nobody quiet',
    file: { ...V2, seed: 20, clients: 10, until: '3m', set: { 'net.latency': 'lognormal:1ms/1.6/2s' } },
    quiet: 0,
  },
  // The server's sockets set SO_KEEPALIVE (grpc-java NettyServer): with a 60 s tcp_keepalive_time its
  // timer fires about once a minute and only re-arms (a request arrives every ~5 s), replayed by the
  // stepper; at 8 s it is within two cycles of a check (5 s keep-alive + sleep + latencies), so nobody goes quiet.
  {
    name: "the server's SO_KEEPALIVE fires (tcp_keepalive_time 60 s)",
    file: { ...V2, seed: 22, clients: 10, until: '10m', set: { 'sim.server.net.ipv4.tcp_keepalive_time': '60s' } },
    quiet: 9,
  },
  {
    name: "the server's SO_KEEPALIVE at 8 s: within two cycles, nobody quiet",
    file: { ...V2, seed: 23, clients: 10, until: '3m', set: { 'sim.server.net.ipv4.tcp_keepalive_time': '8s' } },
    quiet: 0,
  },
  {
    name: 'a server fault: the scenario forbids quiet clients',
    file: { ...V2, seed: 21, clients: 10, until: '3m', faults: ['server-pause@60s-70s'] },
    quiet: 0,
  },
];

const runBoth = (file: ScenarioFile): { quiet: string; eager: string; adopted: number } => {
  const sc = resolveScenario(file);
  const adopt = vi.spyOn(QuietClients.prototype, 'adopt');
  try {
    const quiet = JSON.stringify(runScenario(sc, { trace: 'followed', quiet: true }).result);
    const adopted = adopt.mock.calls.length;
    adopt.mockRestore();
    return { quiet, eager: JSON.stringify(runScenario(sc, { trace: 'followed', quiet: false }).result), adopted };
  } finally {
    adopt.mockRestore();
  }
};

describe('nacos-v2 quiet clients: the same run, byte for byte', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.quiet} quiet client(s), identical run JSON`, () => {
      const r = runBoth(c.file);
      expect(r.adopted).toBe(c.quiet);
      expect(r.quiet).toBe(r.eager);
    });
  }
});

// ——— the stepper alone: the cycle by formula, and the envelope checks ———

const sinkOf = (): { sink: QuietSink; fp: Fingerprint; lines: Map<string, number>; events: () => number } => {
  const fp = new Fingerprint();
  const lines = new Map<string, number>();
  let events = 0;
  const sink: QuietSink = {
    fingerprint: fp,
    count: (kind, n) => lines.set(kind, (lines.get(kind) ?? 0) + n),
    events: (n) => {
      events += n;
    },
  };
  return { sink, fp, lines, events: () => events };
};

const S = 1_000_000;
const fixed = (us: number) => ({ latency: { kind: 'fixed', us } as const, rng: new RandomStreams(1).get('unused') });
const cycle = (over: Partial<V2QuietCycle> = {}): V2QuietCycle => ({
  client: 'c2',
  server: 's1',
  connectionId: 2,
  up: fixed(1000),
  down: fixed(1000),
  jitter: null,
  jitterMaxMs: 499,
  left: 2,
  keepAliveUs: 5 * S,
  healthTimeoutUs: 3 * S,
  idleLimitUs: 20 * S,
  handoffUs: 0,
  serverReadUs: -1000,
  serverActiveUs: -1000,
  clientTcp: null,
  clientPing: null,
  serverPing: null,
  serverTcp: null,
  ...over,
});

describe('nacos-v2 quiet stepper', () => {
  it('steps the cycle by formula: 4 events and 5 lines per health check, the period keep-alive + two latencies', () => {
    // Fixed 1 ms latency, no sleep, handoff at 0: the k-th check is sent at k·5.002 s − 2 ms and
    // answered 2 ms later; in 60 s that is 11 whole cycles (the 12th poll would be at 60.022 s).
    const { sink, lines, events, fp } = sinkOf();
    new V2QuietClient(cycle()).advanceTo(60 * S, sink);
    expect(events()).toBe(11 * 4);
    expect(lines.get('health-check.send')).toBe(11);
    expect(lines.get('request.recv')).toBe(11);
    expect(lines.get('net.send')).toBe(33);
    expect(fp.lines).toBe(55);
  });

  it('counts events exactly at the horizon and none after: horizon on the 3rd ack', () => {
    const { sink, events } = sinkOf();
    // 3rd ack lands at 3·5.002 s + 1 ms.
    new V2QuietClient(cycle()).advanceTo(3 * 5_002_000 + 1000, sink);
    expect(events()).toBe(12);
    const before = sinkOf();
    new V2QuietClient(cycle()).advanceTo(3 * 5_002_000 + 999, before.sink);
    expect(before.events()).toBe(11);
  });

  it("replays a PING timer's firings, the first one included (stopped in the kernel at the handoff)", () => {
    // Reads at k·5.002 s, PING idle time 30 s, first due at 10 s: each firing re-arms 30 s after the
    // last read before it — 10 (read 5.002), 35.002 (read 30.012), 60.012 (read 55.022), 85.022
    // (read 80.032), next 110.032: four firings within 100 s.
    const { sink, events } = sinkOf();
    new V2QuietClient(cycle({ clientPing: { dueUs: 10 * S, idleUs: 30 * S } })).advanceTo(100 * S, sink);
    const plain = sinkOf();
    new V2QuietClient(cycle()).advanceTo(100 * S, plain.sink);
    expect(events() - plain.events()).toBe(4);
  });

  it('SO_KEEPALIVE re-arms a whole idle time after a firing while the request is unacknowledged, else after the last packet', () => {
    // The first check is sent at 5 s and answered at 5.002 s; idle time 20 s.
    const extra = (dueUs: number, untilUs: number): number => {
      const withTimer = sinkOf();
      new V2QuietClient(cycle({ clientTcp: { dueUs, idleUs: 20 * S } })).advanceTo(untilUs, withTimer.sink);
      const plain = sinkOf();
      new V2QuietClient(cycle()).advanceTo(untilUs, plain.sink);
      return withTimer.events() - plain.events();
    };
    // Fires at 5.001 s with the request in flight: next at 25.001 s (not 5.002 + 20 = 25.002 s).
    expect(extra(5_001_000, 25_001_000)).toBe(2);
    expect(extra(5_001_000, 25_000_999)).toBe(1);
    // Due at the very send (5 s): it runs before the send, nothing is in flight, so next 20 s after the packet heard at 0.
    expect(extra(5 * S, 20 * S)).toBe(2);
    expect(extra(5 * S, 20 * S - 1)).toBe(1);
  });

  it('a PING timer due at the instant of a read runs before it (it was scheduled long before)', () => {
    // Due at 5.002 s, when the first answer is read: it still sees the read at 0, so next at 30 s, not
    // 35.002 s — two firings by 31 s (one if it saw the read: 5.002 s, then 35.002 s).
    const withTimer = sinkOf();
    new V2QuietClient(cycle({ clientPing: { dueUs: 5_002_000, idleUs: 30 * S } })).advanceTo(31 * S, withTimer.sink);
    const plain = sinkOf();
    new V2QuietClient(cycle()).advanceTo(31 * S, plain.sink);
    expect(withTimer.events() - plain.events()).toBe(2);
  });

  it('throws rather than print a wrong number when the envelope is left', () => {
    const step = (over: Partial<V2QuietCycle>) => () => new V2QuietClient(cycle(over)).advanceTo(60 * S, sinkOf().sink);
    expect(step({ up: fixed(1.5 * S), down: fixed(1.5 * S) })).toThrow(/health check would time out/);
    expect(step({ keepAliveUs: 19.9 * S, up: fixed(0.1 * S), down: fixed(0.1 * S) })).toThrow(/ejector would probe/);
    expect(step({ clientPing: { dueUs: 10 * S, idleUs: 4 * S } })).toThrow(/client would send a PING/);
    expect(step({ serverPing: { dueUs: 10 * S, idleUs: 4 * S } })).toThrow(/server would send a PING/);
    expect(step({ clientTcp: { dueUs: 10 * S, idleUs: 4 * S } })).toThrow(/keepalive probe/);
    const once = new V2QuietClient(cycle());
    once.advanceTo(10 * S, sinkOf().sink);
    expect(() => once.advanceTo(20 * S, sinkOf().sink)).toThrow(/stepped twice/);
  });
});
