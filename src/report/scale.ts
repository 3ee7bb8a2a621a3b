/**
 * Axis scales for the report's charts, chosen here rather than left to Vega's defaults so that
 * (1) a time axis over more than a decade is logarithmic — a linear axis over 25 s … 7,200 s
 * squeezes every short box to a line — and (2) the domain's ends are themselves ticks, so no
 * tick (and no mark at a tick's value) falls outside the drawn axis.
 */
export interface AxisScale {
  readonly type: 'linear' | 'log';
  readonly domain: readonly [number, number];
  /** Tick values, ascending; the first and last are the domain's ends. */
  readonly ticks: readonly number[];
}

/** Values spanning more than this ratio get a log axis. */
export const LOG_RATIO = 10;

/** Rounds away float noise (0.30000000000000004 → 0.3) so tick values print as they should. */
const clean = (x: number): number => Number(x.toPrecision(12));

/** The 1-2-5 step at or above `raw`. */
const niceStep = (raw: number): number => {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return clean((m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p);
};

/** A linear axis from `lo` to `hi` with about `count` ticks, the ends on the step grid. */
export const linearScale = (lo: number, hi: number, count = 6, zero = false): AxisScale => {
  let a = zero ? Math.min(0, lo) : lo;
  let b = hi;
  if (a === b) {
    // One value: give the axis a width around it (or above zero).
    const w = a === 0 ? 1 : Math.abs(a) / 2;
    a = a === 0 || a - w < 0 ? Math.min(0, a) : a - w;
    b = b + w;
  }
  const step = niceStep((b - a) / count);
  const start = Math.floor(clean(a / step)) * step;
  const end = Math.ceil(clean(b / step)) * step;
  const ticks: number[] = [];
  for (let k = 0; start + k * step <= end + step / 1e6; k++) ticks.push(clean(start + k * step));
  return { type: 'linear', domain: [ticks[0] as number, ticks.at(-1) as number], ticks };
};

/** The 1-2-5 values at or below / at or above x (x > 0). */
const below125 = (x: number): number => {
  const p = 10 ** Math.floor(Math.log10(x));
  const m = clean(x / p);
  return clean((m >= 5 ? 5 : m >= 2 ? 2 : 1) * p);
};
const above125 = (x: number): number => {
  const p = 10 ** Math.floor(Math.log10(x));
  const m = clean(x / p);
  return clean((m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p);
};

/** Tick labels closer than this (px) would run into each other. */
export const MIN_TICK_GAP_PX = 48;

/**
 * A log axis from the 1-2-5 value at or below `lo` to the one at or above `hi`, for an axis
 * `widthPx` long. Ticks at 1, 2 and 5 per decade when a decade is wide enough for three labels,
 * else at powers of ten (every other one, or fewer, on a narrow axis); the two ends are always
 * ticks, and an inner tick too close to an end is dropped, so no two labels meet.
 */
export const logScale = (lo: number, hi: number, widthPx = 560): AxisScale => {
  const a = below125(lo);
  const b = above125(hi);
  const decades = Math.log10(b / a);
  const decadePx = widthPx / decades;
  const mantissas = decadePx >= 3.4 * MIN_TICK_GAP_PX ? [1, 2, 5] : [1];
  const every = Math.max(1, Math.ceil(MIN_TICK_GAP_PX / decadePx));
  const px = (v: number): number => Math.log10(v / a) * decadePx;
  const all: number[] = [];
  for (let e = Math.floor(Math.log10(a)); e <= Math.ceil(Math.log10(b)); e++) {
    if (((e % every) + every) % every !== 0) continue;
    for (const m of mantissas) {
      const v = clean(m * 10 ** e);
      if (v > a && v < b) all.push(v);
    }
  }
  const inner = all.filter((v) => px(v) >= MIN_TICK_GAP_PX && widthPx - px(v) >= MIN_TICK_GAP_PX);
  return { type: 'log', domain: [a, b], ticks: [a, ...inner, b] };
};

/**
 * The axis for durations in seconds: log when the positive values span more than a decade,
 * otherwise linear (not from zero: the spread is what matters). Non-positive values cannot sit
 * on a log axis; they keep it linear.
 */
export const timeScale = (values: readonly number[], widthPx = 560): AxisScale => {
  const finite = values.filter((v) => Number.isFinite(v));
  const count = Math.max(2, Math.floor(widthPx / (1.5 * MIN_TICK_GAP_PX)));
  if (finite.length === 0) return linearScale(0, 1, count);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  // A little room at both ends, so a dot at the smallest or largest value is not cut in half by the axis.
  if (lo > 0 && hi / lo > LOG_RATIO) return logScale(lo / 1.04, hi * 1.04, widthPx);
  const pad = (hi - lo) * 0.02;
  return linearScale(lo >= 0 ? Math.max(0, lo - pad) : lo - pad, hi + pad, count);
};

/** The Vega-Lite `scale` and `axis` parts for a scale: explicit domain, no nicing, the ticks as given. */
export const vegaScale = (s: AxisScale): { scale: Record<string, unknown>; axis: Record<string, unknown> } => ({
  // `zero` means nothing to a log scale (Vega-Lite warns); a linear one must not be stretched to 0.
  scale: s.type === 'log' ? { type: 'log', domain: [...s.domain], nice: false } : { type: 'linear', domain: [...s.domain], nice: false, zero: false },
  axis: { values: [...s.ticks], format: ',~r' },
});
