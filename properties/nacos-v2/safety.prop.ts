import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { v2SafeEnvelope } from '../../src/models/nacos-v2/bound-target.js';
import { runScenario } from '../../src/scenario/run.js';
import { assertProperty, claim, propsRuns, suiteTitle, timeoutFor } from '../harness.js';
import { CLIENT_VERSIONS, clientTimingArb, latencyArb, SERVER_VERSIONS, scenarioOf, seedArb, serverTimingArb, type V2Case } from './arbitraries.js';

/**
 * Claim: inside the envelope (no loss, every round trip shorter than each timeout that waits for an
 * answer: health check, probe, either side's PING, request, connect; src/models/nacos-v2/bound-target.ts
 * v2SafeEnvelope), a live client keeps its connection and its instance over a long horizon: no
 * removal, no unregistered connection, no client-side detection, and the subscriber lists it at the
 * end — whatever the keep-alive (a client idle for 20 s is probed, and answers), the releases, the
 * ejector's phase and the gRPC keep-alives. Outside it (heavy loss) false removals happen, and the
 * metrics count every one of them instead of hiding them.
 */
const SAFE_RUNS = propsRuns(30, 2000);
const LOSSY_RUNS = propsRuns(15, 1000);
const HORIZON_MS = 20 * 60_000;

const safeCaseArb: fc.Arbitrary<V2Case> = fc
  .record({
    seed: seedArb,
    clientVersion: fc.constantFrom(...CLIENT_VERSIONS),
    serverVersion: fc.constantFrom(...SERVER_VERSIONS),
    client: clientTimingArb,
    server: serverTimingArb,
    latency: latencyArb,
  })
  .map((r) => ({
    seed: r.seed,
    clientVersion: r.clientVersion,
    serverVersion: r.serverVersion,
    set: { ...r.client, ...r.server, 'net.latency': r.latency },
    fault: null,
  }))
  .filter((c) => v2SafeEnvelope(scenarioOf(c, HORIZON_MS)) === null);

const lossyCaseArb: fc.Arbitrary<{ c: V2Case; cutAtMs: number | null }> = fc.record({
  c: fc
    .record({ seed: seedArb, client: clientTimingArb, loss: fc.integer({ min: 300, max: 600 }) })
    .map((r) => ({ seed: r.seed, clientVersion: '2.5.1', serverVersion: '2.5.1', set: { ...r.client, 'net.loss': `${r.loss / 1000}` }, fault: null })),
  cutAtMs: fc.option(fc.integer({ min: 30_000, max: 300_000 })),
});

describe(suiteTitle('nacos-v2 › safety › no false removal inside the envelope; false removals counted outside it', SAFE_RUNS), () => {
  it(
    'a live client inside the envelope keeps its connection and instance for 20 minutes',
    () => {
      assertProperty(
        fc.property(safeCaseArb, (c) => {
          const sc = scenarioOf(c, HORIZON_MS);
          const { result, trace } = runScenario(sc);
          const lost = trace.find(
            (e) =>
              (e.kind === 'instance.remove' && e.data?.instance === 'c1') ||
              (e.kind === 'connection.unregister' && e.data?.client === 'c1') ||
              (e.kind === 'client.detected' && e.host === 'c1'),
          );
          claim(lost === undefined, `${lost?.kind} at ${(lost?.t ?? 0) / 1000} ms with no fault, inside the envelope`, sc);
          claim(result.metrics.falseRemovals === 0 && result.metrics.flaps === 0, 'false removals or flaps counted with no fault', sc);
          const lastView = trace.filter((e) => e.kind === 'view.update').at(-1);
          claim(
            String(lastView?.data?.instances ?? '')
              .split(',')
              .includes('c1'),
            'the subscriber does not list the live instance at the end',
            sc,
          );
        }),
        SAFE_RUNS,
      );
    },
    timeoutFor(SAFE_RUNS, 60),
  );

  it(
    'with 30–60 % loss, every removal of a reachable instance is counted as a false removal',
    () => {
      let falseRemovals = 0;
      assertProperty(
        fc.property(lossyCaseArb, ({ c, cutAtMs }) => {
          const sc = scenarioOf({ ...c, fault: cutAtMs === null ? null : `cut@${cutAtMs}` }, 10 * 60_000);
          const { result, trace } = runScenario(sc);
          // Independent count: removals before the cut (or all, without one) hit a reachable client.
          const before = trace.filter((e) => e.kind === 'instance.remove' && e.data?.instance === 'c1' && (cutAtMs === null || e.t < cutAtMs * 1000));
          claim(result.metrics.falseRemovals === before.length, `falseRemovals ${result.metrics.falseRemovals}, trace shows ${before.length}`, sc);
          falseRemovals += before.length;
        }),
        LOSSY_RUNS,
      );
      // The claim above must not hold vacuously: heavy loss does produce false removals.
      expect(falseRemovals).toBeGreaterThan(0);
    },
    timeoutFor(LOSSY_RUNS, 200),
  );
});
