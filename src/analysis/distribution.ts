/**
 * The spread of one metric over a set of runs, where a run may never reach the event (null: not
 * within the horizon). A null ranks above every number, so a percentile that lands on one is
 * null too ("never"), and so are the maximum and the mean when any run never got there.
 * Percentiles use the nearest-rank method: the p-th percentile of n values is the
 * ⌈p·n/100⌉-th smallest.
 */
export interface Distribution {
  /** Runs counted, including those that never got there. */
  readonly n: number;
  readonly never: number;
  readonly min: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  readonly mean: number | null;
}

export const distribution = (values: readonly (number | null)[]): Distribution => {
  const finite = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const n = values.length;
  const never = n - finite.length;
  const pct = (p: number): number | null => (n === 0 ? null : (finite[Math.ceil((p / 100) * n) - 1] ?? null));
  const sum = finite.reduce((a, b) => a + b, 0);
  return {
    n,
    never,
    min: finite[0] ?? null,
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
    max: never > 0 ? null : (finite.at(-1) ?? null),
    mean: never > 0 || n === 0 ? null : Math.round((sum / n) * 1000) / 1000,
  };
};
