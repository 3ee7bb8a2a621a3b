import { describe, expect, it } from 'vitest';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';
import type { TraceEvent } from '../src/sim/trace.js';

/**
 * Stream independence (issue 2): every link direction draws its latency and loss from its own
 * named stream, seeded by (run seed, stream name) alone. So adding clients c2, c3 — more hosts,
 * more links, more draws — must not move a single one of c1's beats as the server sees them.
 */
const trace = (file: ScenarioFile): readonly TraceEvent[] => runScenario(resolveScenario(file)).trace;

const c1At = (events: readonly TraceEvent[], kind: string): number[] =>
  events.filter((e) => e.kind === kind && e.host === 's1' && e.data?.instance === 'c1').map((e) => e.t);

const instancesHeard = (events: readonly TraceEvent[]): string[] =>
  [...new Set(events.filter((e) => e.kind === 'beat.recv').map((e) => String(e.data?.instance)))].sort();

const SCENARIOS: { name: string; file: Omit<ScenarioFile, 'seed' | 'clients'> }[] = [
  { name: 'default LAN latency', file: { model: 'nacos-v1', until: '3m' } },
  { name: 'lognormal latency', file: { model: 'nacos-v1', until: '3m', set: { 'net.latency': 'lognormal:5ms/0.8/80ms' } } },
  { name: 'lossy links and a healing cut', file: { model: 'nacos-v1', until: '3m', set: { 'net.loss': 0.05 }, faults: ['cut@60s-90s'] } },
  { name: 'a loss fault on c1 paths', file: { model: 'nacos-v1', until: '3m', faults: ['loss:0.5@30s-2m'] } },
];

describe('stream independence: adding clients does not change c1’s draws', () => {
  for (const { name, file } of SCENARIOS) {
    it(`${name}: c1's beat.recv times at s1 are identical with --clients 1 and --clients 3`, () => {
      for (const seed of [1, 2, 3]) {
        const alone = trace({ ...file, seed, clients: 1 });
        const crowded = trace({ ...file, seed, clients: 3 });
        expect(instancesHeard(alone)).toEqual(['c1']);
        expect(instancesHeard(crowded)).toEqual(['c1', 'c2', 'c3']);
        const beats = c1At(alone, 'beat.recv');
        expect(beats.length).toBeGreaterThan(5);
        expect(c1At(crowded, 'beat.recv'), `seed ${seed}`).toEqual(beats);
        for (const kind of ['instance.register', 'instance.unhealthy', 'instance.remove']) {
          expect(c1At(crowded, kind), `${kind}, seed ${seed}`).toEqual(c1At(alone, kind));
        }
      }
    });
  }

  it('the check can fail: c1’s beat times do depend on the seed (the latency is random)', () => {
    const a = c1At(trace({ ...(SCENARIOS[0]?.file as ScenarioFile), seed: 1, clients: 1 }), 'beat.recv');
    const b = c1At(trace({ ...(SCENARIOS[0]?.file as ScenarioFile), seed: 2, clients: 1 }), 'beat.recv');
    expect(a.length).toBe(b.length);
    expect(a).not.toEqual(b);
  });
});
