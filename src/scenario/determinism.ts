import { formatTraceLine, type TraceEvent } from '../sim/trace.js';
import { type RunOutput, runScenario, type Scenario } from './run.js';

export type DeterminismVerdict =
  | { readonly ok: true; readonly traceHash: string; readonly events: number }
  | { readonly ok: false; readonly index: number; readonly first: string; readonly second: string };

/** What `compareRuns` reads of a run: its events and its trace hash. */
export interface ComparedRun {
  readonly trace: readonly TraceEvent[];
  readonly traceHash: string;
}

/** Stands for the missing event when one trace is shorter than the other. */
export const END_OF_TRACE = '(end of trace)';

/**
 * Compares two runs event by event, in their canonical trace lines (what the trace hash is made
 * of): the first index where the lines differ — a missing event counts as `(end of trace)` —
 * or, if every kept event is equal, the hashes (which also cover events a run did not keep).
 */
export const compareRuns = (a: ComparedRun, b: ComparedRun): DeterminismVerdict => {
  const n = Math.max(a.trace.length, b.trace.length);
  for (let i = 0; i < n; i++) {
    const x = a.trace[i];
    const y = b.trace[i];
    const lx = x === undefined ? END_OF_TRACE : formatTraceLine(x);
    const ly = y === undefined ? END_OF_TRACE : formatTraceLine(y);
    if (lx !== ly) return { ok: false, index: i, first: lx, second: ly };
  }
  if (a.traceHash !== b.traceHash) return { ok: false, index: n, first: a.traceHash, second: b.traceHash };
  return { ok: true, traceHash: a.traceHash, events: a.trace.length };
};

const compared = (r: RunOutput): ComparedRun => ({ trace: r.trace, traceHash: r.result.traceHash });

/** Runs a scenario twice and compares the traces line by line; reports the first divergent event. */
export const checkDeterminism = (sc: Scenario, run: (sc: Scenario) => RunOutput = runScenario): DeterminismVerdict =>
  compareRuns(compared(run(sc)), compared(run(sc)));
