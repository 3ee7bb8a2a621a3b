import { observeDetector } from '../analysis/qos.js';
import { replayCommand } from '../scenario/replay.js';
import { resolveScenario, runScenario } from '../scenario/run.js';
import type { RunTask } from './plan.js';

/**
 * One run of a sweep → its JSON line (no newline). A pure function of the task: the worker
 * threads and the in-process path call this same function, so the bytes cannot depend on
 * where a run ran.
 */
export const runTask = (t: RunTask): string => {
  const sc = resolveScenario(t.input);
  const { result, trace } = runScenario(sc, { trace: 'followed' });
  const qos = observeDetector({ events: trace, faults: sc.faults, instance: 'c1', horizonUs: sc.untilUs });
  return JSON.stringify({
    type: 'run',
    i: t.i,
    point: t.point,
    seed: t.seed,
    set: t.set,
    faults: result.faults,
    metrics: result.metrics,
    qos,
    ...(result.capacity === undefined ? {} : { capacity: result.capacity }),
    stop: result.stop,
    config: result.config,
    traceHash: result.traceHash,
    replay: replayCommand(sc),
  });
};

/** A unit of work for the pool: a run to simulate, or the line of an illegal point's run. */
export type WorkItem = RunTask | string;

export const runItems = (items: readonly WorkItem[]): string[] => items.map((item) => (typeof item === 'string' ? item : runTask(item)));
