import { type Distribution, distribution } from '../analysis/distribution.js';
import { type Plan, taskAt } from '../sweep/plan.js';
import { execute } from '../sweep/pool.js';
import { type PointSummary, SummaryBuilder } from '../sweep/summary.js';
import type { RunRow } from '../sweep/sweep-file.js';
import type { WorkItem } from '../sweep/task.js';
import type { DetectionKind } from './spaces.js';

/**
 * Runs some points of a sweep plan — all their seeds — on the sweep's worker pool, and folds
 * each run's line into per-point numbers as it arrives (nothing is held per run). The lines are
 * the very lines `livesim sweep` writes for those runs: the same plan, the same run index, the
 * same pure task, so the numbers do not depend on the worker count, and the fault onsets are the
 * sweep's common random numbers (every point sees the same onset for a seed).
 */
export interface PointResult {
  readonly summary: PointSummary;
  /** The chosen detection time over the runs (ms from the fault). */
  readonly detectionMs: Distribution;
  readonly slowestReplay: string | null;
  /** Runs with at least one false removal, and the first of them. */
  readonly falseRemovalRuns: number;
  readonly falseRemovalReplay: string | null;
}

export interface EvaluateOptions {
  readonly workers: number;
  readonly detection: DetectionKind;
  readonly onProgress?: (done: number, total: number) => void;
}

interface Acc {
  readonly detection: (number | null)[];
  slowest: { readonly value: number | null; readonly replay: string } | null;
  falseRemovalRuns: number;
  falseRemovalReplay: string | null;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** One run's detection time of the chosen kind, from its metrics. */
export const detectionOf = (row: RunRow, kind: DetectionKind): number | null => {
  const m = row.metrics;
  if (m === undefined) return null;
  if (kind === 'server') return m.detectionMs;
  if (kind === 'subscriber') return m.staleMs;
  const detected = m.clientDetectedAtMs;
  const fault = m.faultAtMs;
  return typeof detected === 'number' && typeof fault === 'number' ? round3(detected - fault) : null;
};

/** A never (null) is slower than any time. */
const slower = (a: number | null, b: number | null): boolean => (a === null ? b !== null : b !== null && a > b);

export const evaluatePoints = async (plan: Plan, points: readonly number[], opts: EvaluateOptions): Promise<Map<number, PointResult>> => {
  const runs = plan.header.runs;
  const order = [...points].sort((a, b) => a - b);
  const builder = new SummaryBuilder(plan.header);
  const acc = new Map<number, Acc>(order.map((p) => [p, { detection: [], slowest: null, falseRemovalRuns: 0, falseRemovalReplay: null }]));
  const total = order.length * runs;
  let done = 0;
  const item = (k: number): WorkItem => {
    const t = taskAt(plan, (order[Math.floor(k / runs)] as number) * runs + (k % runs));
    return 'illegalLine' in t ? t.illegalLine : t;
  };
  await execute(
    { count: total, item },
    {
      workers: Math.max(1, Math.min(opts.workers, total)),
      onLine: (line) => {
        const row = JSON.parse(line) as RunRow;
        builder.add(row);
        const a = acc.get(row.point) as Acc;
        const value = detectionOf(row, opts.detection);
        a.detection.push(value);
        const replay = row.replay ?? '';
        if (a.slowest === null || slower(value, a.slowest.value)) a.slowest = { value, replay };
        if ((row.metrics?.falseRemovals ?? 0) > 0) {
          a.falseRemovalRuns++;
          a.falseRemovalReplay ??= replay;
        }
        opts.onProgress?.(++done, total);
      },
    },
  );
  const summaries = builder.summaries();
  const out = new Map<number, PointResult>();
  for (const p of order) {
    const a = acc.get(p) as Acc;
    out.set(p, {
      summary: summaries[p] as PointSummary,
      detectionMs: distribution(a.detection),
      slowestReplay: a.slowest?.replay ?? null,
      falseRemovalRuns: a.falseRemovalRuns,
      falseRemovalReplay: a.falseRemovalReplay,
    });
  }
  return out;
};
