import { checkEstimate, estimateRun, type RunEstimate } from '../scenario/resource-estimate.js';
import { resolveScenario } from '../scenario/run.js';
import { type Plan, taskAt } from './plan.js';

/** Points sampled for the estimate: the first, the last (every axis at its end) and evenly between. */
const SAMPLED_POINTS = 8;

/**
 * A sweep is refused before its first run (exit 2, issue 20 item 3) when a run of a sampled point
 * is estimated to need more than `limitBytes`: each worker holds one run at a time, so the
 * largest run is what must fit. Axes are ranges or lists, largest usually at an end: the first
 * and last points are always sampled.
 */
export const checkPlanResources = (plan: Plan, limitBytes: number): void => {
  const legal = plan.points.filter((p) => p.illegal === null);
  const picks = new Set<number>();
  for (let k = 0; k < SAMPLED_POINTS && legal.length > 0; k++) picks.add(Math.round((k * (legal.length - 1)) / Math.max(1, SAMPLED_POINTS - 1)));
  let worst: { point: number; e: RunEstimate } | null = null;
  for (const k of picks) {
    const p = legal[k];
    if (p === undefined) continue;
    const t = taskAt(plan, p.index * plan.header.runs);
    if ('illegalLine' in t) continue;
    const e = estimateRun(resolveScenario(t.input));
    if (worst === null || e.bytes > worst.e.bytes) worst = { point: p.index, e };
  }
  if (worst !== null) checkEstimate(`a run of point ${worst.point}`, worst.e, limitBytes);
};
