/**
 * Vega-Lite specifications of the report's charts, built from plain numbers. Rendering them is
 * render.ts's job; keeping the specs as data makes them easy to test and to reuse.
 */
export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = { background: 'white', font: 'Helvetica, Arial, sans-serif', view: { stroke: '#ddd' }, axis: { labelLimit: 220 } };
const ORANGE = '#e45756';
const BLUE = '#4c78a8';

const width = (n: number): number => Math.min(900, Math.max(320, 48 * n));

const xAxis = (labels: readonly string[], title: string) => ({
  field: 'setting',
  type: 'ordinal',
  sort: labels,
  title,
  axis: { labelAngle: labels.some((l) => l.length > 6) ? -35 : 0 },
});

export interface SpreadInput {
  readonly title: string;
  readonly axisTitle: string;
  readonly yTitle: string;
  readonly labels: readonly string[];
  /** Per label, the runs' values in seconds (never-reached runs left out). */
  readonly values: readonly (readonly number[])[];
  /** Per label, the p99 in seconds (null: never, or no runs). */
  readonly p99: readonly (number | null)[];
}

/** A box plot per setting (whiskers at min and max) with the p99 as a red tick. */
export const spreadChart = (s: SpreadInput): VegaLiteSpec => ({
  $schema: SCHEMA,
  title: s.title,
  width: width(s.labels.length),
  height: 280,
  config: CONFIG,
  layer: [
    {
      data: { values: s.labels.flatMap((label, k) => (s.values[k] ?? []).map((seconds) => ({ setting: label, seconds }))) },
      mark: { type: 'boxplot', extent: 'min-max', size: 22, color: BLUE },
      encoding: { x: xAxis(s.labels, s.axisTitle), y: { field: 'seconds', type: 'quantitative', title: s.yTitle, scale: { zero: false } } },
    },
    {
      data: { values: s.labels.flatMap((label, k) => (s.p99[k] == null ? [] : [{ setting: label, seconds: s.p99[k], what: 'p99' }])) },
      mark: { type: 'tick', color: ORANGE, thickness: 2, size: 30 },
      encoding: { x: xAxis(s.labels, s.axisTitle), y: { field: 'seconds', type: 'quantitative' }, tooltip: [{ field: 'what' }, { field: 'seconds' }] },
    },
  ],
});

export interface ParetoInput {
  readonly labels: readonly string[];
  readonly p99Seconds: readonly (number | null)[];
  readonly falseRemovalRate: readonly (number | null)[];
  /** Indices of the settings on the Pareto front. */
  readonly front: readonly number[];
}

/** Detection p99 against false-removal rate, one dot per setting; the front joined and labelled. */
export const paretoChart = (p: ParetoInput): VegaLiteSpec => {
  // Settings at the same spot share one dot and one label.
  const spots = new Map<string, { setting: string; p99: number; frr: number; front: string }>();
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
  // All settings at the same rate (often 0 %) would collapse the axis to a point: give it a width.
  // A little room right of the largest rate, but a share of runs never reads past 100 %.
  const maxX = Math.max(0, ...rows.map((r) => r.frr));
  const x = {
    field: 'frr',
    type: 'quantitative',
    title: 'runs with a false removal (%)',
    scale: { domain: [0, maxX > 0 ? Math.min(100, maxX * 1.1) : 1] },
    axis: { format: '~f' },
  };
  const y = { field: 'p99', type: 'quantitative', title: 'detection time p99 (s)', scale: { zero: true } };
  return {
    $schema: SCHEMA,
    title: 'Detection p99 vs false-removal rate (lower left is better)',
    width: 520,
    height: 320,
    config: CONFIG,
    layer: [
      { data: { values: front }, mark: { type: 'line', color: ORANGE, interpolate: 'step-after' }, encoding: { x, y } },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x,
          y,
          color: { field: 'front', type: 'nominal', scale: { domain: ['Pareto front', 'dominated'], range: [ORANGE, '#aaa'] }, title: null },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 10 },
        encoding: { x, y, text: { field: 'setting' }, color: { field: 'front', type: 'nominal', legend: null } },
      },
    ],
  };
};

export interface LoadInput {
  readonly labels: readonly string[];
  readonly axisTitle: string;
  readonly messagesPerSec: readonly (number | null)[];
  /** When the sweep varies the client count: each setting's clients, for a quantitative x axis. */
  readonly clients: readonly number[] | null;
  /** The other varied settings of each point (series), when clients is the x axis. */
  readonly series: readonly string[] | null;
}

/** Server-side protocol messages per second: bars per setting, or lines over the client count. */
export const loadChart = (l: LoadInput): VegaLiteSpec => {
  const rows = l.labels.flatMap((label, k) => {
    const v = l.messagesPerSec[k];
    return v == null ? [] : [{ setting: label, rate: v, clients: l.clients?.[k] ?? null, series: l.series?.[k] ?? '' }];
  });
  const y = { field: 'rate', type: 'quantitative', title: 'protocol messages per second' };
  if (l.clients !== null) {
    return {
      $schema: SCHEMA,
      title: 'Messages per second vs clients',
      width: 520,
      height: 300,
      config: CONFIG,
      data: { values: rows },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'clients', type: 'quantitative', title: 'clients', scale: { type: 'log' } },
        y: { ...y, scale: { type: 'log' } },
        color: { field: 'series', type: 'nominal', title: null },
      },
    };
  }
  return {
    $schema: SCHEMA,
    title: 'Messages per second per setting (mean over runs)',
    width: width(l.labels.length),
    height: 260,
    config: CONFIG,
    data: { values: rows },
    mark: { type: 'bar', color: BLUE },
    encoding: { x: xAxis(l.labels, l.axisTitle), y },
  };
};

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
