import { describe, expect, it } from 'vitest';
import { Endpoint } from './endpoint.js';
import { Host } from './host.js';
import { DROP, Network, PASS } from './network.js';
import { Simulation } from './simulation.js';
import { type CloseReason, type StreamConn, type StreamHandler, StreamNet, type StreamStack } from './stream.js';
import { type ProxyIdleAction, TcpProxy } from './tcp-proxy.js';
import type { Micros } from './time.js';

// Three hosts c — p — s, every link 1 ms one way; p runs the proxy, s echoes and records.
const S = 1_000_000;
const MS = 1_000;
const LATENCY_US = MS;

class Recorder implements StreamHandler {
  readonly messages: { t: Micros; m: unknown }[] = [];
  closed: { t: Micros; reason: CloseReason } | null = null;
  constructor(
    private readonly host: Host,
    private readonly echo = false,
  ) {}
  onMessage(conn: StreamConn, message: unknown): void {
    this.messages.push({ t: this.host.now(), m: message });
    if (this.echo) conn.write(`echo:${String(message)}`);
  }
  onClose(_conn: StreamConn, reason: CloseReason): void {
    this.closed = { t: this.host.now(), reason };
  }
}

interface World {
  readonly sim: Simulation;
  readonly net: Network;
  readonly cStack: StreamStack;
  readonly proxy: TcpProxy;
  readonly c: Host;
  readonly s: Host;
  readonly server: Recorder;
  serverEnd: StreamConn | null;
}

const world = (idleUs: Micros, onIdle: ProxyIdleAction, serverPing: { timeUs: Micros; timeoutUs: Micros } | null = null): World => {
  const sim = new Simulation(1);
  const net = new Network(sim, { latency: { kind: 'fixed', us: LATENCY_US }, loss: 0 });
  const streams = new StreamNet(sim, net);
  const c = new Host(sim, 'c');
  const p = new Host(sim, 'p');
  const s = new Host(sim, 's');
  const cStack = streams.stack(new Endpoint(c, net));
  const proxy = new TcpProxy(streams.stack(new Endpoint(p, net)), { upstreams: ['s'], idleTimeoutUs: idleUs, onIdle, connectTimeoutUs: 60 * S });
  const server = new Recorder(s, true);
  const w: World = { sim, net, cStack, proxy, c, s, server, serverEnd: null };
  streams.stack(new Endpoint(s, net)).listen(
    (conn) => {
      conn.handler = server;
      w.serverEnd = conn;
    },
    { ping: serverPing },
  );
  return w;
};

const open = (w: World, handler: Recorder): { conn: StreamConn | null } => {
  const out: { conn: StreamConn | null } = { conn: null };
  w.cStack.connect('p', 10 * S, {}, (r) => {
    if (!r.ok) return;
    r.conn.handler = handler;
    out.conn = r.conn;
  });
  return out;
};

const cut = (net: Network, a: string, b: string, fromUs: Micros): void => {
  net.addRule({ name: `cut ${a}-${b}`, judge: (f, t, now) => (now >= fromUs && ((f === a && t === b) || (f === b && t === a)) ? DROP : PASS) });
};

describe('tcp proxy', () => {
  it('relays messages both ways over two connections: the server sees the proxy as its peer', () => {
    const w = world(600 * S, 'close');
    const client = new Recorder(w.c);
    const c = open(w, client);
    w.sim.at(10 * MS, () => c.conn?.write('hello'));
    w.sim.run(S);
    expect(w.server.messages.map((x) => x.m)).toEqual(['hello']);
    expect(w.serverEnd?.remote).toBe('p');
    // c→p 1 ms, p→s 1 ms, echo s→p 1 ms, p→c 1 ms.
    expect(w.server.messages[0]?.t).toBe(10 * MS + 2 * LATENCY_US);
    expect(client.messages).toEqual([{ t: 10 * MS + 4 * LATENCY_US, m: 'echo:hello' }]);
  });

  it('closes both legs with a FIN once idle for its timeout after the last byte, whatever the dead client leg does', () => {
    const idleUs = 600 * S;
    const w = world(idleUs, 'close');
    const client = new Recorder(w.c);
    const c = open(w, client);
    const lastWriteUs = 20 * MS;
    w.sim.at(lastWriteUs, () => c.conn?.write('last'));
    cut(w.net, 'c', 'p', 30 * MS);
    w.sim.run(700 * S);
    // The proxy's last byte is its relay of the echo at lastWrite + 3 ms; the FIN reaches s 1 ms after the timer.
    expect(w.server.closed).toEqual({ t: lastWriteUs + 3 * LATENCY_US + idleUs + LATENCY_US, reason: 'fin' });
    expect(client.closed).toBeNull(); // the client leg is cut: its FIN never arrives
    expect(w.proxy.openSessions).toBe(0);
  });

  it('a FIN on the client leg closes the server leg', () => {
    const w = world(600 * S, 'close');
    const c = open(w, new Recorder(w.c));
    w.sim.at(50 * MS, () => c.conn?.close());
    w.sim.run(S);
    expect(w.server.closed).toEqual({ t: 50 * MS + 2 * LATENCY_US, reason: 'fin' });
  });

  it('forgets an idle flow silently: neither end hears of it until it sends, and then it gets a reset', () => {
    const idleUs = 350 * S;
    const w = world(idleUs, 'forget');
    const client = new Recorder(w.c);
    const c = open(w, client);
    w.sim.at(10 * MS, () => c.conn?.write('a'));
    const laterUs = 400 * S;
    w.sim.at(laterUs, () => c.conn?.write('b'));
    w.sim.run(500 * S);
    expect(w.server.closed).toBeNull();
    expect(w.server.messages.map((x) => x.m)).toEqual(['a']);
    // 'b' lands at the proxy 1 ms later; the proxy's stale socket answers with an RST, back 1 ms later.
    expect(client.closed).toEqual({ t: laterUs + 2 * LATENCY_US, reason: 'reset' });
  });

  it("passes the server's keep-alive PING through to the client, which answers it: a dead client fails the server's PING", () => {
    const timeUs = 100 * S;
    const timeoutUs = 20 * S;
    const w = world(600 * S, 'close', { timeUs, timeoutUs });
    const c = open(w, new Recorder(w.c));
    w.sim.run(150 * S);
    // Answered end to end at 100 s (a PING the proxy answered itself would prove nothing): still open.
    expect(w.server.closed).toBeNull();
    expect(c.conn?.state).toBe('open');
    cut(w.net, 'c', 'p', 150 * S);
    w.sim.run(400 * S);
    // Last read by s: the PONG at about 100 s; next PING at ~200 s goes unanswered, closed 20 s later.
    expect(w.server.closed?.reason).toBe('ping-timeout');
    const t = w.server.closed?.t ?? 0;
    expect(t).toBeGreaterThan(200 * S + timeoutUs);
    expect(t).toBeLessThan(200 * S + timeoutUs + 10 * MS);
  });
});
