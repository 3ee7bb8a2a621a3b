import { type Distribution, distribution } from '../analysis/distribution.js';
import { aggregateQos, type DetectorObservation, type DetectorQos } from '../analysis/qos.js';
import { pointSet, type SweepHeader } from './plan.js';
import type { RunRow } from './sweep-file.js';

/**
 * The summary of one point of a sweep, from its runs: the spread of detection and stale time,
 * how often a live instance was removed, the load, and the failure-detector QoS.
 */
export interface PointSummary {
  readonly type: 'summary';
  readonly point: number;
  readonly set: Readonly<Record<string, string>>;
  /** Runs found for this point. */
  readonly runs: number;
  readonly illegal: string | null;
  readonly detectionMs: Distribution;
  readonly staleMs: Distribution;
  /** Fraction of runs with at least one false removal; null without runs. */
  readonly falseRemovalRate: number | null;
  readonly falseRemovals: number;
  /** Protocol messages (every counted kind but raw datagrams) per simulated second, mean over runs. */
  readonly messagesPerSec: number | null;
  readonly datagramsPerSec: number | null;
  readonly qos: DetectorQos;
}

interface Acc {
  runs: number;
  illegal: string | null;
  detection: (number | null)[];
  stale: (number | null)[];
  withFalseRemoval: number;
  falseRemovals: number;
  /** Per run, by seed, so that sums do not depend on the order rows arrive in. */
  load: { seed: number; messagesPerSec: number; datagramsPerSec: number }[];
  qos: { seed: number; obs: DetectorObservation }[];
}

/** Collects runs (in any order) and summarises each point of the plan. */
export class SummaryBuilder {
  private readonly acc: Acc[];

  constructor(private readonly header: SweepHeader) {
    this.acc = Array.from({ length: header.points }, () => ({
      runs: 0,
      illegal: null,
      detection: [],
      stale: [],
      withFalseRemoval: 0,
      falseRemovals: 0,
      load: [],
      qos: [],
    }));
  }

  add(row: RunRow): void {
    const a = this.acc[row.point];
    if (a === undefined) return;
    a.runs++;
    if (row.illegal !== undefined) {
      a.illegal = row.illegal;
      return;
    }
    const m = row.metrics;
    if (m === undefined) return;
    a.detection.push(m.detectionMs);
    a.stale.push(m.staleMs);
    if (m.falseRemovals > 0) a.withFalseRemoval++;
    a.falseRemovals += m.falseRemovals;
    const seconds = (row.stop?.atMs ?? 0) / 1000;
    let messages = 0;
    for (const [kind, n] of Object.entries(m.messages)) if (kind !== 'datagrams') messages += n;
    a.load.push({
      seed: row.seed,
      messagesPerSec: seconds > 0 ? messages / seconds : 0,
      datagramsPerSec: seconds > 0 ? (m.messages.datagrams ?? 0) / seconds : 0,
    });
    if (row.qos !== undefined) a.qos.push({ seed: row.seed, obs: row.qos });
  }

  summaries(): PointSummary[] {
    const faulted = this.header.faults.length > 0;
    return this.acc.map((a, point) => {
      const measured = a.illegal === null ? a.runs : 0;
      const load = [...a.load].sort((x, y) => x.seed - y.seed);
      const mean = (f: (l: (typeof load)[number]) => number): number | null =>
        load.length === 0 ? null : round3(load.reduce((sum, l) => sum + f(l), 0) / load.length);
      const qos = [...a.qos].sort((x, y) => x.seed - y.seed).map((q) => q.obs);
      return {
        type: 'summary',
        point,
        set: pointSet(this.header.vary, point),
        runs: a.runs,
        illegal: a.illegal,
        detectionMs: distribution(faulted ? a.detection : []),
        staleMs: distribution(faulted ? a.stale : []),
        falseRemovalRate: measured === 0 ? null : round6(a.withFalseRemoval / measured),
        falseRemovals: a.falseRemovals,
        messagesPerSec: mean((l) => l.messagesPerSec),
        datagramsPerSec: mean((l) => l.datagramsPerSec),
        qos: aggregateQos(qos, faulted),
      };
    });
  }
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
