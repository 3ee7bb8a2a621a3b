import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Expectation } from '../../src/analysis/bounds.js';
import { prepareBound, searchMetrics } from '../../src/bound/report.js';
import { resolveScenario, runScenario } from '../../src/scenario/run.js';
import type { ScenarioFile } from '../../src/scenario/scenario.js';
import { assertProperty, claim, propsRuns, suiteTitle, timeoutFor } from '../harness.js';

/**
 * Claim: over random Consul timings (a TTL check and the application's pass interval, or an HTTP
 * check's interval and timeout; deregister timeout
 * or none, probe interval and timeout, suspicion multiplier), latencies, agent start phases,
 * cluster sizes (clients and consumers are gossip members), fault kinds (crash and a long pause of
 * the application; cut and oneway:c2s of the node) and onsets, every simulated unhealthy mark,
 * removal and consumer update lies inside the analytic window of src/models/consul/bounds.ts, and
 * what it calls "never" does not happen before the horizon.
 *
 * Tightness: the application path is tight by construction (the onset just after a pass, and
 * after the pass whose critical time + D lands on a reaper tick, are on the search grid), and so
 * is the node path of a 3-member cluster (no confirmations wanted: both probers' shuffles can put
 * c1 last). From 4 members on the node path's upper end is not tight, by its own reason: it
 * assumes no confirmation reaches the server, so it carries the whole 6 × S_min, while the
 * other members' failed probes confirm the suspicion within a few seconds; the search must still
 * never pass it.
 */
const RUNS = propsRuns(60);

const caseArb: fc.Arbitrary<ScenarioFile> = fc
  .record({
    http: fc.boolean(),
    checkMs: fc.integer({ min: 500, max: 30_000 }),
    checkTimeoutMs: fc.integer({ min: 100, max: 20_000 }),
    ttlMs: fc.integer({ min: 3_000, max: 60_000 }),
    passShare: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
    deregisterS: fc.constantFrom(0, 0, 30, 60, 90, 150),
    probeMs: fc.integer({ min: 200, max: 2_000 }),
    timeoutShare: fc.double({ min: 0.2, max: 0.9, noNaN: true }),
    suspicionMult: fc.integer({ min: 1, max: 6 }),
    latency: fc.oneof(
      fc.integer({ min: 0, max: 20_000 }).map((us) => `fixed:${us}us`),
      fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 5_000 })).map(([lo, w]) => `uniform:${lo}us..${lo + w}us`),
    ),
    phase: fc.option(fc.double({ min: 0, max: 0.999, noNaN: true }), { nil: undefined }),
    fault: fc.constantFrom('cut', 'oneway:c2s', 'crash', 'pause'),
    onsetS: fc.integer({ min: 1, max: 200 }),
    clients: fc.integer({ min: 1, max: 4 }),
    subscribers: fc.integer({ min: 1, max: 2 }),
    seed: fc.integer({ min: 1, max: 1000 }),
  })
  .map((c) => ({
    model: 'consul',
    seed: c.seed,
    clients: c.clients,
    subscribers: c.subscribers,
    faults: [c.fault === 'pause' ? `pause@${c.onsetS}s-${c.onsetS + 3600}s` : `${c.fault}@${c.onsetS}s`],
    set: {
      'sim.checkType': c.http ? 'http' : 'ttl',
      interval: `${c.checkMs}ms`,
      timeout: `${c.checkTimeoutMs}ms`,
      ttl: `${c.ttlMs}ms`,
      'sim.app.ttlUpdateInterval': `${Math.max(1, Math.floor(c.ttlMs * c.passShare))}ms`,
      deregister_critical_service_after: `${c.deregisterS}s`,
      'gossip_lan.probe_interval': `${c.probeMs}ms`,
      'gossip_lan.probe_timeout': `${Math.max(1, Math.floor(c.probeMs * c.timeoutShare))}ms`,
      'gossip_lan.suspicion_mult': String(c.suspicionMult),
      ...(c.phase === undefined ? {} : { 'sim.agentStartPhase': `${Math.floor(c.phase * c.probeMs)}ms` }),
      'net.latency': c.latency,
    },
  }));

