import type { SweepHeader } from '../sweep/plan.js';
import { type PointSummary, SummaryBuilder } from '../sweep/summary.js';
import { scanSweepFile } from '../sweep/sweep-file.js';

/**
 * The sweeps in a set of files: files of the same plan (a finished sweep, or the shards of one)
 * are joined, each run counted once; different plans stay separate sweeps. Summaries are
 * recomputed from the run lines, never read from the file.
 */
export interface LoadedSweep {
  /** The plan's header, without any shard. */
  readonly header: SweepHeader;
  readonly files: readonly string[];
  /** Distinct runs found (header.total when complete). */
  readonly runs: number;
  readonly summaries: readonly PointSummary[];
  /** Per point: detection and stale times of each run, ms (null: never within the horizon). */
  readonly detectionMs: readonly (readonly (number | null)[])[];
  readonly staleMs: readonly (readonly (number | null)[])[];
  /** Per point: the replay line of its slowest detection (a never-detected run counts as slowest). */
  readonly worstReplay: readonly (string | null)[];
}

interface Building {
  header: SweepHeader;
  files: string[];
  seen: Set<number>;
  builder: SummaryBuilder;
  detection: (number | null)[][];
  stale: (number | null)[][];
  worst: { ms: number; replay: string | null }[];
}

export const loadSweeps = (files: readonly string[]): LoadedSweep[] => {
  const byPlan = new Map<string, Building>();
  for (const file of files) {
    let b: Building | null = null;
    const scan = scanSweepFile(file, (row, _text, header) => {
      b ??= building(byPlan, header, file);
      if (b.seen.has(row.i)) return;
      b.seen.add(row.i);
      b.builder.add(row);
      const m = row.metrics;
      if (m === undefined) return;
      b.detection[row.point]?.push(m.detectionMs);
      b.stale[row.point]?.push(m.staleMs);
      const ms = m.detectionMs ?? Number.POSITIVE_INFINITY;
      const w = b.worst[row.point];
      if (w !== undefined && (ms > w.ms || w.replay === null)) {
        w.ms = ms;
        w.replay = row.replay ?? null;
      }
    });
    // A file with a header and no runs yet still names its sweep.
    if (b === null) building(byPlan, scan.header, file);
  }
  return [...byPlan.values()].map((b) => ({
    header: b.header,
    files: b.files,
    runs: b.seen.size,
    summaries: b.builder.summaries(),
    detectionMs: b.detection,
    staleMs: b.stale,
    worstReplay: b.worst.map((w) => w.replay),
  }));
};

const building = (byPlan: Map<string, Building>, header: SweepHeader, file: string): Building => {
  const { shard: _s, ...plain } = header;
  let b = byPlan.get(header.planHash);
  if (b === undefined) {
    const points = header.points;
    b = {
      header: plain as SweepHeader,
      files: [],
      seen: new Set(),
      builder: new SummaryBuilder(plain as SweepHeader),
      detection: Array.from({ length: points }, () => []),
      stale: Array.from({ length: points }, () => []),
      worst: Array.from({ length: points }, () => ({ ms: Number.NEGATIVE_INFINITY, replay: null })),
    };
    byPlan.set(header.planHash, b);
  }
  if (!b.files.includes(file)) b.files.push(file);
  return b;
};
