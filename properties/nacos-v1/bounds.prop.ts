import fc from 'fast-check';
import { describe, it } from 'vitest';
import { assertProperty, propsRuns, suiteTitle, timeoutFor } from '../harness.js';
import { aimArb, aimCase } from './aim.js';
import { v1CaseArb } from './arbitraries.js';
import { checkV1Bounds } from './check-bounds.js';

/**
 * Claim: over random legal configurations (beat interval, heartbeat and delete timeouts, the
 * server's clientBeatInterval, the check phase, switches), latency distributions, loss, client
 * releases, fault kinds (cut, oneway either way, crash, beat-error) and onsets — healing cuts
 * included — every simulated removal, unhealthy mark and subscriber update lies inside the
 * analytic window of src/analysis/bounds.ts, and what the bounds call "never" never happens.
 * The windows are derived from the protocol (docs/bounds.md), not from runs. Half of the cases
 * are aimed (aim.ts): onset and check phase moved onto the microsecond where a window has its edge.
 */
const RUNS = propsRuns(1000);

describe(suiteTitle('nacos-v1 › bounds › simulated times lie inside the analytic windows', RUNS), () => {
  it(
    'removal, unhealthy mark and subscriber update, from the last beat heard and from the fault',
    () => {
      assertProperty(
        fc.property(v1CaseArb, fc.option(aimArb, { freq: 2 }), (c, aim) => checkV1Bounds(aim === null ? c : aimCase(c, aim))),
        RUNS,
      );
    },
    timeoutFor(RUNS, 3),
  );
});
