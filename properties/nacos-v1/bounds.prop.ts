import fc from 'fast-check';
import { describe, it } from 'vitest';
import { assertProperty, propsRuns, suiteTitle, timeoutFor } from '../harness.js';
import { aimArb, aimCase } from './aim.js';
import { v1CaseArb, v1OnV2CaseArb } from './arbitraries.js';
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
const ON_V2_RUNS = propsRuns(300);

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

/**
 * The same claim for a 1.x client against a 2.x/3.x server's v1 path (bounds-v1-on-v2.ts):
 * releases 2.0.0, 2.0.2, 2.2.3, 3.0.3 and a client expiry (nacos.naming.client.expired.time)
 * drawn among the cases, so that the check's and the cleaner's windows both decide some removals.
 */
describe(suiteTitle('nacos-v1 › bounds › a 1.x client on a 2.x/3.x server lies inside the windows of bounds-v1-on-v2.ts', ON_V2_RUNS), () => {
  it(
    'removal, unhealthy mark and subscriber update, from the last beat heard and from the fault',
    () => {
      assertProperty(
        fc.property(v1OnV2CaseArb, fc.option(aimArb, { freq: 2 }), (c, aim) => checkV1Bounds(aim === null ? c : aimCase(c, aim))),
        ON_V2_RUNS,
      );
    },
    timeoutFor(ON_V2_RUNS, 3),
  );
});
