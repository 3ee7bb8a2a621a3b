import { describe, expect, it } from 'vitest';
import { InputError } from '../src/scenario/input-error.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

/** How the capacity model shows in a run's result: its metrics, and no analytic claim it cannot keep. */
describe('run results under a finite server capacity', () => {
  const base: ScenarioFile = { model: 'nacos-v1', until: '2m', clients: 3, faults: ['cut@60s'] };

  it('the default (infinite) capacity adds no capacity field and keeps the analytic bounds', () => {
    const { result } = runScenario(resolveScenario(base));
    expect(result.capacity).toBeUndefined();
    expect(result.bounds?.removedFromFault.kind).toBe('within');
  });

  for (const model of ['nacos-v1', 'nacos-v2'] as const) {
    it(`${model}: reference-8c reports the capacity metrics and claims no bound`, () => {
      const { result } = runScenario(resolveScenario({ ...base, model, set: { 'sim.server.capacity': 'reference-8c' } }));
      expect(result.capacity).toBeDefined();
      expect(result.capacity).not.toHaveProperty('perSecond');
      // 3 clients are far below any onset: nothing live was expired.
      expect(result.capacity?.instancesFalselyExpired).toBe(0);
      for (const e of Object.values(result.bounds ?? {})) expect((e as { kind: string }).kind).toBe('no-bound');
    });
  }

  it('a single non-zero cost also counts as finite capacity', () => {
    const { result } = runScenario(resolveScenario({ ...base, set: { 'sim.server.cost.beat': 100 } }));
    expect(result.capacity).toBeDefined();
  });

  it('a rack cut naming clients the run does not have is refused', () => {
    expect(() => resolveScenario({ ...base, faults: ['rack-cut:c1..c5@60s'] })).toThrow(InputError);
    expect(() => resolveScenario({ ...base, faults: ['rack-cut:c1..c5@60s'] })).toThrow(/no host c5 .*c1…c3/);
    expect(() => resolveScenario({ ...base, faults: ['rack-cut:c2..c3@60s'] })).not.toThrow();
  });
});
