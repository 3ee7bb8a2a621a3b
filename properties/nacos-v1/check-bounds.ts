import type { Expectation, V1Bounds } from '../../src/analysis/bounds.js';
import type { RunMetrics } from '../../src/analysis/metrics.js';
import type { ModelDefinition } from '../../src/models/model.js';
import { v1BoundsOf, v1HorizonUs } from '../../src/models/nacos-v1/bound-target.js';
import { V1_CONSTANTS } from '../../src/models/nacos-v1/defaults.js';
import { atLeast } from '../../src/models/version.js';
import { runScenario, type Scenario } from '../../src/scenario/run.js';
import { msToUs, usToMs } from '../../src/sim/time.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { claim } from '../harness.js';
import { scenarioOf, type V1Case } from './arbitraries.js';

/**
 * The v1 bounds claim for one scenario, checked against the simulated trace:
 *  1. every removal and every beat-timeout mark lies inside its window from the last lastBeat
 *     reset before the deciding check (a beat or a registration the server handled);
 *  2. from the fault: removal, unhealthy mark and the subscribers' update lie inside their
 *     windows; where the bound has no lower end (loss, or outside the envelope), the server no
 *     longer holds a healthy instance by the upper end; where the bound says never, it never happens.
 */
const INSTANCE = 'c1';
const RESETS = new Set(['beat.recv', 'instance.register']);

/** The last lastBeat reset strictly before a check at `checkUs` (a beat at the same µs would have prevented it). */
const lastResetBefore = (mine: readonly TraceEvent[], checkUs: number): number | null => {
  let last: number | null = null;
  for (const e of mine) {
    if (e.t >= checkUs) break;
    if (RESETS.has(e.kind)) last = e.t;
  }
  return last;
};

/** Is there an instant in [fromUs, byUs] at which `done` holds of the server's state of c1? */
const doneWithin = (mine: readonly TraceEvent[], fromUs: number, byUs: number, done: (s: { present: boolean; healthy: boolean }) => boolean): boolean => {
  if (done(stateAt(mine, fromUs))) return true;
  return mine.some((e) => e.t > fromUs && e.t <= byUs && done(stateAt(mine, e.t)));
};

/** Does the server hold c1 at `tUs`, and is it healthy? */
const stateAt = (mine: readonly TraceEvent[], tUs: number): { present: boolean; healthy: boolean } => {
  let present = false;
  let healthy = false;
  for (const e of mine) {
    if (e.t > tUs) break;
    if (e.kind === 'instance.register') [present, healthy] = [true, true];
    else if (e.kind === 'instance.remove') present = false;
    else if (e.kind === 'instance.unhealthy') healthy = false;
    else if (e.kind === 'instance.healthy') healthy = true;
  }
  return { present, healthy };
};

const fmt = (e: Expectation): string => (e.kind === 'within' ? `(${e.interval.lowerMs}, ${e.interval.upperMs}] ms` : `${e.kind}: ${e.why}`);

const checkFromLastHeard = (mine: readonly TraceEvent[], b: V1Bounds, sc: Scenario): void => {
  // A 1.x server deletes by an HTTP DELETE to itself 1 ms after the check; a 2.x server's v1 path at once.
  const selfDeleteMs = atLeast(sc.serverVersion, '2.0.0') ? 0 : V1_CONSTANTS.selfDeleteMs;
  const marks: [string, number, Expectation][] = [];
  for (const e of mine) {
    if (e.kind === 'instance.remove') marks.push(['removal', e.t - msToUs(selfDeleteMs), b.removedFromLastHeard]);
    if (e.kind === 'instance.unhealthy' && e.data?.reason === 'beat-timeout') marks.push(['unhealthy mark', e.t, b.unhealthyFromLastHeard]);
  }
  for (const [what, checkUs, bound] of marks) {
    claim(bound.kind !== 'never', `${what} at ${usToMs(checkUs)} ms, but the bound says ${fmt(bound)}`, sc);
    if (bound.kind !== 'within') continue;
    const l = lastResetBefore(mine, checkUs);
    const ms = l === null ? null : usToMs(checkUs - l + (what === 'removal' ? msToUs(selfDeleteMs) : 0));
    claim(ms !== null && ms > bound.interval.lowerMs && ms <= bound.interval.upperMs, `${what} ${ms} ms after the last beat heard, outside ${fmt(bound)}`, sc);
  }
};

/**
 * `holdsBy(from, by)`: was it done at some instant in [from, by]? Not "at by": with loss a beat
 * can still get through after a removal (the spare kept connection, bounds-v1-heard.ts) and
 * re-register the instance, which the next removal takes out again; the bound is on the first.
 */
const checkFromFault = (what: string, value: number | null, bound: Expectation, sc: Scenario, holdsBy: (fromUs: number, byUs: number) => boolean): void => {
  if (bound.kind === 'never') claim(value === null, `${what} after ${value} ms, but the bound says never (${bound.why})`, sc);
  if (bound.kind !== 'within') return;
  const { lowerMs, upperMs } = bound.interval;
  if (Number.isFinite(lowerMs)) {
    claim(value !== null && value > lowerMs && value <= upperMs, `${what} after ${value} ms, outside ${fmt(bound)}`, sc);
    return;
  }
  claim(value === null || value <= upperMs, `${what} after ${value} ms, above ${upperMs} ms`, sc);
  const fromUs = sc.faults[0]?.startUs ?? 0;
  const byUs = fromUs + msToUs(upperMs);
  claim(holdsBy(fromUs, byUs), `${what}: not done by ${usToMs(byUs)} ms (fault + ${upperMs} ms)`, sc);
};

const sinceFault = (t: number | null, m: RunMetrics): number | null => (t === null || m.faultAtMs === null ? null : usToMs(msToUs(t) - msToUs(m.faultAtMs)));

/** Runs a case (with `model`, default the real one) and checks every v1 bound against it. */
export const checkV1Bounds = (c: V1Case, model?: ModelDefinition): void => {
  const probe = scenarioOf(c, 1000, model);
  checkScenarioBounds({ ...probe, untilUs: v1HorizonUs(probe) });
};

/** Runs one scenario and checks every v1 bound against its trace; throws a Violation. */
export const checkScenarioBounds = (sc: Scenario): void => {
  const b = v1BoundsOf(sc);
  const { result, trace } = runScenario(sc);
  const m = result.metrics;
  const mine = trace.filter((e) => e.data?.instance === INSTANCE);
  checkFromLastHeard(mine, b, sc);
  checkFromFault('removal', m.detectionMs, b.removedFromFault, sc, (f, t) => doneWithin(mine, f, t, (s) => !s.present));
  checkFromFault('unhealthy mark', sinceFault(m.serverUnhealthyAtMs, m), b.unhealthyFromFault, sc, (f, t) =>
    doneWithin(mine, f, t, (s) => !s.present || !s.healthy),
  );
  if (sc.subscribers > 0) checkFromFault('subscriber update', m.staleMs, b.staleFromFault, sc, () => true);
};
