import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { v1SafeEnvelope } from '../../src/analysis/bounds.js';
import { prepareBound, searchMetrics } from '../../src/bound/report.js';
import { v1PollShiftCycles } from '../../src/models/nacos-v1/bound-target.js';
import { V1_CONSTANTS } from '../../src/models/nacos-v1/defaults.js';
import { v1Settings } from '../../src/models/nacos-v1/settings.js';
import { V1_ON_V2_CONSTANTS } from '../../src/models/nacos-v1/v2-path/defaults.js';
import { atLeast } from '../../src/models/version.js';
import { parseLatency } from '../../src/scenario/latency-dsl.js';
import { resolveScenario, runScenario } from '../../src/scenario/run.js';
import type { ScenarioFile } from '../../src/scenario/scenario.js';
import { latencyEnvelope } from '../../src/sim/latency.js';
import { usToMs } from '../../src/sim/time.js';
import { propsRuns, sampleWithSeed, scenarioFromReplay, suiteTitle, timeoutFor } from '../harness.js';
import { timingArb } from './arbitraries.js';

/**
 * Claim: the analytic bounds are tight. For the defaults and for random legal configurations
 * inside the envelope, the targeted search (timer grid + hill-climb, src/bound) finds a case at
 * ≥ 98 % of each finite upper bound and ≤ 102 % of each finite lower bound — and none outside
 * the bound. Checked for removal and the unhealthy mark (both ends) and the subscribers' update
 * (upper end, where the push path is the slowest; docs/bounds.md §6 says why its lower end, its
 * refresh-only poll path, and its upper end where the beat and poll grids are locked and a poll
 * beat the push are not claimed tight: the search has no subscriber-phase dimension).
 */
const RANDOM = propsRuns(20, 200);

/**
 * Legal configurations inside the envelope whose lower bounds stay ≥ 2 s above zero and whose
 * latency spread is a few ms: a 2 % tolerance on a lower bound of a few ms would ask the search
 * for three maximal latency draws in a row, which is luck, not tightness.
 */
const tightLatencyArb = fc.oneof(
  fc.integer({ min: 0, max: 20_000 }).map((us) => `fixed:${us}us`),
  fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 3_000 })).map(([lo, w]) => `uniform:${lo}us..${lo + w}us`),
);

const configArb: fc.Arbitrary<ScenarioFile> = fc
  .record({
    timing: timingArb,
    latency: tightLatencyArb,
    fault: fc.constantFrom('cut', 'oneway:c2s', 'oneway:s2c', 'crash', 'beat-error'),
  })
  .map(({ timing, latency, fault }) => ({
    model: 'nacos-v1',
    clientVersion: fault === 'beat-error' ? '1.4.1' : '1.4.8',
    // The check phase is searched, so it stays auto here.
    set: { ...timing, 'sim.checkPhase': 'auto', 'net.latency': latency },
    faults: [fault],
  }))
  .filter((input) => {
    const sc = resolveScenario({ ...input, faults: [] });
    const latency = latencyEnvelope(parseLatency(String(sc.config['net.latency'])));
    const s = v1Settings(sc.config, sc.clientVersion);
    const longest = Math.max(s.beatIntervalMs, s.replyBeatIntervalMs);
    return v1SafeEnvelope(sc.config, sc.clientVersion, latency) === null && Math.min(s.beatTimeoutMs, s.deleteTimeoutMs) - longest >= 2000;
  });

/**
 * A 1.x client against a 2.x/3.x server's v1 path (bounds-v1-on-v2.ts): the removal window of the
 * ip:port client's check, and of the client expiry where the check cannot delete.
 */
const ON_V2_CASES: readonly [string, ScenarioFile][] = [
  ['server 2.2.3, client 1.4.0, defaults, cut', { model: 'nacos-v1', clientVersion: '1.4.0', serverVersion: '2.2.3', faults: ['cut'] }],
  ['server 3.0.3, defaults, crash', { model: 'nacos-v1', serverVersion: '3.0.3', faults: ['crash'] }],
  [
    'server 2.2.3, expireInstance=false, client expiry 40 s, cut',
    { model: 'nacos-v1', serverVersion: '2.2.3', set: { 'nacos.naming.expireInstance': 'false', 'nacos.naming.client.expired.time': '40s' }, faults: ['cut'] },
  ],
];

