import fc from 'fast-check';
import { v2SettingsOf } from '../../src/models/nacos-v2/bound-target.js';
import { V2_CONSTANTS as K, V2_KEYS } from '../../src/models/nacos-v2/defaults.js';
import { HEALTH_SLEEP_MAX_MS } from '../../src/models/nacos-v2/settings.js';
import { parseFaultTemplate, placeFault } from '../../src/scenario/fault-dsl.js';
import { runScenario } from '../../src/scenario/run.js';
import { msToUs } from '../../src/sim/time.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { scenarioOf, type V2Case } from './arbitraries.js';

/**
 * Random onsets and ejector phases almost never hit a v2 window's edge: the extremes sit at the
 * microsecond a datagram between c1 and s1 leaves (the last request heard, the answer that gets
 * through or not), and at the ejector phase that puts a run exactly at, or 1 µs before, 20 s after
 * the last message heard. An aim moves a case's fault onto such an instant (±1 µs) and its
 * `sim.ejectorPhase` onto such an alignment (±1 µs), read off a fault-free probe of the same case
 * (the trajectory before the fault does not depend on the fault, nor on the phase).
 */
export interface V2Aim {
  readonly edge: number;
  readonly deltaUs: -1 | 0 | 1;
  readonly phaseDeltaUs: -1 | 0 | 1;
}

export const aimArb: fc.Arbitrary<V2Aim> = fc.record({
  edge: fc.nat(64),
  deltaUs: fc.constantFrom(0, 1, -1),
  phaseDeltaUs: fc.constantFrom(0, -1, 1),
});

const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);

const toS1 = (e: TraceEvent): boolean => e.kind === 'net.send' && e.host === 'c1' && e.data?.to === 's1' && e.data?.kind === 'stream.data';

/** When the server last heard c1 if a cut came at `onsetUs`: the arrival of the last request that left before it. */
const lastHeardBefore = (trace: readonly TraceEvent[], onsetUs: number): number | null => {
  let sentUs = Number.NEGATIVE_INFINITY;
  let heard: number | null = null;
  for (const e of trace) {
    if (toS1(e)) sentUs = e.t;
    else if (e.kind === 'request.recv' && e.data?.instance === 'c1' && sentUs < onsetUs) heard = e.t;
  }
  return heard;
};

/** The case with its onset moved onto an edge and its ejector phase onto an alignment; unchanged without a fault. */
export const aimCase = (c: V2Case, aim: V2Aim): V2Case => {
  if (c.fault === null) return c;
  const t = parseFaultTemplate(c.fault);
  const onsetUs = t.startUs ?? 0;
  const probe = scenarioOf({ ...c, fault: null }, 1000);
  const s = v2SettingsOf(probe);
  const cycleUs = msToUs(s.keepAliveMs + HEALTH_SLEEP_MAX_MS + s.healthTimeoutMs);
  const { trace } = runScenario({ ...probe, untilUs: onsetUs + cycleUs });
  const edges = trace
    .filter((e) => e.kind === 'net.send' && ((e.host === 'c1' && e.data?.to === 's1') || (e.host === 's1' && e.data?.to === 'c1')))
    .map((e) => e.t)
    .filter((tUs) => Math.abs(tUs - onsetUs) <= cycleUs);
  const edge = pick(edges, aim.edge);
  if (edge === undefined) return c;
  const startUs = Math.max(0, edge + aim.deltaUs);
  const heard = lastHeardBefore(trace, startUs);
  const periodUs = msToUs(K.ejectorPeriodMs);
  const set = { ...c.set };
  if (heard !== null) {
    const phaseUs = (((heard + msToUs(K.idleLimitMs) + aim.phaseDeltaUs) % periodUs) + periodUs) % periodUs;
    set[V2_KEYS.ejectorPhase] = `${phaseUs / 1000}`;
  }
  return { ...c, set, fault: placeFault(t, startUs).text };
};
