import { describe, expect, it } from 'vitest';
import { Host } from './host.js';
import { ServicePool, waitLevel } from './service-queue.js';
import { Simulation } from './simulation.js';

const setup = (workers: number) => {
  const sim = new Simulation(1);
  const host = new Host(sim, 's1');
  const pool = new ServicePool(host, 'http', workers);
  const done: [number, string][] = [];
  const job = (name: string) => () => done.push([sim.now(), name]);
  return { sim, host, pool, done, job };
};

describe('service pool', () => {
  it('a job of cost 0 at an idle pool runs inside submit: infinite capacity adds no event', () => {
    const { sim, pool, done, job } = setup(1);
    sim.at(5, () => {
      pool.submit(0, job('a'));
      done.push([sim.now(), 'after submit']);
    });
    sim.run(100);
    expect(done).toEqual([
      [5, 'a'],
      [5, 'after submit'],
    ]);
    expect(sim.trace.size).toBe(0);
  });

  it('one worker serves jobs first come first served: each completes after the ones before it', () => {
    const { sim, pool, done, job } = setup(1);
    sim.at(0, () => {
      pool.submit(10, job('a'));
      pool.submit(20, job('b'));
      pool.submit(5, job('c'));
    });
    sim.at(12, () => pool.submit(1, job('d')));
    sim.run(1000);
    // a: 0+10; b waits for a: 10+20; c: 30+5; d arrived at 12, behind c: 35+1.
    expect(done).toEqual([
      [10, 'a'],
      [30, 'b'],
      [35, 'c'],
      [36, 'd'],
    ]);
  });

  it('k workers serve k jobs at once', () => {
    const { sim, pool, done, job } = setup(2);
    sim.at(0, () => {
      for (const n of ['a', 'b', 'c', 'd', 'e']) pool.submit(10, job(n));
    });
    sim.run(1000);
    expect(done.map(([t]) => t)).toEqual([10, 10, 20, 20, 30]);
    expect(done.map(([, n]) => n)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a job of cost 0 behind waiting jobs keeps its place in the line', () => {
    const { sim, pool, done, job } = setup(1);
    sim.at(0, () => {
      pool.submit(10, job('a'));
      pool.submit(10, job('b'));
      pool.submit(0, job('free'));
      pool.submit(10, job('c'));
    });
    sim.run(1000);
    expect(done).toEqual([
      [10, 'a'],
      [20, 'b'],
      [20, 'free'],
      [30, 'c'],
    ]);
  });

  it("a job submitted by a completing job's effect goes behind those already waiting", () => {
    const { sim, pool, done, job } = setup(1);
    sim.at(0, () => {
      pool.submit(10, () => {
        done.push([sim.now(), 'a']);
        pool.submit(10, job('a2'));
      });
      pool.submit(10, job('b'));
    });
    sim.run(1000);
    expect(done).toEqual([
      [10, 'a'],
      [20, 'b'],
      [30, 'a2'],
    ]);
  });

  it('service stops while the process is paused and dies with it', () => {
    const { sim, host, pool, done, job } = setup(1);
    sim.at(0, () => pool.submit(10, job('paused')));
    sim.at(5, () => host.pause());
    sim.at(50, () => host.resume());
    sim.run(1000);
    expect(done).toEqual([[50, 'paused']]);

    const dead = setup(1);
    dead.sim.at(0, () => dead.pool.submit(10, dead.job('never')));
    dead.sim.at(5, () => dead.host.crash());
    dead.sim.run(1000);
    expect(dead.done).toEqual([]);
  });

  it('wait levels are powers of two of a millisecond', () => {
    expect([0, 999, 1000, 1999, 2000, 3999, 4000, 1_024_000].map(waitLevel)).toEqual([-1, -1, 0, 0, 1, 1, 2, 10]);
  });

  it('records the queue sparingly: once per doubling of the wait on the way up, once on the way down', () => {
    const { sim, pool } = setup(1);
    // 1,000 jobs of 1 ms arrive at once: the k-th (from 0) waits k ms. Then, long after, two lone jobs.
    sim.at(0, () => {
      for (let i = 0; i < 1000; i++) pool.submit(1000, () => undefined);
    });
    sim.at(5_000_000, () => pool.submit(1000, () => undefined));
    sim.at(7_000_000, () => pool.submit(1000, () => undefined));
    sim.run(10_000_000);
    const events = sim.trace.events.map((e) => [e.t, e.data?.waitMs]);
    // Up: the first jobs to wait 1, 2, 4 … 512 ms (10 levels). Down: the job at 7 s ends the quiet
    // window [5 s, 6 s) of the job at 5 s (the window before it held waits up to 999 ms).
    expect(events).toEqual([...[1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((k) => [k * 1000, k]), [7_000_000, 0]]);
    expect(sim.trace.events[0]).toMatchObject({ t: 1000, kind: 'server.queue', host: 's1', data: { pool: 'http', waitMs: 1, depth: 998 } });
  });

  it('a wait that hovers around a level edge is recorded once, not at every crossing', () => {
    const { sim, pool } = setup(1);
    // Pairs of jobs: the second of each pair waits 1.0 ms or 0.9 ms, alternately.
    for (let k = 0; k < 20; k++) {
      sim.at(k * 100_000, () => {
        pool.submit(k % 2 === 0 ? 1000 : 900, () => undefined);
        pool.submit(1, () => undefined);
      });
    }
    sim.run(10_000_000);
    expect(sim.trace.events.map((e) => e.data?.waitMs)).toEqual([1]);
  });

  it('refuses a pool without workers', () => {
    const sim = new Simulation(1);
    expect(() => new ServicePool(new Host(sim, 'h'), 'p', 0)).toThrow(RangeError);
  });
});
