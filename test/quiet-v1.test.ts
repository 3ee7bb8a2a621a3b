import { describe, expect, it } from 'vitest';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

/**
 * Quiet clients (src/sim/quiet.ts) must not change a single byte of a result: each scenario runs
 * with quiet stepping allowed and with every event through the kernel, and the JSON must be the
 * same — metrics, message counts, event count and trace hash (which covers every line of every
 * client). `quiet` says how many of the clients the scenario should let go quiet: all but c1 and
 * the ones a fault names; none where something could tell (loss, finite capacity, a server fault,
 * a beat period whose slowest cycle leaves the check task's envelope).
 */
const CASES: readonly (readonly [string, ScenarioFile, (clients: number) => boolean])[] = [
  ['steady, default latency', { model: 'nacos-v1', clients: 40, until: '10m', subscribers: 2 }, (n) => n === 39],
  ['c1 cut and back', { model: 'nacos-v1', clients: 30, until: '5m', faults: ['cut@60s-2m'], seed: 3 }, (n) => n === 29],
  [
    'lognormal latency, one-way loss of c1',
    { model: 'nacos-v1', clients: 25, until: '6m', faults: ['oneway:s2c@50s'], set: { 'net.latency': 'lognormal:2ms/0.6/80ms' }, seed: 9 },
    (n) => n === 24,
  ],
  ['a rack cut of c1…c10 (they are not quiet)', { model: 'nacos-v1', clients: 30, until: '4m', faults: ['rack-cut:c1..c10@1m-2m'] }, (n) => n === 20],
  ['a pair cut naming c7', { model: 'nacos-v1', clients: 12, until: '3m', faults: ['cut:c7-s1@30s'], set: { 'net.latency': 'fixed:1ms' } }, (n) => n === 10],
  ['1.1.4 client: full beats every time', { model: 'nacos-v1', clients: 15, until: '4m', clientVersion: '1.1.4' }, (n) => n === 14],
  [
    'beats every 1 s, a pause of c1',
    { model: 'nacos-v1', clients: 15, until: '2m', faults: ['pause@20s-40s'], set: { 'preserved.heart.beat.interval': '1s' } },
    (n) => n === 14,
  ],
  [
    'period too close to the timeout: nobody quiet',
    { model: 'nacos-v1', clients: 10, until: '3m', set: { 'preserved.heart.beat.interval': '14s', 'net.latency': 'uniform:1ms..900ms' } },
    (n) => n === 0,
  ],
  ['lossy network: nobody quiet', { model: 'nacos-v1', clients: 10, until: '2m', set: { 'net.loss': 0.01 } }, (n) => n === 0],
  ['finite capacity: nobody quiet', { model: 'nacos-v1', clients: 10, until: '2m', set: { 'sim.server.capacity': 'reference-8c' } }, (n) => n === 0],
  ['server pause: nobody quiet', { model: 'nacos-v1', clients: 10, until: '2m', faults: ['server-pause@30s-40s'] }, (n) => n === 0],
];

describe('quiet clients › nacos-v1', () => {
  for (const [name, file, expectQuiet] of CASES) {
    it(`${name}: the same result byte for byte with and without quiet stepping`, () => {
      const sc = resolveScenario(file);
      const quiet = runScenario(sc, { trace: 'followed' });
      const eager = runScenario(sc, { trace: 'followed', quiet: false });
      expect(eager.quietClients).toBe(0);
      expect(expectQuiet(quiet.quietClients), `${quiet.quietClients} quiet clients`).toBe(true);
      expect(JSON.stringify(quiet.result)).toBe(JSON.stringify(eager.result));
    });
  }

  it('a run the event budget stops comes out as it would event by event (it is redone that way)', () => {
    const sc = resolveScenario({ model: 'nacos-v1', clients: 20, until: '3m', faults: ['cut@60s'] });
    const total = runScenario(sc, { trace: 'followed', quiet: false }).result.stop.events;
    // Stopped inside the run, exactly at its last event (the kernel stops once the budget is spent), and one past it.
    for (const budget of [Math.floor(total / 2), total, total + 1]) {
      const quiet = runScenario(sc, { trace: 'followed', eventBudget: budget });
      const eager = runScenario(sc, { trace: 'followed', eventBudget: budget, quiet: false });
      expect(quiet.result.stop.reason, `budget ${budget}`).toBe(budget <= total ? 'event-budget' : 'horizon');
      expect(JSON.stringify(quiet.result), `budget ${budget}`).toBe(JSON.stringify(eager.result));
    }
  });

  it('the whole trace keeps every client in the kernel (nothing would read a quiet one)', () => {
    const sc = resolveScenario({ model: 'nacos-v1', clients: 10, until: '1m' });
    expect(runScenario(sc).quietClients).toBe(0);
    expect(runScenario(sc, { trace: 'followed', onEvent: () => undefined }).quietClients).toBe(0);
  });
});
