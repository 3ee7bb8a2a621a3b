import { describe, expect, it } from 'vitest';
import { Endpoint } from './endpoint.js';
import { Host } from './host.js';
import { HttpClient, type HttpHandler, type HttpResult, HttpServer } from './http.js';
import { DROP, Network, PASS, REJECT } from './network.js';
import { Simulation } from './simulation.js';
import { rtoMs } from './tcp-defaults.js';

const ONE_WAY = 1_000; // fixed one-way latency, µs
const RTT = 2 * ONE_WAY;
const TIMEOUTS = { connectTimeoutUs: 3_000_000, readTimeoutUs: 50_000_000 };

/** Client c and server s over a network with a fixed one-way latency; the handler answers at once by default. */
const world = (handler: HttpHandler = (_from, body, reply) => reply({ echo: body })) => {
  const sim = new Simulation(1);
  const net = new Network(sim, { latency: { kind: 'fixed', us: ONE_WAY }, loss: 0 });
  const cEp = new Endpoint(new Host(sim, 'c'), net);
  const sEp = new Endpoint(new Host(sim, 's'), net);
  const client = new HttpClient(cEp);
  new HttpServer(sEp, handler);
  const results: [number, HttpResult][] = [];
  const call = (atUs = 0, timeouts = TIMEOUTS) => sim.at(atUs, () => client.request('s', 'ping', timeouts, (r) => results.push([sim.now(), r])));
  const probe = (atUs: number, timeoutUs: number) => sim.at(atUs, () => client.probe('s', timeoutUs, (r) => results.push([sim.now(), r])));
  return { sim, net, c: cEp.host, s: sEp.host, call, probe, results };
};

describe('http over the simulated network', () => {
  it('a request takes a handshake round trip plus a request round trip', () => {
    const w = world();
    w.call(0);
    w.sim.run(100_000_000);
    expect(w.results).toEqual([[2 * RTT, { ok: true, body: { echo: 'ping' } }]]);
  });

  it('a blackholed path fails with connect-timeout exactly at the connect timeout', () => {
    const w = world();
    w.net.addRule({ name: 'cut', judge: () => DROP });
    w.call(1_000);
    w.sim.run(100_000_000);
    expect(w.results).toEqual([[1_000 + TIMEOUTS.connectTimeoutUs, { ok: false, error: 'connect-timeout' }]]);
  });

  it('a dead server process is refused at once: its OS resets the handshake', () => {
    const w = world();
    w.sim.at(0, () => w.s.crash());
    w.call(1_000);
    w.sim.run(100_000_000);
    expect(w.results).toEqual([[1_000 + RTT, { ok: false, error: 'refused' }]]);
  });

  it('a rejecting path (RST / ICMP from the network) refuses the connection', () => {
    const w = world();
    w.net.addRule({ name: 'reject', judge: (from) => (from === 'c' ? REJECT : PASS) });
    w.call(0);
    w.sim.run(100_000_000);
    // The bounce comes back over the reverse direction's latency from the moment of sending.
    expect(w.results).toEqual([[ONE_WAY, { ok: false, error: 'refused' }]]);
  });

  it('a server that never answers fails with read-timeout after the handshake plus the read timeout', () => {
    const w = world(() => undefined);
    w.call(0);
    w.sim.run(100_000_000);
    expect(w.results).toEqual([[RTT + TIMEOUTS.readTimeoutUs, { ok: false, error: 'read-timeout' }]]);
  });

  it('a path blackholed after the handshake fails with read-timeout, not connect-timeout', () => {
    const w = world();
    // Drop everything from the moment the request is sent (after one RTT).
    w.net.addRule({ name: 'late cut', judge: (_f, _t, now) => (now >= RTT ? DROP : PASS) });
    w.call(0);
    w.sim.run(100_000_000);
    expect(w.results).toEqual([[RTT + TIMEOUTS.readTimeoutUs, { ok: false, error: 'read-timeout' }]]);
  });

  it('a server that dies between the handshake and the request resets the connection', () => {
    const w = world();
    w.sim.at(ONE_WAY + 1, () => w.s.crash()); // after answering the SYN, before the request arrives
    w.call(0);
    w.sim.run(100_000_000);
    expect(w.results).toEqual([[2 * RTT, { ok: false, error: 'reset' }]]);
  });

  it('a frozen server still completes the TCP handshake (its OS answers) and answers the request when it resumes', () => {
    const w = world();
    w.sim.at(0, () => w.s.pause());
    w.sim.at(10_000_000, () => w.s.resume());
    w.probe(0, 500_000);
    w.call(0);
    w.sim.run(100_000_000);
    expect(w.results).toEqual([
      [RTT, { ok: true, body: undefined }], // the probe: handshake only
      [10_000_000 + ONE_WAY, { ok: true, body: { echo: 'ping' } }],
    ]);
  });

  it('a server frozen past the read timeout makes the request time out, and the late answer is ignored', () => {
    const w = world();
    w.sim.at(0, () => w.s.pause());
    w.sim.at(60_000_000, () => w.s.resume());
    w.call(0);
    w.sim.run(100_000_000);
    expect(w.results).toEqual([[RTT + TIMEOUTS.readTimeoutUs, { ok: false, error: 'read-timeout' }]]);
  });

  it('a probe on a blackholed path fails with connect-timeout at its timeout', () => {
    const w = world();
    w.net.addRule({ name: 'cut', judge: () => DROP });
    w.probe(0, 500_000);
    w.sim.run(100_000_000);
    expect(w.results).toEqual([[500_000, { ok: false, error: 'connect-timeout' }]]);
  });

  it('a paused client learns the outcome only when it resumes; a dead client never does', () => {
    const paused = world();
    paused.sim.at(1, () => paused.c.pause());
    paused.sim.at(20_000, () => paused.c.resume());
    paused.call(0);
    paused.sim.run(100_000_000);
    // The kernel completes the handshake, but writing the request is the frozen process's job:
    // it goes out at the resume, and the answer comes one round trip later.
    expect(paused.results).toEqual([[20_000 + RTT, { ok: true, body: { echo: 'ping' } }]]);

    const dead = world();
    dead.sim.at(1, () => dead.c.crash());
    dead.call(0);
    dead.sim.run(100_000_000);
    expect(dead.results).toEqual([]);
  });

  it('a client that dies with a request in flight never hears of it, even when the server resets it', () => {
    const w = world();
    w.call(0);
    w.sim.at(RTT + 1, () => {
      w.s.crash(); // the request (sent at one RTT) will be answered with RST…
      w.c.crash(); // …to a client that is already dead
    });
    w.sim.run(100_000_000);
    expect(w.results).toEqual([]);
  });
});

