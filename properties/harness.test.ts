import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelDefinition } from '../src/models/model.js';
import { V1_CONSTANTS, V1_KEYS } from '../src/models/nacos-v1/defaults.js';
import { nacosV1 } from '../src/models/nacos-v1/index.js';
import { checkProperty, PROPS_SEED, scenarioFromReplay, shellWords, Violation } from './harness.js';
import { v1CaseArb } from './nacos-v1/arbitraries.js';
import { checkScenarioBounds, checkV1Bounds } from './nacos-v1/check-bounds.js';

/**
 * The bound suite must be able to fail. A deliberately broken v1 model — the real one, built
 * with the delete timeout one check period longer, so every removal lands one period late — is
 * run through the same property: it must fail, with a shrunk counterexample and a replay line
 * that reproduces the violation. The real model is left untouched.
 */
const lateRemoval: ModelDefinition = {
  ...nacosV1,
  id: 'nacos-v1-late-removal',
  build: (world, config, versions) =>
    nacosV1.build(world, { ...config, [V1_KEYS.deleteTimeout]: (config[V1_KEYS.deleteTimeout] as number) + V1_CONSTANTS.beatCheckPeriodMs }, versions),
};

const RUNS = 200;

describe(`property harness › a broken model fails the bound suite [PROPS_SEED=${PROPS_SEED}]`, () => {
  it('removal one check period late: shrunk counterexample and a replay line', () => {
    const failure = checkProperty(
      fc.property(v1CaseArb, (c) => checkV1Bounds(c, lateRemoval)),
      RUNS,
    );
    expect(failure).not.toBeNull();
    const f = failure as NonNullable<typeof failure>;
    expect(f.shrinks).toBeGreaterThan(0);
    expect(f.message).toMatch(/counterexample: \[\{"seed":/);
    expect(f.message).toMatch(/rerun: PROPS_SEED=\d+ \(fast-check seed \d+, path "[\d:]+"\)/);
    expect(f.replay).toMatch(/^livesim run --model nacos-v1-late-removal /);
    // The replay line reproduces the violation with the broken model, and not with the real one.
    const replayed = scenarioFromReplay(f.replay as string, 'nacos-v1');
    expect(() => checkScenarioBounds({ ...replayed, model: lateRemoval })).toThrow(Violation);
    expect(() => checkScenarioBounds(replayed)).not.toThrow();
  });

  it('the real model passes the same property with the same seed and runs', () => {
    expect(
      checkProperty(
        fc.property(v1CaseArb, (c) => checkV1Bounds(c)),
        RUNS,
      ),
    ).toBeNull();
  });

  it('splits replay lines as a shell would', () => {
    expect(shellWords("livesim run --set 'a b'=c --fault cut@1s")).toEqual(['livesim', 'run', '--set', 'a b=c', '--fault', 'cut@1s']);
    expect(shellWords("x 'it'\\''s'")).toEqual(['x', "it's"]);
  });
});
