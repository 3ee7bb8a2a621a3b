import fc from 'fast-check';
import { describe, it } from 'vitest';
import { v1SafeEnvelope } from '../../src/analysis/bounds.js';
import { v1HorizonUs } from '../../src/models/nacos-v1/bound-target.js';
import { parseLatency } from '../../src/scenario/latency-dsl.js';
import { runScenario } from '../../src/scenario/run.js';
import { latencyEnvelope } from '../../src/sim/latency.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { assertProperty, claim, propsRuns, suiteTitle, timeoutFor } from '../harness.js';
import { aimArb, aimCase } from './aim.js';
import { scenarioOf, type V1Case, v1CaseArb } from './arbitraries.js';

/**
 * Claim: a longer timeout never detects earlier, on the same seed and fault (common random
 * numbers: the runs agree event for event until the shorter timeout first acts). Without loss:
 * removal after the fault (delete timeout) and the unhealthy mark (heartbeat timeout). Outside the
 * envelope (loss, or beats slower than a timeout) a mark before the fault can hide the next one
 * and a false removal reshuffles the beats that follow, so there the claim is about the first
 * mark at any time, which still cannot come earlier.
 */
const RUNS = propsRuns(150, 20_000);
const DELETE = 'preserved.ip.delete.timeout';
const TIMEOUT = 'preserved.heart.beat.timeout';

const first = (trace: readonly TraceEvent[], kind: string, fromUs: number): number =>
  trace.find((e) => e.kind === kind && e.data?.instance === 'c1' && e.t >= fromUs)?.t ?? Number.POSITIVE_INFINITY;

const lengthen = (c: V1Case, key: string, byMs: number): V1Case => ({ ...c, set: { ...c.set, [key]: `${Number(c.set[key]) + byMs}` } });

const compare = (c: V1Case, key: string, byMs: number, kind: string): void => {
  const short = scenarioOf(c, 1000);
  const long = scenarioOf(lengthen(c, key, byMs), 1000);
  const untilUs = Math.max(v1HorizonUs(short), v1HorizonUs(long));
  // Outside the envelope (loss, or beats slower than a timeout) marks happen before the fault too.
  const inside = [short, long].every(
    (sc) => v1SafeEnvelope(sc.config, sc.clientVersion, latencyEnvelope(parseLatency(String(sc.config['net.latency'])))) === null,
  );
  const fromUs = inside ? (short.faults[0]?.startUs ?? 0) : 0;
  const a = first(runScenario({ ...short, untilUs }).trace, kind, fromUs);
  const b = first(runScenario({ ...long, untilUs }).trace, kind, fromUs);
  claim(a <= b, `${kind} at ${a / 1000} ms with ${key}=${short.config[key]}, but at ${b / 1000} ms with ${byMs} ms more`, { ...long, untilUs });
};

describe(suiteTitle('nacos-v1 › monotonicity › a longer timeout never detects earlier', RUNS), () => {
  it(
    'preserved.ip.delete.timeout: removal',
    () => {
      assertProperty(
        fc.property(v1CaseArb, fc.option(aimArb), fc.integer({ min: 1, max: 30_000 }), (c, aim, by) =>
          compare(aim === null ? c : aimCase(c, aim), DELETE, by, 'instance.remove'),
        ),
        RUNS,
      );
    },
    timeoutFor(RUNS, 10),
  );

  it(
    'preserved.heart.beat.timeout: unhealthy mark',
    () => {
      assertProperty(
        fc.property(v1CaseArb, fc.option(aimArb), fc.integer({ min: 1, max: 30_000 }), (c, aim, by) =>
          compare(aim === null ? c : aimCase(c, aim), TIMEOUT, by, 'instance.unhealthy'),
        ),
        RUNS,
      );
    },
    timeoutFor(RUNS, 10),
  );
});
