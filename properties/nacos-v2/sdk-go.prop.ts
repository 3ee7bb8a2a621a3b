import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveScenario, runScenario } from '../../src/scenario/run.js';
import { assertProperty, propsRuns, suiteTitle, threeSeedsThreeHashes, timeoutFor } from '../harness.js';
import { faultArb, latencyArb, lossArb, SERVER_VERSIONS, seedArb, serverTimingArb, type V2Case } from './arbitraries.js';
import { checkV2Bounds } from './check-bounds.js';

/**
 * Claim: the windows of src/analysis/bounds-v2.ts hold when the providers (and sometimes the
 * consumers) run nacos-sdk-go v2 (`sim.client.sdk=go`): its fixed health check (a timer reset 5 s
 * after each check, one 3 s attempt: rpc_client.go healthCheck), its reconnect sleeps
 * (min(retryTurns, 50) × 100 ms), its redo on CONNECTED only, and a Go consumer that keeps its
 * last non-empty list (UpdateCacheWhenEmpty false: the stale window is `never`). Over Go releases
 * on both sides of #736's fix (2.2.7) and of the updater's opt-in (2.2.3), the server releases and
 * timings, latency, loss, fault kinds and onsets of the Java suite (arbitraries.ts).
 */
const GO_VERSIONS = ['2.0.0', '2.2.2', '2.2.6', '2.2.7', '2.3.5'] as const;
const RUNS = propsRuns(60);

const goCaseArb: fc.Arbitrary<V2Case> = fc
  .record({
    seed: seedArb,
    clientVersion: fc.constantFrom(...GO_VERSIONS),
    serverVersion: fc.constantFrom(...SERVER_VERSIONS),
    server: serverTimingArb,
    latency: latencyArb,
    loss: lossArb,
    fault: faultArb,
    consumer: fc.constantFrom('java', 'go'),
    emptyUpdates: fc.boolean(),
    timeoutMs: fc.oneof({ weight: 3, arbitrary: fc.constant(10_000) }, { weight: 1, arbitrary: fc.integer({ min: 500, max: 10_000 }) }),
  })
  .map((r) => ({
    seed: r.seed,
    clientVersion: r.clientVersion,
    serverVersion: r.serverVersion,
    set: {
      ...r.server,
      'net.latency': r.latency,
      'net.loss': r.loss,
      'sim.client.sdk': 'go',
      'sim.consumer.sdk': r.consumer,
      'go.ClientConfig.UpdateCacheWhenEmpty': `${r.emptyUpdates}`,
      'go.ClientConfig.TimeoutMs': `${r.timeoutMs}`,
    },
    fault: r.fault,
  }));

describe(suiteTitle('nacos-v2 › Go SDK › simulated times lie inside the analytic windows', RUNS), () => {
  it(
    'removal from the last message heard; removal, client detection and subscriber update from the fault',
    () => {
      assertProperty(
        fc.property(goCaseArb, (c) => checkV2Bounds(c)),
        RUNS,
      );
    },
    timeoutFor(RUNS, 15),
  );
});

describe('nacos-v2 › Go SDK › determinism', () => {
  it('Go providers and consumers, a cut that heals: same inputs, same hash; seeds 1, 2, 3 give three hashes', () => {
    const scenarioFor = (seed: number) =>
      resolveScenario({
        model: 'nacos-v2',
        seed,
        until: '3m',
        clients: 3,
        clientSdk: 'go',
        consumerSdk: 'go',
        faults: ['cut@60s-90s'],
        set: { 'net.latency': 'uniform:200us..20ms' },
      });
    expect(threeSeedsThreeHashes(scenarioFor, [1, 2, 3], (sc) => runScenario(sc).result.traceHash)).toBeNull();
  });
});
