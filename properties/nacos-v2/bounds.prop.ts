import fc from 'fast-check';
import { describe, it } from 'vitest';
import { assertProperty, propsRuns, suiteTitle, timeoutFor } from '../harness.js';
import { aimArb, aimCase } from './aim.js';
import { v2CaseArb } from './arbitraries.js';
import { checkV2Bounds } from './check-bounds.js';

/**
 * Claim: over random legal configurations (the client's keep-alive, health timeout and retries,
 * request and connect timeouts, redo delay, the server's push delays and gRPC keep-alive, the
 * ejector's phase), client and server releases across every family, latency envelopes, loss, fault
 * kinds (cut — healing too —, crash, rst, oneway either way) and onsets, every silent removal lies
 * inside its window from the last message heard, and the removal, the client's detection and the
 * subscribers' update lie inside their windows from the fault (src/analysis/bounds-v2.ts, derived
 * in docs/bounds.md, not from runs); what the bounds call never never happens. Half of the cases
 * are aimed (aim.ts): onset and ejector phase moved onto the microsecond where a window has its edge.
 */
const RUNS = propsRuns(400);

describe(suiteTitle('nacos-v2 › bounds › simulated times lie inside the analytic windows', RUNS), () => {
  it(
    'removal from the last message heard; removal, client detection and subscriber update from the fault',
    () => {
      assertProperty(
        fc.property(v2CaseArb, fc.option(aimArb, { freq: 2 }), (c, aim) => checkV2Bounds(aim === null ? c : aimCase(c, aim))),
        RUNS,
      );
    },
    timeoutFor(RUNS, 15),
  );
});