const CASES: readonly [string, ScenarioFile][] = [
  ['defaults, cut', { model: 'nacos-v1', faults: ['cut'] }],
  ...ON_V2_CASES,
  ...sampleWithSeed(configArb, RANDOM).map((input, i): [string, ScenarioFile] => [
    `random #${i + 1}: ${input.faults?.[0]} ${Object.entries(input.set ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
    input,
  ]),
];

/** In the run a replay line describes: did the subscriber's view drop the instance on a poll's answer (no push landed then)? */
const droppedByPoll = (replay: string): boolean => {
  const { trace } = runScenario(scenarioFromReplay(replay));
  const removedUs = trace.find((e) => e.kind === 'instance.remove' && e.data?.instance === 'c1')?.t;
  const update = removedUs === undefined ? undefined : trace.find((e) => e.kind === 'view.update' && e.t >= removedUs);
  return update !== undefined && !trace.some((e) => e.kind === 'push.recv' && e.host === update.host && e.t === update.t);
};

describe(suiteTitle('nacos-v1 › tightness › the search reaches every finite bound within 2 %', RANDOM), () => {
  it.each(CASES)(
    '%s',
    (_name, input) => {
      const p = prepareBound(input, undefined);
      const latency = latencyEnvelope(parseLatency(String(p.base.config['net.latency'])));
      const dMaxMs = usToMs(latency.maxUs);
      // Beat and poll grids locked (P near a multiple of cacheMillis): no affordable onset moves the removal on the poll grid.
      const locked = v1PollShiftCycles(v1Settings(p.base.config, p.base.clientVersion), latency) === null;
      const reports = searchMetrics(p, p.target.metrics, { seeds: 1, climbs: 2 });
      const removalUpper = reports.find((r) => r.metric === 'detection')?.bound.upperMs ?? null;
      for (const r of reports) {
        const b = r.bound;
        if (b.kind !== 'within' || b.upperMs === null) continue;
        // The subscribers' update is claimed tight where the push path sets its upper bound.
        // The push path: 1 s + 5·dmax after a 1.x removal; the 500 ms task on the 100 ms grid + dmax after a 2.x one.
        const onV2 = atLeast(p.base.serverVersion, '2.0.0');
        const pushMs = onV2 ? V1_ON_V2_CONSTANTS.pushTaskDelayMs + V1_ON_V2_CONSTANTS.pushEngineTickMs + dMaxMs : V1_CONSTANTS.pushDelayMs + 5 * dMaxMs;
        const pushPath = removalUpper !== null && Math.abs(b.upperMs - removalUpper - pushMs) < 1e-6;
        if (r.metric === 'stale' && !pushPath) continue;
        const where = `${r.metric}: worst ${r.worst.valueMs} ms (replay: ${r.worst.replay}), best ${r.best.valueMs} ms (replay: ${r.best.replay}), bound (${b.lowerMs}, ${b.upperMs}]`;
        expect(r.worst.valueMs, where).not.toBeNull();
        expect(r.worst.valueMs as number, where).toBeLessThanOrEqual(b.upperMs);
        // Where the grids are locked and a poll beat the push in the worst case, where the removal falls
        // on the subscriber's poll grid is the subscriber's start phase: a dimension the model has no
        // knob for (docs/bounds.md §6). Everywhere else the second onset window reaches the push path.
        const pollFirst = r.metric === 'stale' && locked && droppedByPoll(r.worst.replay);
        if (!pollFirst) expect(r.worst.valueMs as number, where).toBeGreaterThanOrEqual(0.98 * b.upperMs);
        if (b.lowerMs === null) continue;
        expect(r.best.valueMs as number, where).toBeGreaterThan(b.lowerMs);
        // The client expiry's lower end needs the cleaner to run just after L + E; its grid is fixed by
        // the server's start, a phase the search has no dimension for (docs/bounds.md §7): not claimed.
        const cleanerDecides = onV2 && input.set?.['nacos.naming.expireInstance'] === 'false';
        if (r.metric !== 'stale' && !cleanerDecides) expect(r.best.valueMs as number, where).toBeLessThanOrEqual(1.02 * b.lowerMs);
      }
    },
    timeoutFor(1, 5000),
  );
});
