import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { v2HorizonUs, v2SafeEnvelope } from '../../src/models/nacos-v2/bound-target.js';
import { V2_KEYS } from '../../src/models/nacos-v2/defaults.js';
import { runScenario } from '../../src/scenario/run.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { assertProperty, claim, propsRuns, suiteTitle, timeoutFor } from '../harness.js';
import { aimArb, aimCase } from './aim.js';
import { scenarioOf, type V2Case, v2CaseArb } from './arbitraries.js';

/**
 * Claim: a longer health-check timeout never makes the client notice a fault earlier, on the same
 * seed and fault (common random numbers: before the fault every check is answered well inside
 * either timeout, so the two runs agree event for event until the first check fails; the sleeps
 * come from the same stream in the same order). Inside the envelope (no loss, round trips shorter
 * than the shorter timeout), for every fault kind — a reset or a FIN noticed at once does not
 * depend on the timeout at all — and for client releases that read the key (2.1.2+; before, the
 * timeout is fixed at 3 s and both runs are the same). Only for faults that last: a fault that heals
 * can end inside the longer timeout's failing attempt and after the shorter one's, so the shorter
 * timeout then sees more failures and notices later (found by the deep run: cut 1 s–7.2 s, 3 s vs
 * 5 s timeouts).
 */
const RUNS = propsRuns(150, 20_000);
const TIMEOUT = V2_KEYS.healthTimeout;

const firstDetection = (trace: readonly TraceEvent[], fromUs: number): number =>
  trace.find((e) => e.kind === 'client.detected' && e.host === 'c1' && e.t >= fromUs)?.t ?? Number.POSITIVE_INFINITY;

const lengthen = (c: V2Case, byMs: number): V2Case => ({ ...c, set: { ...c.set, [TIMEOUT]: `${Number(c.set[TIMEOUT]) + byMs}` } });

/** Comparisons where the shorter timeout did detect the fault: the claim is not vacuous. */
let detected = 0;

const compare = (c: V2Case, byMs: number): void => {
  const short = scenarioOf(c, 1000);
  const long = scenarioOf(lengthen(c, byMs), 1000);
  if (v2SafeEnvelope(short) !== null || short.faults.some((f) => f.endUs !== null)) return;
  const untilUs = Math.max(v2HorizonUs(short), v2HorizonUs(long));
  const fromUs = short.faults[0]?.startUs ?? 0;
  const a = firstDetection(runScenario({ ...short, untilUs }).trace, fromUs);
  const b = firstDetection(runScenario({ ...long, untilUs }).trace, fromUs);
  if (Number.isFinite(a)) detected++;
  claim(a <= b, `client detection at ${a / 1000} ms with ${TIMEOUT}=${short.config[TIMEOUT]}, but at ${b / 1000} ms with ${byMs} ms more`, {
    ...long,
    untilUs,
  });
};

/** Cases inside the envelope, mostly with releases that read the timeout. */
const caseArb: fc.Arbitrary<V2Case> = fc
  .tuple(v2CaseArb, fc.constantFrom('2.1.2', '2.2.4', '2.5.1', '2.0.4'))
  .map(([c, clientVersion]) => ({ ...c, clientVersion, set: { ...c.set, 'net.loss': '0' } }));

describe(suiteTitle('nacos-v2 › monotonicity › a longer health timeout never makes client detection earlier', RUNS), () => {
  it(
    `${TIMEOUT}: first client.detected after the fault`,
    () => {
      assertProperty(
        fc.property(caseArb, fc.option(aimArb), fc.integer({ min: 1, max: 10_000 }), (c, aim, by) => compare(aim === null ? c : aimCase(c, aim), by)),
        RUNS,
      );
      expect(detected).toBeGreaterThan(0);
    },
    timeoutFor(RUNS, 30),
  );
});
