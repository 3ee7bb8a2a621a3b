import fc from 'fast-check';
import { describe, it } from 'vitest';
import { runScenario } from '../../src/scenario/run.js';
import { assertProperty, claim, propsRuns, suiteTitle, threeSeedsThreeHashes, timeoutFor } from '../harness.js';
import { scenarioOf, seedArb, v1CaseArb, v1OnV2CaseArb } from './arbitraries.js';

/**
 * Claim: a run is a function of its inputs. Same scenario and seed ⇒ same trace hash; three
 * seeds ⇒ three hashes (9 runs, exactly 3 hashes). The latency is drawn from a distribution
 * with some spread, so that the seed does matter. Half of the cases run against a 2.x/3.x
 * server's v1 path (v1OnV2CaseArb).
 */
const RUNS = propsRuns(5, 500);

const spreadLatencyArb = fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 100, max: 20_000 })).map(([lo, w]) => `uniform:${lo}us..${lo + w}us`);

describe(suiteTitle('nacos-v1 › determinism › 9 runs over 3 seeds give exactly 3 trace hashes', RUNS), () => {
  it(
    'same inputs, same trace hash; different seeds, different hashes',
    () => {
      assertProperty(
        fc.property(fc.oneof(v1CaseArb, v1OnV2CaseArb), spreadLatencyArb, fc.uniqueArray(seedArb, { minLength: 3, maxLength: 3 }), (c, latency, seeds) => {
          const withLatency = { ...c, set: { ...c.set, 'net.latency': latency } };
          const scenarioFor = (seed: number) => scenarioOf({ ...withLatency, seed }, 120_000);
          const problem = threeSeedsThreeHashes(scenarioFor, seeds as [number, number, number], (sc) => runScenario(sc).result.traceHash);
          claim(problem === null, problem ?? '', scenarioFor(seeds[0] as number));
        }),
        RUNS,
      );
    },
    timeoutFor(RUNS, 100),
  );
});
