/**
 * A targeted search for the extreme of one simulated quantity over a small space: exhaustive
 * enumeration of a grid (every timer dimension cut into equal steps, every choice value), then
 * hill-climbs from the best grid points. fast-check has no `target()`, so this is the targeted
 * half of "prove the bound is tight": the properties check the bound, this finds its edge.
 *
 * The landscapes it is built for are saw-tooth: detection grows linearly while the fault onset
 * moves towards the instant a beat leaves (or the check phase towards the instant a check just
 * misses the timeout), then drops by a whole period. A climb that stays inside one tooth and
 * halves its step down to 1 µs reaches the tooth's edge exactly.
 */

/** A time dimension in µs, [loUs, hiUs); circular ones wrap (a phase), others clamp (an onset). */
export interface TimeDim {
  readonly kind: 'time';
  readonly name: string;
  readonly loUs: number;
  readonly hiUs: number;
  readonly circular: boolean;
}

/** A dimension with unordered values (seeds: each one a different latency draw). */
export interface ChoiceDim {
  readonly kind: 'choice';
  readonly name: string;
  readonly values: readonly number[];
}

export type Dim = TimeDim | ChoiceDim;
export type Point = Readonly<Record<string, number>>;
export type Goal = 'max' | 'min';

export interface SearchBudget {
  /** Grid points per time dimension. */
  readonly gridPerDim: number;
  /** Hill-climbs, each from one of the best distinct grid points. */
  readonly climbs: number;
  /** The climb stops refining a dimension below this step. */
  readonly minStepUs: number;
  /** Hard cap on evaluations (grid included). */
  readonly maxEvaluations: number;
}

export interface Found {
  readonly point: Point;
  /** null: the quantity never happened (counts as +∞). */
  readonly value: number | null;
  readonly evaluations: number;
}

const score = (v: number | null): number => (v === null ? Number.POSITIVE_INFINITY : v);
const key = (dims: readonly Dim[], p: Point): string => dims.map((d) => p[d.name]).join(',');

/** Every grid point: the product of the time dimensions' steps and the choice dimensions' values. */
export const gridPoints = (dims: readonly Dim[], perDim: number): Point[] => {
  let points: Record<string, number>[] = [{}];
  for (const d of dims) {
    const n = d.kind === 'choice' ? 0 : Math.max(1, Math.min(perDim, d.hiUs - d.loUs));
    const values = d.kind === 'choice' ? d.values : Array.from({ length: n }, (_, i) => d.loUs + Math.floor((i * (d.hiUs - d.loUs)) / n));
    points = points.flatMap((p) => values.map((v) => ({ ...p, [d.name]: v })));
  }
  return points;
};

const move = (d: TimeDim, x: number, deltaUs: number): number => {
  const span = d.hiUs - d.loUs;
  if (d.circular) return d.loUs + ((((x - d.loUs + deltaUs) % span) + span) % span);
  return Math.min(d.hiUs - 1, Math.max(d.loUs, x + deltaUs));
};

export interface SearchStart {
  /** Grid points to enumerate instead of the uniform grid (e.g. the instants timers fire). */
  readonly grid?: readonly Point[];
  /** First climb step per time dimension (default: the uniform grid's spacing). */
  readonly climbStepUs?: number;
}

/** `evaluate` is called at most once per point; pass the same memoised function to share runs between goals. */
export const search = (dims: readonly Dim[], evaluate: (p: Point) => number | null, goal: Goal, budget: SearchBudget, start: SearchStart = {}): Found => {
  const cache = new Map<string, number | null>();
  const better = (a: number | null, b: number | null): boolean => (goal === 'max' ? score(a) > score(b) : score(a) < score(b));
  const value = (p: Point): number | null => {
    const k = key(dims, p);
    if (cache.has(k)) return cache.get(k) as number | null;
    const v = cache.size >= budget.maxEvaluations ? (goal === 'max' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY) : evaluate(p);
    cache.set(k, v);
    return v;
  };

  const grid = (start.grid ?? gridPoints(dims, budget.gridPerDim)).map((p) => ({ p, v: value(p) }));
  grid.sort((a, b) => (better(a.v, b.v) ? -1 : better(b.v, a.v) ? 1 : 0));
  const times = dims.filter((d): d is TimeDim => d.kind === 'time');
  let best = grid[0] as { p: Point; v: number | null };
  for (const from of grid.slice(0, budget.climbs)) {
    const top = climb(from, times, value, better, budget, start.climbStepUs);
    if (better(top.v, best.v)) best = top;
  }
  return { point: best.p, value: best.v, evaluations: cache.size };
};

/**
 * Pattern search: per time dimension, step in the improving direction with doubling strides
 * while it keeps improving; when a whole pass improves nothing, halve every step.
 */
const climb = (
  start: { p: Point; v: number | null },
  times: readonly TimeDim[],
  value: (p: Point) => number | null,
  better: (a: number | null, b: number | null) => boolean,
  budget: SearchBudget,
  firstStepUs: number | undefined,
): { p: Point; v: number | null } => {
  let cur = start;
  const steps = times.map((d) => Math.max(budget.minStepUs, firstStepUs ?? Math.floor((d.hiUs - d.loUs) / Math.max(1, budget.gridPerDim))));
  for (;;) {
    let improved = false;
    times.forEach((d, i) => {
      const step = steps[i] as number;
      for (const dir of [1, -1]) {
        let stride = step;
        let moved = false;
        for (;;) {
          const x = move(d, cur.p[d.name] as number, dir * stride);
          if (x === cur.p[d.name]) break;
          const p = { ...cur.p, [d.name]: x };
          const v = value(p);
          if (!better(v, cur.v)) break;
          cur = { p, v };
          moved = true;
          stride *= 2;
        }
        if (moved) {
          improved = true;
          break;
        }
      }
    });
    if (improved) continue;
    if (steps.every((s) => s <= budget.minStepUs)) return cur;
    for (let i = 0; i < steps.length; i++) steps[i] = Math.max(budget.minStepUs, Math.floor((steps[i] as number) / 2));
  }
};