/** Long enough for every finite window to play out (60 s TTL + 150 s deregister + 30 s reaper after a 200 s onset), and for "never" to mean something. */
const UNTIL = '10m';

const holds = (value: number | null, e: Expectation): boolean =>
  e.kind === 'no-bound' || (e.kind === 'never' ? value === null : value !== null && value > e.interval.lowerMs && value <= e.interval.upperMs);

const show = (e: Expectation): string => (e.kind === 'within' ? `(${e.interval.lowerMs}, ${e.interval.upperMs}]` : e.kind);

const check = (input: ScenarioFile): void => {
  const sc = resolveScenario({ ...input, until: UNTIL });
  const { result } = runScenario(sc, { trace: 'followed' });
  const b = result.bounds;
  if (b === null) throw new Error('consul states bounds for every run');
  const m = result.metrics;
  const unhealthy = m.serverUnhealthyAtMs === null || m.faultAtMs === null ? null : m.serverUnhealthyAtMs - m.faultAtMs;
  claim(holds(unhealthy, b.unhealthyFromFault), `unhealthy ${unhealthy} ms outside ${show(b.unhealthyFromFault)}`, sc);
  claim(holds(m.detectionMs, b.removedFromFault), `removal ${m.detectionMs} ms outside ${show(b.removedFromFault)}`, sc);
  claim(holds(m.staleMs, b.staleFromFault), `stale ${m.staleMs} ms outside ${show(b.staleFromFault)}`, sc);
};

const searched = (input: ScenarioFile) => {
  const p = prepareBound(input, undefined);
  return searchMetrics(p, p.target.metrics, { seeds: 2 });
};

describe(suiteTitle('consul › bounds › simulated times lie inside the analytic windows', RUNS), () => {
  it(
    'unhealthy and removal from the fault, and the consumers’ update',
    () => {
      assertProperty(fc.property(caseArb, check), RUNS);
    },
    timeoutFor(RUNS, 300),
  );

  it('tight: the search reaches ≥ 98 % of every finite upper end on the application path and on a 3-member node path', () => {
    const inputs: ScenarioFile[] = [
      { model: 'consul', faults: ['crash'], set: { deregister_critical_service_after: '1m' } },
      {
        model: 'consul',
        faults: ['crash'],
        set: { ttl: '10s', 'sim.app.ttlUpdateInterval': '3s', deregister_critical_service_after: '90s', 'net.latency': 'uniform:1ms..5ms' },
      },
      { model: 'consul', faults: ['pause'], set: { 'sim.checkType': 'http', deregister_critical_service_after: '1m' } },
      { model: 'consul', faults: ['cut'] },
    ];
    for (const input of inputs)
      for (const r of searched(input)) {
        if (r.bound.kind !== 'within') continue;
        if (r.tightness === null || r.tightness < 0.98 || (r.worst.valueMs as number) > (r.bound.upperMs as number))
          throw new Error(`${r.metric} at ${JSON.stringify(input)}: worst ${r.worst.valueMs} against ${JSON.stringify(r.bound)} (${r.worst.replay})`);
      }
  }, 300_000);

  it('not tight from 4 members on the node path (confirmations the bound does not count), but never passed', () => {
    for (const clients of [2, 4]) {
      const input: ScenarioFile = { model: 'consul', faults: ['cut'], clients };
      for (const r of searched(input))
        if (r.bound.kind === 'within' && (r.worst.valueMs as number) > (r.bound.upperMs as number))
          throw new Error(`${r.metric} with ${clients} clients: worst ${r.worst.valueMs} above ${r.bound.upperMs} (${r.worst.replay})`);
    }
  }, 300_000);
});
