import type { Distribution } from '../analysis/distribution.js';
import type { LoadKind, TuneTargets } from './targets.js';

/**
 * One point of the search with what was measured there: the detection time under the fault
 * (every legal point) and, on fault-free runs, the false removals and the server load (the
 * points that meet the detection target, plus a few for comparison). Ranking is pure: it only
 * reads these numbers.
 */
export interface Candidate {
  readonly point: number;
  /** The searched settings of this point (canonical text, axis order). */
  readonly set: Readonly<Record<string, string>>;
  /** Searched settings that differ from the model's default (a tie-breaker: change no more than needed). */
  readonly changes: number;
  /** The chosen detection time (ms from the fault) over the faulted runs; null entries = never. */
  readonly detectionMs: Distribution;
  /** Fault-free runs (0: not measured, the point missed the detection target). */
  readonly steadyRuns: number;
  /** Fault-free runs with at least one false removal. */
  readonly falseRemovalRuns: number;
  /** falseRemovalRuns / steadyRuns; null when not measured. */
  readonly falseRemovalRate: number | null;
  /** Wilson score upper bound (95 %) of the false-removal rate: what the runs can vouch for. */
  readonly falseRemovalUpper95: number | null;
  /** Mean over the fault-free runs, per simulated second. */
  readonly messagesPerSec: number | null;
  readonly datagramsPerSec: number | null;
  readonly meetsDetection: boolean;
  /** null when not measured. */
  readonly meetsFalseRemoval: boolean | null;
  /** `livesim run …` of the run with the slowest detection. */
  readonly slowestReplay: string | null;
  /** `livesim run …` of the first fault-free run with a false removal. */
  readonly falseRemovalReplay: string | null;
}

export const meetsBoth = (c: Candidate): boolean => c.meetsDetection && c.meetsFalseRemoval === true;

export const loadOf = (c: Candidate, load: LoadKind): number | null => (load === 'messages' ? c.messagesPerSec : c.datagramsPerSec);

const otherLoad = (load: LoadKind): LoadKind => (load === 'messages' ? 'datagrams' : 'messages');

const orInf = (x: number | null): number => (x === null ? Number.POSITIVE_INFINITY : x);

/** Smallest load first; then the other load, faster p99, fewer false removals, fewer changes from the defaults, point order. */
export const byLoad =
  (load: LoadKind) =>
  (a: Candidate, b: Candidate): number => {
    const other = otherLoad(load);
    return (
      orInf(loadOf(a, load)) - orInf(loadOf(b, load)) ||
      orInf(loadOf(a, other)) - orInf(loadOf(b, other)) ||
      orInf(a.detectionMs.p99) - orInf(b.detectionMs.p99) ||
      orInf(a.falseRemovalRate) - orInf(b.falseRemovalRate) ||
      a.changes - b.changes ||
      a.point - b.point
    );
  };

/** Faster p99 first (never last); then mean, fewer false removals, smaller loads, fewer changes, point order. */
export const bySpeed =
  (load: LoadKind) =>
  (a: Candidate, b: Candidate): number =>
    orInf(a.detectionMs.p99) - orInf(b.detectionMs.p99) ||
    orInf(a.detectionMs.mean) - orInf(b.detectionMs.mean) ||
    orInf(a.falseRemovalRate) - orInf(b.falseRemovalRate) ||
    orInf(loadOf(a, load)) - orInf(loadOf(b, load)) ||
    orInf(loadOf(a, otherLoad(load))) - orInf(loadOf(b, otherLoad(load))) ||
    a.changes - b.changes ||
    a.point - b.point;

/**
 * The trade-off: the measured points no other measured point beats on all three of p99
 * detection, false-removal rate and load (at least as good on each, better on one), fastest first.
 */
export const paretoFront = (cands: readonly Candidate[], load: LoadKind): Candidate[] => {
  const measured = cands.filter((c) => c.falseRemovalRate !== null && loadOf(c, load) !== null);
  const key = (c: Candidate): [number, number, number] => [orInf(c.detectionMs.p99), orInf(c.falseRemovalRate), orInf(loadOf(c, load))];
  const dominates = (a: Candidate, b: Candidate): boolean => {
    const [ka, kb] = [key(a), key(b)];
    return ka.every((x, i) => x <= (kb[i] as number)) && ka.some((x, i) => x < (kb[i] as number));
  };
  return measured.filter((c) => !measured.some((o) => o !== c && dominates(o, c))).sort(bySpeed(load));
};

export interface Choice {
  readonly recommendation: Candidate | null;
  readonly runnersUp: readonly Candidate[];
  /** How many points meet both targets. */
  readonly feasible: number;
  /** When none meets both: the fastest among those accurate enough, and the most accurate among those fast enough. */
  readonly nearest: { readonly fastestAccurate: Candidate | null; readonly mostAccurateFast: Candidate | null } | null;
}

export const choose = (cands: readonly Candidate[], targets: TuneTargets, runnersUp: number): Choice => {
  const feasible = cands.filter(meetsBoth).sort(byLoad(targets.load));
  if (feasible.length > 0)
    return { recommendation: feasible[0] as Candidate, runnersUp: feasible.slice(1, 1 + runnersUp), feasible: feasible.length, nearest: null };
  const accurate = cands.filter((c) => c.meetsFalseRemoval === true).sort(bySpeed(targets.load));
  const fast = cands
    .filter((c) => c.meetsDetection && c.falseRemovalRate !== null)
    .sort((a, b) => orInf(a.falseRemovalRate) - orInf(b.falseRemovalRate) || byLoad(targets.load)(a, b));
  return { recommendation: null, runnersUp: [], feasible: 0, nearest: { fastestAccurate: accurate[0] ?? null, mostAccurateFast: fast[0] ?? null } };
};

/** Wilson score interval, upper end, z = 1.96: k successes in n trials. */
export const wilsonUpper95 = (k: number, n: number): number | null => {
  if (n === 0) return null;
  const z = 1.959964;
  const p = k / n;
  const z2n = (z * z) / n;
  const upper = (p + z2n / 2 + z * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n))) / (1 + z2n);
  return Number(Math.min(1, upper).toPrecision(6));
};

/** Fault-free runs needed for 0 false removals to put the Wilson upper bound at or below `rate`. */
export const runsToResolve = (rate: number): number | null => {
  if (!(rate > 0)) return null;
  // With k = 0 the Wilson upper bound is z²/(n + z²).
  const z2 = 1.959964 ** 2;
  return Math.ceil(z2 / rate - z2);
};
