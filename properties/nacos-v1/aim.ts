import fc from 'fast-check';
import { V1_CONSTANTS, V1_KEYS } from '../../src/models/nacos-v1/defaults.js';
import { v1Settings } from '../../src/models/nacos-v1/settings.js';
import { parseFaultTemplate, placeFault } from '../../src/scenario/fault-dsl.js';
import { runScenario } from '../../src/scenario/run.js';
import { msToUs } from '../../src/sim/time.js';
import { scenarioOf, type V1Case } from './arbitraries.js';

/**
 * Random onsets and phases almost never hit a bound's edge: the extremes sit at the microsecond
 * a request (or SYN-ACK) leaves, and at the check phase where a check lands exactly one timeout
 * after a beat heard. An aim moves a case's fault onto such an instant (±1 µs) and its check
 * phase onto such an alignment (±1 µs), read off a fault-free probe of the same case (the
 * trajectory before the fault does not depend on the fault, nor on the check phase without loss).
 */
export interface Aim {
  readonly edge: number;
  readonly deltaUs: -1 | 0 | 1;
  readonly heard: number;
  readonly timeout: 'delete' | 'beat';
  readonly phaseDeltaUs: -1 | 0 | 1;
}

export const aimArb: fc.Arbitrary<Aim> = fc.record({
  edge: fc.nat(64),
  deltaUs: fc.constantFrom(0, 1, -1),
  heard: fc.nat(8),
  timeout: fc.constantFrom('delete', 'beat'),
  phaseDeltaUs: fc.constantFrom(0, 1, -1),
});

const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);

/** The case with its onset and check phase moved onto an edge; unchanged when it has no fault. */
export const aimCase = (c: V1Case, aim: Aim): V1Case => {
  if (c.fault === null) return c;
  const t = parseFaultTemplate(c.fault);
  const onsetUs = t.startUs ?? 0;
  const probe = scenarioOf({ ...c, fault: null }, 1000);
  const s = v1Settings(probe.config, probe.clientVersion, probe.serverVersion);
  const cycleUs = msToUs(s.replyBeatIntervalMs + s.beatIntervalMs);
  const { trace } = runScenario({ ...probe, untilUs: onsetUs + 2 * cycleUs });
  // Edges: every datagram c1 or s1 sends to the other, and (for beat-error) each SYN minus P:
  // the instant the previous response arrived.
  const edges: number[] = [];
  for (const e of trace) {
    if (e.kind !== 'net.send' || Math.abs(e.t - onsetUs) > cycleUs) continue;
    if ((e.host === 'c1' && e.data?.to === 's1') || (e.host === 's1' && e.data?.to === 'c1')) edges.push(e.t);
    if (e.host === 'c1' && e.data?.kind === 'tcp.syn') edges.push(e.t - msToUs(s.replyBeatIntervalMs));
  }
  const edge = pick(edges, aim.edge);
  if (edge === undefined) return c;
  const startUs = Math.max(0, edge + aim.deltaUs);
  const heards = trace.filter((e) => e.kind === 'beat.recv' && e.data?.instance === 'c1' && Math.abs(e.t - startUs) <= cycleUs).map((e) => e.t);
  const heard = pick(heards, aim.heard);
  const periodUs = msToUs(V1_CONSTANTS.beatCheckPeriodMs);
  const set = { ...c.set };
  if (heard !== undefined) {
    const timeoutUs = msToUs(aim.timeout === 'delete' ? s.deleteTimeoutMs : s.beatTimeoutMs);
    const phaseUs = (((heard + timeoutUs + aim.phaseDeltaUs) % periodUs) + periodUs) % periodUs;
    set[V1_KEYS.checkPhase] = `${phaseUs / 1000}`;
  }
  return { ...c, set, fault: placeFault(t, startUs).text };
};
