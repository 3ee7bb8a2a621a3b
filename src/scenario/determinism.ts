import { formatTraceLine } from '../sim/trace.js';
import { runScenario, type Scenario } from './run.js';

export type DeterminismVerdict =
  | { readonly ok: true; readonly traceHash: string; readonly events: number }
  | { readonly ok: false; readonly index: number; readonly first: string; readonly second: string };

/** Runs a scenario twice and compares the traces line by line; reports the first divergent event. */
export const checkDeterminism = (sc: Scenario): DeterminismVerdict => {
  const a = runScenario(sc);
  const b = runScenario(sc);
  const n = Math.max(a.trace.length, b.trace.length);
  for (let i = 0; i < n; i++) {
    const x = a.trace[i];
    const y = b.trace[i];
    const lx = x === undefined ? '(end of trace)' : formatTraceLine(x);
    const ly = y === undefined ? '(end of trace)' : formatTraceLine(y);
    if (lx !== ly) return { ok: false, index: i, first: lx, second: ly };
  }
  if (a.result.traceHash !== b.result.traceHash) return { ok: false, index: n, first: a.result.traceHash, second: b.result.traceHash };
  return { ok: true, traceHash: a.result.traceHash, events: a.trace.length };
};
