import { describe, expect, it } from 'vitest';
import { Endpoint, rejectedKind } from './endpoint.js';
import { Host } from './host.js';
import { DROP, type NetRule, Network, PASS, REJECT, type Verdict } from './network.js';
import { Simulation } from './simulation.js';

/** A small world: hosts a and b on a network whose every direction has a fixed latency. */
const world = (latencyUs = 1_000, loss = 0) => {
  const sim = new Simulation(1);
  const net = new Network(sim, { latency: { kind: 'fixed', us: latencyUs }, loss });
  const a = new Endpoint(new Host(sim, 'a'), net);
  const b = new Endpoint(new Host(sim, 'b'), net);
  const got: { at: number; host: string; kind: string; body: unknown }[] = [];
  const listen = (ep: Endpoint, kind: string) => ep.on(kind, (d) => got.push({ at: sim.now(), host: ep.name, kind: d.kind, body: d.body }));
  return { sim, net, a, b, got, listen };
};

const rule = (name: string, verdict: Verdict, seen?: string[]): NetRule => ({
  name,
  judge: () => {
    seen?.push(name);
    return verdict;
  },
});

const fates = (sim: Simulation) => sim.trace.events.filter((e) => e.kind === 'net.send').map((e) => e.data?.fate);

describe('network', () => {
  it('delivers after the link latency, in send order, and records each send', () => {
    const w = world(1_500);
    w.listen(w.b, 'm');
    w.sim.at(10, () => {
      w.a.send('b', 'm', 1);
      w.a.send('b', 'm', 2);
    });
    w.sim.run(1_000_000);
    expect(w.got).toEqual([
      { at: 1_510, host: 'b', kind: 'm', body: 1 },
      { at: 1_510, host: 'b', kind: 'm', body: 2 },
    ]);
    expect(fates(w.sim)).toEqual(['sent', 'sent']);
  });

  it('each direction has its own link', () => {
    const w = world(1_000);
    w.net.setLink('a', 'b', { latency: { kind: 'fixed', us: 7_000 }, loss: 0 });
    w.listen(w.a, 'm');
    w.listen(w.b, 'm');
    w.a.send('b', 'm', 'a>b');
    w.b.send('a', 'm', 'b>a');
    w.sim.run(1_000_000);
    expect(w.got.map((g) => [g.at, g.body])).toEqual([
      [1_000, 'b>a'],
      [7_000, 'a>b'],
    ]);
  });

  it('loss 1 drops every datagram, loss 0 none; a loss of 0.3 drops about 30 %', () => {
    for (const [loss, lo, hi] of [
      [1, 0, 0],
      [0, 1000, 1000],
      [0.3, 630, 770],
    ] as const) {
      const w = world(1_000, loss);
      let n = 0;
      w.b.on('m', () => n++);
      for (let i = 0; i < 1000; i++) w.a.send('b', 'm', i);
      w.sim.run(1_000_000);
      expect(n).toBeGreaterThanOrEqual(lo);
      expect(n).toBeLessThanOrEqual(hi);
    }
  });

  it('a blackholing rule (drop) loses the datagram silently: the sender gets nothing back', () => {
    const w = world();
    w.listen(w.b, 'm');
    w.listen(w.a, rejectedKind('m'));
    w.net.addRule(rule('cut', DROP));
    expect(w.a.send('b', 'm', 1)).toBe('dropped');
    w.sim.run(1_000_000);
    expect(w.got).toEqual([]);
    expect(fates(w.sim)).toEqual(['dropped']);
  });

  it('a rejecting rule bounces the datagram back to its sender over the reverse link', () => {
    const w = world(1_000);
    w.net.setLink('b', 'a', { latency: { kind: 'fixed', us: 3_000 }, loss: 0 });
    w.listen(w.b, 'm');
    w.listen(w.a, rejectedKind('m'));
    w.net.addRule(rule('rst', REJECT));
    expect(w.a.send('b', 'm', 42)).toBe('rejected');
    w.sim.run(1_000_000);
    // The receiver never sees it; the sender gets the original back after the b→a latency.
    expect(w.got).toEqual([{ at: 3_000, host: 'a', kind: 'm', body: 42 }]);
  });

  it('rules are asked in order and the first non-pass verdict wins', () => {
    const seen: string[] = [];
    const w = world(1_000);
    w.listen(w.b, 'm');
    w.net.addRule(rule('p1', PASS, seen));
    w.net.addRule(rule('slow', { action: 'delay', extraUs: 5_000 }, seen));
    w.net.addRule(rule('cut', DROP, seen));
    expect(w.a.send('b', 'm', 1)).toBe('sent');
    w.sim.run(1_000_000);
    expect(seen).toEqual(['p1', 'slow']);
    expect(w.got.map((g) => g.at)).toEqual([6_000]);

    const seen2: string[] = [];
    const w2 = world(1_000);
    w2.listen(w2.b, 'm');
    w2.net.addRule(rule('p1', PASS, seen2));
    w2.net.addRule(rule('cut', DROP, seen2));
    w2.net.addRule(rule('slow', { action: 'delay', extraUs: 5_000 }, seen2));
    expect(w2.a.send('b', 'm', 1)).toBe('dropped');
    w2.sim.run(1_000_000);
    expect(seen2).toEqual(['p1', 'cut']);
    expect(w2.got).toEqual([]);
  });

  it('a rule sees the sender, the receiver and the current time', () => {
    const w = world(1_000);
    w.listen(w.b, 'm');
    w.listen(w.a, 'm');
    // Blackhole only a→b, and only from t = 5 ms.
    w.net.addRule({ name: 'oneway', judge: (from, to, now) => (from === 'a' && to === 'b' && now >= 5_000 ? DROP : PASS) });
    w.sim.at(0, () => w.a.send('b', 'm', 'early'));
    w.sim.at(5_000, () => {
      w.a.send('b', 'm', 'late');
      w.b.send('a', 'm', 'back');
    });
    w.sim.run(1_000_000);
    expect(w.got.map((g) => g.body)).toEqual(['early', 'back']);
  });

  it('a datagram to a host with no endpoint, or of a kind nobody handles, vanishes without error', () => {
    const w = world();
    w.a.send('nobody', 'm', 1);
    w.a.send('b', 'unhandled', 1);
    expect(w.sim.run(1_000_000).reason).toBe('idle');
  });
});
