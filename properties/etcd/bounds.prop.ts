import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Expectation } from '../../src/analysis/bounds.js';
import { prepareBound, searchMetrics } from '../../src/bound/report.js';
import { resolveScenario, runScenario } from '../../src/scenario/run.js';
import type { ScenarioFile } from '../../src/scenario/scenario.js';
import { assertProperty, claim, propsRuns, suiteTitle, timeoutFor } from '../harness.js';

/**
 * Claim: over random etcd timings (the session TTL asked, the heartbeat interval and election
 * timeout, hence the minimum and the granted TTL), latencies, lessor phases, fault kinds (cut,
 * oneway c2s, crash, pause), onsets, fleet sizes and one member or three, every simulated removal and consumer update
 * lies inside the analytic window of src/models/etcd/bounds.ts; and the bound search reaches
 * ≥ 98 % of both upper ends (tight by construction: the onset and the lessor's pass phase are
 * searched, and the worst case — the last keepalive sent just before the fault at the longest leg,
 * its expiry just after a pass — is reachable).
 */
const RUNS = propsRuns(150);

const caseArb: fc.Arbitrary<ScenarioFile> = fc
  .record({
    ttlS: fc.integer({ min: 1, max: 90 }),
    heartbeatMs: fc.integer({ min: 20, max: 500 }),
    electionTicks: fc.integer({ min: 5, max: 20 }),
    phaseMs: fc.integer({ min: 0, max: 499 }),
    latency: fc.oneof(
      fc.integer({ min: 0, max: 20_000 }).map((us) => `fixed:${us}us`),
      fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 5_000 })).map(([lo, w]) => `uniform:${lo}us..${lo + w}us`),
    ),
    fault: fc.constantFrom('cut', 'oneway:c2s', 'crash', 'pause'),
    onsetS: fc.integer({ min: 1, max: 200 }),
    clients: fc.integer({ min: 1, max: 4 }),
    servers: fc.constantFrom(1, 1, 3),
    seed: fc.integer({ min: 1, max: 1000 }),
  })
  .map((c) => ({
    model: 'etcd',
    seed: c.seed,
    clients: c.clients,
    servers: c.servers,
    faults: [c.fault === 'pause' ? `pause@${c.onsetS}s-${c.onsetS + 3600}s` : `${c.fault}@${c.onsetS}s`],
    set: {
      'concurrency.WithTTL': String(c.ttlS),
      'heartbeat-interval': `${c.heartbeatMs}ms`,
      'election-timeout': `${c.heartbeatMs * c.electionTicks + (c.seed % c.heartbeatMs)}ms`,
      'sim.server.lessorPhase': `${c.phaseMs}ms`,
      'net.latency': c.latency,
    },
  }));

const holds = (value: number | null, e: Expectation): boolean =>
  e.kind === 'no-bound' || (e.kind === 'never' ? value === null : value !== null && value > e.interval.lowerMs && value <= e.interval.upperMs);

const check = (input: ScenarioFile): void => {
  const sc = resolveScenario({ ...input, until: '10m' });
  const { result } = runScenario(sc, { trace: 'followed' });
  const b = result.bounds;
  if (b === null) throw new Error('etcd states bounds for every run');
  const m = result.metrics;
  claim(holds(m.detectionMs, b.removedFromFault), `detection ${m.detectionMs} ms outside ${JSON.stringify(b.removedFromFault)}`, sc);
  claim(holds(m.staleMs, b.staleFromFault), `stale ${m.staleMs} ms outside ${JSON.stringify(b.staleFromFault)}`, sc);
};

describe(suiteTitle('etcd › bounds › simulated times lie inside the analytic windows', RUNS), () => {
  it(
    'removal from the fault and the consumers’ update',
    () => {
      assertProperty(fc.property(caseArb, check), RUNS);
    },
    timeoutFor(RUNS, 20),
  );

  it('the search reaches ≥ 98 % of both upper ends at the defaults (one member and three) and at TTL 5 s, latency 1–5 ms', () => {
    const cases: { set: Record<string, string>; servers: number }[] = [
      { set: {}, servers: 1 },
      { set: { 'concurrency.WithTTL': '5', 'net.latency': 'uniform:1ms..5ms' }, servers: 1 },
      { set: {}, servers: 3 },
    ];
    for (const { set, servers } of cases) {
      const p = prepareBound({ model: 'etcd', set, servers }, undefined);
      for (const r of searchMetrics(p, p.target.metrics, { seeds: 2 })) {
        if (r.bound.kind !== 'within' || r.tightness === null || r.tightness < 0.98 || (r.worst.valueMs as number) > (r.bound.upperMs as number))
          throw new Error(`${r.metric} at ${JSON.stringify(set)}: worst ${r.worst.valueMs} against ${JSON.stringify(r.bound)} (${r.worst.replay})`);
      }
    }
  }, 120_000);
});
