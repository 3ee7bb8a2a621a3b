/**
 * livesim's side of each conformance case: the same steps on livesim's transport (src/sim), with
 * the same sysctls and a fixed one-way latency, timed on the simulation clock. Only public
 * transport API is used, as a protocol model would use it.
 */

import { resolveScenario, runScenario } from '../src/scenario/run.js';
import { Endpoint } from '../src/sim/endpoint.js';
import { Host } from '../src/sim/host.js';
import { DROP, Network, PASS } from '../src/sim/network.js';
import { Simulation } from '../src/sim/simulation.js';
import { type CloseReason, type StreamConn, type StreamHandler, StreamNet, type StreamOptions, type StreamStack } from '../src/sim/stream.js';
import type { TcpSysctls } from '../src/sim/tcp-settings.js';
import type { Micros } from '../src/sim/time.js';

const S = 1_000_000;
const HORIZON = 3_600 * S;

class Log implements StreamHandler {
  readonly messages: { t: Micros; m: unknown }[] = [];
  closed: { t: Micros; reason: CloseReason } | null = null;
  constructor(private readonly sim: Simulation) {}
  onMessage(_c: StreamConn, m: unknown): void {
    this.messages.push({ t: this.sim.now(), m });
  }
  onClose(_c: StreamConn, reason: CloseReason): void {
    this.closed = { t: this.sim.now(), reason };
  }
}

interface World {
  readonly sim: Simulation;
  readonly net: Network;
  readonly c: Host;
  readonly s: Host;
  readonly cStack: StreamStack;
  readonly sStack: StreamStack;
  readonly cLog: Log;
  readonly sLog: Log;
  client: StreamConn | null;
  server: StreamConn | null;
}

const world = (oneWayUs: Micros, sysctls: Partial<TcpSysctls>): World => {
  const sim = new Simulation(1);
  const net = new Network(sim, { latency: { kind: 'fixed', us: oneWayUs }, loss: 0 });
  const c = new Host(sim, 'c');
  const s = new Host(sim, 's');
  const streams = new StreamNet(sim, net);
  return {
    sim,
    net,
    c,
    s,
    cStack: streams.stack(new Endpoint(c, net), sysctls),
    sStack: streams.stack(new Endpoint(s, net), sysctls),
    cLog: new Log(sim),
    sLog: new Log(sim),
    client: null,
    server: null,
  };
};

/** Drops every packet from → to from `atUs` on (the INPUT drop in `to`'s namespace). */
const cut = (w: World, from: string, to: string, atUs: Micros): void => {
  w.net.addRule({ name: `cut ${from}>${to}`, judge: (f, t, now) => (f === from && t === to && now >= atUs ? DROP : PASS) });
};

/** Opens c → s and exchanges one message each way (the RTT estimator has its samples), as the real case does. */
const opened = (w: World, cOpts: StreamOptions = {}): World => {
  w.sStack.listen((conn) => {
    conn.handler = w.sLog;
    w.server = conn;
  }, {});
  const conn = w.cStack.connect('s', 60 * S, cOpts, () => undefined);
  conn.handler = w.cLog;
  w.client = conn;
  w.sim.run(S / 2);
  w.client.write('hello');
  w.sim.run(S);
  w.server?.write('ok');
  w.sim.run(1.5 * S);
  return w;
};

const sec = (us: Micros): number => us / S;
const closedAt = (log: Log, what: string): number => {
  if (log.closed === null) throw new Error(`livesim: ${what} never closed`);
  return log.closed.t;
};

/** §1: an unacknowledged write over a cut path, until the sender gives up (s from the write). */
export const unackedWriteGiveUp = (retries2: number, oneWayUs: Micros): number => {
  const w = opened(world(oneWayUs, { retries2 }));
  const t0 = 2 * S;
  cut(w, 'c', 's', t0 - S / 5);
  w.sim.at(t0, () => w.client?.write('x'.repeat(100)));
  w.sim.run(HORIZON);
  return sec(closedAt(w.cLog, 'the writer') - t0);
};

/** §2: idle keepalive (by default idle 2 s, interval 1 s, 3 probes), cut `cutAfterMs` after the last data; s from the last data. */
export const keepaliveGiveUp = (cutAfterMs: number, oneWayUs: Micros, keepalive = { idleMs: 2000, intvlMs: 1000, probes: 3 }): number => {
  const w = opened(world(oneWayUs, {}), { tcpKeepalive: keepalive });
  const last = w.cLog.messages.at(-1)?.t ?? 0;
  cut(w, 'c', 's', last + cutAfterMs * 1000);
  w.sim.run(HORIZON);
  return sec(closedAt(w.cLog, 'the keepalive socket') - last);
};