describe('http keep-alive (the JDK HttpURLConnection cache)', () => {
  const KA = { idleUs: 60_000_000, maxIdle: 5, maxRequests: 3 };
  const kaWorld = (keepAlive = KA) => {
    const sim = new Simulation(1);
    const net = new Network(sim, { latency: { kind: 'fixed', us: ONE_WAY }, loss: 0 });
    const cEp = new Endpoint(new Host(sim, 'c'), net);
    const sEp = new Endpoint(new Host(sim, 's'), net);
    const client = new HttpClient(cEp, { keepAlive, retryOnceOnReset: true });
    new HttpServer(sEp, (_from, body, reply) => reply({ echo: body }));
    const results: [number, HttpResult][] = [];
    const call = (atUs: number) => sim.at(atUs, () => client.request('s', 'ping', TIMEOUTS, (r) => results.push([sim.now(), r])));
    return { sim, net, s: sEp.host, call, results };
  };
  const OK = { ok: true, body: { echo: 'ping' } };

  it('a request on a kept connection skips the handshake: one round trip instead of two', () => {
    const w = kaWorld();
    w.call(0);
    w.call(10_000_000);
    w.sim.run(100_000_000);
    expect(w.results).toEqual([
      [2 * RTT, OK],
      [10_000_000 + RTT, OK],
    ]);
  });

  it('a connection idle longer than the limit is not used: the next request opens a new one', () => {
    const w = kaWorld();
    w.call(0);
    w.call(2 * RTT + KA.idleUs + 1); // idle 1 µs more than the limit (ClientVector.get: idle > nap)
    w.call(2 * RTT + KA.idleUs + 1 + 2 * RTT + KA.idleUs); // idle exactly the limit: still used
    w.sim.run(200_000_000);
    expect(w.results.map(([t]) => t)).toEqual([2 * RTT, 2 * RTT + KA.idleUs + 1 + 2 * RTT, 2 * (2 * RTT + KA.idleUs) + 1 + RTT]);
  });

  it('the server’s answer to its maxRequests-th request closes the connection', () => {
    const w = kaWorld();
    for (let i = 0; i < 4; i++) w.call(i * 1_000_000);
    w.sim.run(100_000_000);
    // Requests 1 (new), 2, 3 (kept; the 3rd answer says close), 4 (new).
    expect(w.results.map(([t]) => t)).toEqual([2 * RTT, 1_000_000 + RTT, 2_000_000 + RTT, 3_000_000 + 2 * RTT]);
  });

  it('a cut that heals while a request waits on a kept connection: answered after the first retransmission past the heal', () => {
    const w = kaWorld();
    const sentUs = 1_000_000;
    const cutUs = 500_000;
    const healUs = 6_000_000;
    w.net.addRule({ name: 'cut', judge: (_f, _t, now) => (now >= cutUs && now < healUs ? DROP : PASS) });
    w.call(0);
    w.call(sentUs);
    w.sim.run(100_000_000);
    // Retransmissions 200 ms · 2^k apart (rtoMs): at +0.2, +0.6, +1.4, +3.0, +6.2 s; +6.2 s is the first past the heal.
    let k = 0;
    let at = sentUs;
    while (at < healUs) at += 1000 * rtoMs(k++);
    expect(at).toBe(sentUs + 6_200_000);
    expect(w.results).toEqual([
      [2 * RTT, OK],
      [at + RTT, OK],
    ]);
  });

  it('a cut longer than the read timeout discards the kept connection; the next request opens a new one', () => {
    const w = kaWorld();
    w.net.addRule({ name: 'cut', judge: (_f, _t, now) => (now >= 500_000 && now < 60_000_000 ? DROP : PASS) });
    w.call(0);
    w.call(1_000_000);
    w.call(70_000_000);
    w.sim.run(200_000_000);
    expect(w.results).toEqual([
      [2 * RTT, OK],
      [1_000_000 + TIMEOUTS.readTimeoutUs, { ok: false, error: 'read-timeout' }],
      [70_000_000 + 2 * RTT, OK],
    ]);
  });

  it('a kept connection to a server that died: reset, then one retry on a new connection, refused', () => {
    const w = kaWorld();
    w.call(0);
    w.sim.at(5_000_000, () => w.s.crash());
    w.call(10_000_000);
    w.sim.run(100_000_000);
    // The request is answered with RST (one round trip), the retry's SYN too (another).
    expect(w.results).toEqual([
      [2 * RTT, OK],
      [10_000_000 + 2 * RTT, { ok: false, error: 'refused' }],
    ]);
  });
});
