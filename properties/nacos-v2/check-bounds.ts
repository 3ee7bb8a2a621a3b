import type { Expectation } from '../../src/analysis/bounds.js';
import type { ModelDefinition } from '../../src/models/model.js';
import { v2BoundsOf, v2HorizonUs } from '../../src/models/nacos-v2/bound-target.js';
import { runScenario, type Scenario } from '../../src/scenario/run.js';
import { usToMs } from '../../src/sim/time.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { claim } from '../harness.js';
import { scenarioOf, type V2Case } from './arbitraries.js';

/**
 * The v2 bounds claim for one scenario, checked against the simulated trace:
 *  1. every removal of a connection that fell silent (ejected by the server, or closed by its
 *     gRPC keep-alive or its kernel giving up) lies inside the window from the last message the
 *     server heard on that connection (its registration, a request, a probe answer);
 *  2. from the fault: the removal, the client's detection and the subscribers' update lie inside
 *     their windows; where the bound says never, it never happens.
 * Where a bound says no-bound the simulation answers it, and nothing is claimed.
 */
const INSTANCE = 'c1';
const HEARD = new Set(['connection.register', 'request.recv', 'probe.reply']);
const SILENT = new Set(['ejected', 'transport-ping-timeout', 'transport-retransmit-timeout', 'transport-keepalive-timeout']);

const fmt = (e: Expectation): string => (e.kind === 'within' ? `(${e.interval.lowerMs}, ${e.interval.upperMs}] ms` : `${e.kind}: ${e.why}`);

const inside = (ms: number | null, e: Expectation): boolean => e.kind !== 'within' || (ms !== null && ms > e.interval.lowerMs && ms <= e.interval.upperMs);

/**
 * Each silent removal against the window from the last message heard on its connection. For an
 * ejection that is the last one heard before the probe that failed: the ejector unregisters every
 * probed connection whose probe went unanswered, even if a request arrived while it waited.
 */
const checkFromLastHeard = (trace: readonly TraceEvent[], window: Expectation, sc: Scenario): void => {
  if (window.kind !== 'within') return;
  const mine = (e: TraceEvent, conn: unknown): boolean => e.data?.connection === conn && (e.data?.instance === INSTANCE || e.data?.client === INSTANCE);
  trace.forEach((e, i) => {
    if (e.kind !== 'connection.unregister' || e.data?.client !== INSTANCE || !SILENT.has(String(e.data?.reason))) return;
    const conn = e.data?.connection;
    let end = i;
    if (e.data?.reason === 'ejected') while (end > 0 && !((trace[end] as TraceEvent).kind === 'probe.send' && mine(trace[end] as TraceEvent, conn))) end--;
    const heard = trace.slice(0, end).findLast((h) => HEARD.has(h.kind) && mine(h, conn));
    const ms = heard === undefined ? null : usToMs(e.t - heard.t);
    claim(inside(ms, window), `connection ${conn} ${e.data?.reason} ${ms} ms after the last message heard on it, outside ${fmt(window)}`, sc);
  });
};

const checkFromFault = (what: string, value: number | null, bound: Expectation, sc: Scenario): void => {
  if (bound.kind === 'never') claim(value === null, `${what} after ${value} ms, but the bound says never (${bound.why})`, sc);
  if (bound.kind === 'within') claim(inside(value, bound), `${what} after ${value} ms, outside ${fmt(bound)}`, sc);
};

const sinceFault = (t: number | null, from: number | null): number | null => (t === null || from === null ? null : Math.round((t - from) * 1000) / 1000);

/** Runs a case (with `model`, default the real one) to the horizon its bounds need and checks every v2 bound against it. */
export const checkV2Bounds = (c: V2Case, model?: ModelDefinition): void => {
  const probe = scenarioOf(c, 1000);
  checkScenarioV2Bounds({ ...probe, untilUs: v2HorizonUs(probe), ...(model === undefined ? {} : { model }) });
};

/** Runs one scenario and checks every v2 bound against its trace; throws a Violation. */
export const checkScenarioV2Bounds = (sc: Scenario): void => {
  const b = v2BoundsOf(sc);
  const { result, trace } = runScenario(sc);
  const m = result.metrics;
  if (Number(sc.config['net.loss']) === 0) checkFromLastHeard(trace, b.removedFromLastHeard, sc);
  checkFromFault('removal', m.detectionMs, b.removedFromFault, sc);
  checkFromFault('client detection', sinceFault(m.clientDetectedAtMs, m.faultAtMs), b.clientDetectedFromFault, sc);
  if (sc.subscribers > 0) checkFromFault('subscriber update', m.staleMs, b.staleFromFault, sc);
};
