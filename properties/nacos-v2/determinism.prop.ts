import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../src/models/registry.js';
import { resolveScenario, runScenario } from '../../src/scenario/run.js';
import { assertProperty, claim, propsRuns, suiteTitle, threeSeedsThreeHashes, timeoutFor } from '../harness.js';
import { scenarioOf, seedArb, v2CaseArb } from './arbitraries.js';

/**
 * Claim: a run is a function of its inputs, for every model. Same scenario and seed ⇒ same trace
 * hash; three seeds ⇒ three hashes (9 runs, exactly 3 hashes). For Nacos 2.x over random legal
 * configurations, releases, faults and onsets; for every registered model (nacos-v1's random
 * configurations are in properties/nacos-v1/determinism.prop.ts) with its defaults and a cut. The
 * latency is drawn from a distribution with some spread, so that the seed does matter.
 */
const RUNS = propsRuns(5, 500);

const spreadLatencyArb = fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 100, max: 20_000 })).map(([lo, w]) => `uniform:${lo}us..${lo + w}us`);

describe(suiteTitle('nacos-v2 › determinism › 9 runs over 3 seeds give exactly 3 trace hashes', RUNS), () => {
  it(
    'nacos-v2: same inputs, same trace hash; different seeds, different hashes',
    () => {
      assertProperty(
        fc.property(v2CaseArb, spreadLatencyArb, fc.uniqueArray(seedArb, { minLength: 3, maxLength: 3 }), (c, latency, seeds) => {
          const withLatency = { ...c, set: { ...c.set, 'net.latency': latency } };
          const scenarioFor = (seed: number) => scenarioOf({ ...withLatency, seed }, 120_000);
          const problem = threeSeedsThreeHashes(scenarioFor, seeds as [number, number, number], (sc) => runScenario(sc).result.traceHash);
          claim(problem === null, problem ?? '', scenarioFor(seeds[0] as number));
        }),
        RUNS,
      );
    },
    timeoutFor(RUNS, 200),
  );

  it.each(MODELS.map((m) => [m.id] as const))('%s: defaults and a cut, seeds 1, 2 and 3', (id) => {
    const model = MODELS.find((m) => m.id === id);
    const faults = model?.faultKinds.includes('cut') ? ['cut@60s'] : [];
    const scenarioFor = (seed: number) => resolveScenario({ model: id, seed, until: '3m', faults, set: { 'net.latency': 'uniform:200us..20ms' } });
    expect(threeSeedsThreeHashes(scenarioFor, [1, 2, 3], (sc) => runScenario(sc).result.traceHash)).toBeNull();
  });
});
