import { describe, expect, it } from 'vitest';
import { Endpoint } from './endpoint.js';
import { Host } from './host.js';
import { Network } from './network.js';
import { Simulation } from './simulation.js';

const setup = () => {
  const sim = new Simulation(1);
  const host = new Host(sim, 'h');
  const log: [number, string][] = [];
  const note = (what: string) => () => log.push([sim.now(), what]);
  return { sim, host, log, note };
};

describe('host process', () => {
  it('a running host runs its timers on time', () => {
    const { sim, host, log, note } = setup();
    host.schedule(2_000, note('t2'));
    host.schedule(1_000, note('t1'));
    sim.run(10_000);
    expect(log).toEqual([
      [1_000, 't1'],
      [2_000, 't2'],
    ]);
  });

  it('a paused host defers timers that come due, then runs them at resume in their original order', () => {
    const { sim, host, log, note } = setup();
    host.schedule(1_000, note('t1'));
    host.schedule(3_000, note('t3'));
    host.schedule(2_000, note('t2'));
    host.schedule(9_000, note('t9'));
    sim.at(500, () => host.pause());
    sim.at(5_000, () => host.resume());
    sim.run(20_000);
    expect(log).toEqual([
      [5_000, 't1'],
      [5_000, 't2'],
      [5_000, 't3'],
      [9_000, 't9'],
    ]);
    const marks = sim.trace.events.map((e) => [e.t, e.kind]);
    expect(marks).toEqual([
      [500, 'process.pause'],
      [5_000, 'process.resume'],
    ]);
  });

  it('app messages to a paused host wait with its timers, in the order they arrived', () => {
    const sim = new Simulation(1);
    const net = new Network(sim, { latency: { kind: 'fixed', us: 1_000 }, loss: 0 });
    const sender = new Endpoint(new Host(sim, 'a'), net);
    const target = new Endpoint(new Host(sim, 'b'), net);
    const log: [number, string][] = [];
    target.onApp('m', (d) => log.push([sim.now(), `msg ${String(d.body)}`]));
    target.host.schedule(2_500, () => log.push([sim.now(), 'timer']));
    sim.at(0, () => target.host.pause());
    sim.at(1_000, () => sender.send('b', 'm', 1)); // arrives at 2 ms
    sim.at(2_000, () => sender.send('b', 'm', 2)); // arrives at 3 ms, after the 2.5 ms timer came due
    sim.at(10_000, () => target.host.resume());
    sim.at(20_000, () => sender.send('b', 'm', 3));
    sim.run(100_000);
    expect(log).toEqual([
      [10_000, 'msg 1'],
      [10_000, 'timer'],
      [10_000, 'msg 2'],
      [21_000, 'msg 3'],
    ]);
  });

  it('a crashed host never runs its timers again, not even after a pause that was pending', () => {
    const { sim, host, log, note } = setup();
    host.schedule(1_000, note('before'));
    host.schedule(5_000, note('after crash'));
    host.schedule(3_000, note('deferred'));
    sim.at(2_000, () => host.pause());
    sim.at(4_000, () => host.crash());
    sim.at(4_500, () => host.resume()); // no effect: the process is dead
    sim.at(6_000, () => {
      host.schedule(0, note('scheduled by the dead host'));
      host.runInProcess(note('run in the dead process'));
    });
    sim.run(20_000);
    expect(log).toEqual([[1_000, 'before']]);
    expect(host.process).toBe('dead');
    expect(sim.trace.events.map((e) => e.kind)).toEqual(['process.pause', 'process.crash']);
  });

  it('app messages to a dead host are dropped', () => {
    const sim = new Simulation(1);
    const net = new Network(sim, { latency: { kind: 'fixed', us: 1_000 }, loss: 0 });
    const sender = new Endpoint(new Host(sim, 'a'), net);
    const target = new Endpoint(new Host(sim, 'b'), net);
    let n = 0;
    target.onApp('m', () => n++);
    sim.at(0, () => target.host.crash());
    sim.at(1, () => sender.send('b', 'm', 1));
    sim.run(100_000);
    expect(n).toBe(0);
  });

  it('runInProcess runs at once when running, and cancelled timers never run', () => {
    const { sim, host, log, note } = setup();
    const h = host.schedule(1_000, note('cancelled'));
    host.schedule(2_000, note('kept'));
    sim.at(500, () => {
      host.cancel(h);
      host.runInProcess(note('now'));
    });
    sim.run(10_000);
    expect(log).toEqual([
      [500, 'now'],
      [2_000, 'kept'],
    ]);
  });

  it('pause and resume are idempotent', () => {
    const { sim, host, log, note } = setup();
    host.schedule(1_000, note('t'));
    sim.at(0, () => {
      host.pause();
      host.pause();
    });
    sim.at(2_000, () => {
      host.resume();
      host.resume();
    });
    sim.run(10_000);
    expect(log).toEqual([[2_000, 't']]);
    expect(sim.trace.events.map((e) => e.kind)).toEqual(['process.pause', 'process.resume']);
  });
});
