import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Expectation } from '../../src/analysis/bounds.js';
import { resolveScenario, runScenario } from '../../src/scenario/run.js';
import type { ScenarioFile } from '../../src/scenario/scenario.js';
import { assertProperty, claim, propsRuns, suiteTitle, timeoutFor } from '../harness.js';

/**
 * Claim: over random Eureka timings (renewal interval, lease duration, eviction, cache update and
 * fetch intervals), latency envelopes, the three timer phases and the consumer's start, fault
 * kinds (cut, oneway either way, crash, pause) and onsets, fleets with and without
 * self-preservation — every simulated removal and consumer update lies inside the analytic
 * window of src/models/eureka/bounds.ts, and what it calls "never" does not happen before the
 * horizon. The windows come from the source (the comment of bounds.ts), not from runs.
 */
const RUNS = propsRuns(150);

const latencyArb = fc.oneof(
  fc.integer({ min: 0, max: 20_000 }).map((us) => `fixed:${us}us`),
  fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 5_000 })).map(([lo, w]) => `uniform:${lo}us..${lo + w}us`),
);

const caseArb: fc.Arbitrary<ScenarioFile> = fc
  .record({
    renewalS: fc.integer({ min: 2, max: 40 }),
    leaseS: fc.integer({ min: 5, max: 120 }),
    evictionMs: fc.integer({ min: 1_000, max: 90_000 }),
    cacheMs: fc.integer({ min: 1_000, max: 40_000 }),
    fetchS: fc.integer({ min: 2, max: 40 }),
    phases: fc.tuple(
      fc.double({ min: 0, max: 0.999, noNaN: true }),
      fc.double({ min: 0, max: 0.999, noNaN: true }),
      fc.double({ min: 0, max: 0.999, noNaN: true }),
    ),
    latency: latencyArb,
    fault: fc.constantFrom('cut', 'oneway:c2s', 'oneway:s2c', 'crash', 'pause'),
    onsetS: fc.integer({ min: 1, max: 400 }),
    fleet: fc.constantFrom<{ clients: number; set: Record<string, string> }>(
      { clients: 1, set: { 'eureka.server.enable-self-preservation': 'false' } },
      { clients: 4, set: { 'eureka.server.enable-self-preservation': 'false' } },
      { clients: 1, set: {} },
      { clients: 12, set: { 'eureka.server.renewal-percent-threshold': '0.4' } },
    ),
    seed: fc.integer({ min: 1, max: 1000 }),
  })
  .map((c) => ({
    model: 'eureka',
    seed: c.seed,
    clients: c.fleet.clients,
    // A pause needs an end: one past the horizon.
    faults: [c.fault === 'pause' ? `pause@${c.onsetS}s-${c.onsetS + 3600}s` : `${c.fault}@${c.onsetS}s`],
    set: {
      ...c.fleet.set,
      'eureka.instance.lease-renewal-interval-in-seconds': String(c.renewalS),
      'eureka.instance.lease-expiration-duration-in-seconds': String(c.leaseS),
      'eureka.server.eviction-interval-timer-in-ms': String(c.evictionMs),
      'eureka.server.response-cache-update-interval-ms': String(c.cacheMs),
      'eureka.client.registry-fetch-interval-seconds': String(c.fetchS),
      'sim.server.evictionPhase': `${Math.floor(c.phases[0] * c.evictionMs)}ms`,
      'sim.server.responseCachePhase': `${Math.floor(c.phases[1] * c.cacheMs)}ms`,
      'sim.subscriberStartPhase': `${Math.floor(c.phases[2] * c.fetchS * 1000)}ms`,
      'net.latency': c.latency,
    },
  }));

/** Long enough for every finite window to play out, and for "never" to mean something. */
const UNTIL = '20m';

const holds = (value: number | null, e: Expectation): boolean => {
  if (e.kind === 'no-bound') return true;
  if (e.kind === 'never') return value === null;
  return value !== null && value > e.interval.lowerMs && value <= e.interval.upperMs;
};

const check = (input: ScenarioFile): void => {
  const sc = resolveScenario({ ...input, until: UNTIL });
  const { result } = runScenario(sc, { trace: 'followed' });
  const b = result.bounds;
  if (b === null) throw new Error('eureka states bounds for every run');
  const m = result.metrics;
  const show = (e: Expectation): string => (e.kind === 'within' ? `(${e.interval.lowerMs}, ${e.interval.upperMs}]` : e.kind);
  claim(holds(m.detectionMs, b.removedFromFault), `detection ${m.detectionMs} ms outside ${show(b.removedFromFault)}`, sc);
  claim(holds(m.staleMs, b.staleFromFault), `stale ${m.staleMs} ms outside ${show(b.staleFromFault)}`, sc);
  const sinceHeard = m.serverRemovedAtMs === null || m.lastHeardAtMs === null ? null : m.serverRemovedAtMs - m.lastHeardAtMs;
  if (m.serverRemovedAtMs !== null)
    claim(holds(sinceHeard, b.removedFromLastHeard), `removal ${sinceHeard} ms after last heard outside ${show(b.removedFromLastHeard)}`, sc);
};

describe(suiteTitle('eureka › bounds › simulated times lie inside the analytic windows', RUNS), () => {
  it(
    'removal from the fault and from the last message heard, and the consumers’ update',
    () => {
      assertProperty(fc.property(caseArb, check), RUNS);
    },
    timeoutFor(RUNS, 40),
  );
});
