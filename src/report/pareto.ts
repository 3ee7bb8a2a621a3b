import { CONFIG, GREY, ORANGE, SCHEMA } from './chart-style.js';
import type { VegaLiteSpec } from './charts.js';
import { type AxisScale, linearScale, timeScale, vegaScale } from './scale.js';

export interface ParetoInput {
  readonly labels: readonly string[];
  readonly p99Seconds: readonly (number | null)[];
  readonly falseRemovalRate: readonly (number | null)[];
  /** Indices of the settings on the Pareto front. */
  readonly front: readonly number[];
}

/**
 * The Pareto front of (p99, false-removal rate), both minimised: a setting is on it when no
 * other setting is at least as good on both and better on one. Never-detected settings are off it.
 */
export const paretoFront = (p99: readonly (number | null)[], frr: readonly (number | null)[]): number[] => {
  const ok = p99.flatMap((y, k) => (y == null || frr[k] == null ? [] : [k]));
  return ok.filter((k) => {
    const y = p99[k] as number;
    const x = frr[k] as number;
    return !ok.some((j) => {
      const yj = p99[j] as number;
      const xj = frr[j] as number;
      return j !== k && yj <= y && xj <= x && (yj < y || xj < x);
    });
  });
};

/**
 * Whether the chart has two dimensions to show: at least two settings with a p99 and at least two
 * different false-removal rates among them. Otherwise (often every rate is 0 %) the points stand
 * on one vertical line and their labels on each other; sections.ts says it in a sentence instead.
 */
export const paretoVaries = (p: ParetoInput): boolean => {
  const rates = new Set(p.labels.flatMap((_, k) => (p.p99Seconds[k] == null || p.falseRemovalRate[k] == null ? [] : [p.falseRemovalRate[k]])));
  return rates.size > 1;
};

/** Dots and labels share one colour scale: red on the front, grey off it. */
const frontColour = { field: 'front', type: 'nominal', scale: { domain: ['Pareto front', 'dominated'], range: [ORANGE, GREY] } };
const WIDTH = 520;
const HEIGHT = 320;
const FONT = 10;
/** A generous width per character of the 10 px label font, so estimated boxes are never smaller than drawn ones. */
const CHAR_PX = 6.6;
const LINE_PX = 13;

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}
const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

const toPx = (s: AxisScale, v: number, length: number, flip: boolean): number => {
  const [a, b] = s.domain;
  const f = s.type === 'log' ? Math.log(v / a) / Math.log(b / a) : (v - a) / (b - a);
  return flip ? length * (1 - f) : length * f;
};

interface Spot {
  setting: string;
  p99: number;
  frr: number;
  front: string;
}

/**
 * Places each spot's label at one of four corners around its dot where it hits no other label,
 * no dot and stays in the plot; the front's labels first. A label that fits nowhere is left out
 * (every setting is in the table beside the chart) rather than drawn over another.
 */
const placeLabels = (rows: readonly Spot[], xs: AxisScale, ys: AxisScale) => {
  const dots: Box[] = rows.map((r) => {
    const x = toPx(xs, r.frr, WIDTH, false);
    const y = toPx(ys, r.p99, HEIGHT, true);
    return { x0: x - 5, y0: y - 5, x1: x + 5, y1: y + 5 };
  });
  const placed: Box[] = [];
  const out: { setting: string; p99: number; frr: number; front: string; dx: number; dy: number; align: string }[] = [];
  const order = rows.map((_, k) => k).sort((a, b) => Number(rows[b]?.front === 'Pareto front') - Number(rows[a]?.front === 'Pareto front') || a - b);
  for (const k of order) {
    const r = rows[k] as Spot;
    const cx = (dots[k] as Box).x0 + 5;
    const cy = (dots[k] as Box).y0 + 5;
    const w = r.setting.length * CHAR_PX;
    for (const [dx, dy, align] of [
      [7, -8, 'left'],
      [7, 10, 'left'],
      [-7, -8, 'right'],
      [-7, 10, 'right'],
    ] as const) {
      const x0 = align === 'left' ? cx + dx : cx + dx - w;
      const box = { x0: x0 - 1, x1: x0 + w + 1, y0: cy + dy - LINE_PX / 2 - 1, y1: cy + dy + LINE_PX / 2 + 1 };
      if (box.x0 < 0 || box.x1 > WIDTH || box.y0 < 0 || box.y1 > HEIGHT) continue;
      if (placed.some((b) => overlaps(b, box)) || dots.some((d) => overlaps(d, box))) continue;
      placed.push(box);
      out.push({ ...r, dx, dy, align });
      break;
    }
  }
  return out;
};

/** Detection p99 against false-removal rate, one dot per setting; the front joined and labelled. */
export const paretoChart = (p: ParetoInput): VegaLiteSpec => {
  // Settings at the same spot share one dot and one label.
  const spots = new Map<string, Spot>();
  p.labels.forEach((label, k) => {
    const y = p.p99Seconds[k];
    const x = p.falseRemovalRate[k];
    if (y == null || x == null) return;
    const key = `${x}/${y}`;
    const spot = spots.get(key);
    const front = p.front.includes(k) ? 'Pareto front' : 'dominated';
    if (spot === undefined) spots.set(key, { setting: label, p99: y, frr: x * 100, front });
    else spot.setting = `${spot.setting}, ${label}`;
  });
  const rows = [...spots.values()];
  const front = rows.filter((r) => r.front === 'Pareto front').sort((a, b) => a.frr - b.frr || a.p99 - b.p99);
  // A share of runs: a little room right of the largest rate, never past 100 %.
  const maxX = Math.max(0, ...rows.map((r) => r.frr));
  const xs = linearScale(0, maxX > 0 ? Math.min(100, maxX * 1.1) : 1, 5, true);
  const ys = timeScale(
    rows.map((r) => r.p99),
    HEIGHT,
  );
  const xv = vegaScale(xs);
  const yv = vegaScale(ys);
  const x = { field: 'frr', type: 'quantitative', title: 'runs with a false removal (%)', ...xv };
  const y = { field: 'p99', type: 'quantitative', title: 'detection time p99 (s)', ...yv };
  const labels = placeLabels(rows, xs, ys);
  const label = (dx: number, dy: number, align: string) => ({
    name: `labels_${align}_${dx < 0 ? 'l' : 'r'}${dy < 0 ? 'a' : 'b'}`,
    data: { values: labels.filter((l) => l.dx === dx && l.dy === dy && l.align === align) },
    mark: { type: 'text', align, dx, dy, fontSize: FONT },
    encoding: {
      x,
      y,
      text: { field: 'setting' },
      color: { ...frontColour, legend: null },
    },
  });
  return {
    $schema: SCHEMA,
    title: 'Detection p99 vs false-removal rate (lower left is better)',
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    layer: [
      { name: 'front_line', data: { values: front }, mark: { type: 'line', color: ORANGE, interpolate: 'step-after' }, encoding: { x, y } },
      {
        name: 'spots',
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 70, opacity: 1 },
        encoding: {
          x,
          y,
          color: { ...frontColour, title: null },
          description: { field: 'setting' },
        },
      },
      label(7, -8, 'left'),
      label(7, 10, 'left'),
      label(-7, -8, 'right'),
      label(-7, 10, 'right'),
    ],
  };
};