export interface OneWay {
  readonly delivered: number;
  readonly clientGiveUpS: number;
  readonly serverGiveUpS: number;
}

/**
 * A one-way drop server → client (INPUT drop in the client's namespace); the client then writes
 * one line a second, the server echoes each line it reads. Which lines reach the server, and when
 * each side gives up (client: from its first write; server: from reading the first line).
 */
export const onewayServerToClient = (retries2: number, oneWayUs: Micros, lines: number): OneWay => {
  const w = opened(world(oneWayUs, { retries2 }));
  const t0 = 2 * S;
  cut(w, 's', 'c', t0 - S / 5);
  for (let i = 0; i < lines; i++) w.sim.at(t0 + i * S, () => w.client?.write(`m${i}`));
  const seen = w.sLog.messages.length;
  const echo = {
    onMessage: (c: StreamConn, m: unknown) => {
      w.sLog.onMessage(c, m);
      c.write(m);
    },
    onClose: (c: StreamConn, r: CloseReason) => w.sLog.onClose(c, r),
  };
  if (w.server) w.server.handler = echo;
  w.sim.run(HORIZON);
  const got = w.sLog.messages.slice(seen);
  const firstRead = got[0]?.t;
  if (firstRead === undefined) throw new Error('livesim: no line reached the server');
  return { delivered: got.length, clientGiveUpS: sec(closedAt(w.cLog, 'the client') - t0), serverGiveUpS: sec(closedAt(w.sLog, 'the server') - firstRead) };
};

/** §4: kill -9 of the client process; what the peer sees and how long after the kill (ms). */
export const kill9 = (unread: boolean, oneWayUs: Micros): { readonly kind: 'fin' | 'rst'; readonly afterMs: number } => {
  const w = opened(world(oneWayUs, {}));
  const t0 = 3 * S;
  // Unread data: the process stopped reading (paused) before the server's write arrived.
  if (unread) w.c.pause();
  w.sim.at(t0 - S / 2, () => w.server?.write('unread'));
  w.sim.at(t0, () => {
    w.cStack.crash();
    w.c.crash();
  });
  w.sim.run(HORIZON);
  const closed = w.sLog.closed;
  if (closed === null) throw new Error('livesim: the peer never heard of the kill');
  return { kind: closed.reason === 'reset' ? 'rst' : 'fin', afterMs: (closed.t - t0) / 1000 };
};

/** §1b: connect() under a cut with tcp_syn_retries = n; s until it fails. */
export const synGiveUp = (synRetries: number, oneWayUs: Micros): number => {
  const w = world(oneWayUs, { synRetries });
  w.sStack.listen(() => undefined, {});
  cut(w, 'c', 's', 0);
  let failedAt: Micros | null = null;
  w.cStack.connect('s', HORIZON, {}, (r) => {
    if (!r.ok) failedAt = w.sim.now();
  });
  w.sim.run(HORIZON);
  if (failedAt === null) throw new Error('livesim: connect never failed');
  return sec(failedAt);
};

/**
 * §5: the nacos-v2 model's client (RpcClient at 2.2.3, no jitter) with the given health settings,
 * cut between two checks; s from the last good check (its answer, one round trip after the send)
 * until the client declares the connection unhealthy.
 */
export const grpcHealth = (keepAliveMs: number, timeoutMs: number, retry: number, oneWayUs: Micros): number => {
  const cutUs = 60 * S;
  const out = runScenario(
    resolveScenario({
      model: 'nacos-v2',
      clientVersion: '2.2.3',
      until: '120s',
      set: {
        'nacos.remote.client.grpc.connect.keep.alive': keepAliveMs,
        'nacos.remote.client.grpc.health.timeout': timeoutMs,
        'nacos.remote.client.grpc.health.retry': retry,
        'net.latency': `fixed:${oneWayUs}us`,
      },
      faults: [`cut@${cutUs}us`],
    }),
  );
  const mine = out.trace.filter((e) => e.host === 'c1');
  const lastGood = mine.filter((e) => e.kind === 'health-check.send' && e.t + 2 * oneWayUs < cutUs).at(-1);
  const detected = mine.find((e) => e.kind === 'client.detected');
  if (lastGood === undefined || detected === undefined) throw new Error('livesim: no health check or no detection');
  return sec(detected.t - (lastGood.t + 2 * oneWayUs));
};
