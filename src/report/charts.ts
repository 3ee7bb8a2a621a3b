import { BLUE, CONFIG, DARK, ORANGE, PLOT_WIDTH, ROW, SCHEMA, settingY } from './chart-style.js';
import { type AxisScale, linearScale, timeScale, vegaScale } from './scale.js';

/**
 * Vega-Lite specifications of the report's charts, built from plain numbers. Rendering them is
 * render.ts's job; keeping the specs as data makes them easy to test and to reuse.
 *
 * Settings run down the y axis, one row each, so their labels (`key=value · key=value`) stay
 * horizontal and readable however long they are; time runs along x, on a log axis when the
 * values span more than a decade (scale.ts). Every scale has an explicit domain whose ends are
 * ticks, so nothing drawn falls outside it.
 */
export type VegaLiteSpec = Record<string, unknown>;

export interface SpreadInput {
  readonly title: string;
  readonly xTitle: string;
  readonly labels: readonly string[];
  /** Per label, the values in seconds of the runs that got there. */
  readonly values: readonly (readonly number[])[];
  /** Per label, the p99 in seconds (null: never, or no runs). */
  readonly p99: readonly (number | null)[];
  /** Per label, runs that never got there within the horizon. */
  readonly never: readonly number[];
  /** Per label, runs counted. */
  readonly runs: readonly number[];
  /** The horizon in seconds: where never-reached runs are drawn. */
  readonly horizonSeconds: number;
}

/**
 * The marks of "never within the horizon": a dashed rule at the horizon, and per setting with
 * such runs a black diamond on it labelled with their count — so they are seen, not left out.
 */
export const neverLayers = (labels: readonly string[], never: readonly number[], runs: readonly number[], horizonSeconds: number, x: object, y: object) => {
  const rows = labels.flatMap((setting, k) =>
    (never[k] ?? 0) > 0 ? [{ setting, seconds: horizonSeconds, text: `never: ${never[k]} of ${runs[k]}`, what: 'never' }] : [],
  );
  if (rows.length === 0) return [];
  return [
    {
      name: 'horizon',
      data: { values: [{ seconds: horizonSeconds }] },
      mark: { type: 'rule', color: '#888', strokeDash: [4, 3] },
      encoding: { x, description: { value: `horizon: ${horizonSeconds} s` } },
    },
    {
      name: 'never',
      data: { values: rows },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 90, color: DARK, opacity: 1 },
      encoding: { x, y, description: { field: 'text' } },
    },
    {
      name: 'never_count',
      data: { values: rows },
      mark: { type: 'text', align: 'left', dx: 9, fontSize: 11, color: DARK },
      encoding: { x, y, text: { field: 'text' } },
    },
  ];
};

/** The time axis of a spread chart: every value, every p99 and, when some run never got there, the horizon. */
export const spreadScale = (s: SpreadInput): AxisScale => {
  const anyNever = s.never.some((n) => n > 0);
  return timeScale([...s.values.flat(), ...s.p99.flatMap((v) => (v === null ? [] : [v])), ...(anyNever ? [s.horizonSeconds] : [])], PLOT_WIDTH);
};

/** A box plot per setting (whiskers at min and max), the p99 as a red tick, never-reached runs at the horizon. */
export const spreadChart = (s: SpreadInput): VegaLiteSpec => {
  const sc = vegaScale(spreadScale(s));
  const x = { field: 'seconds', type: 'quantitative', title: s.xTitle, scale: sc.scale, axis: sc.axis };
  const y = settingY(s.labels);
  return {
    $schema: SCHEMA,
    title: s.title,
    width: PLOT_WIDTH,
    height: { step: ROW },
    config: CONFIG,
    layer: [
      {
        name: 'spread',
        data: { values: s.labels.flatMap((label, k) => (s.values[k] ?? []).map((seconds) => ({ setting: label, seconds }))) },
        mark: { type: 'boxplot', extent: 'min-max', size: 14, color: BLUE },
        encoding: { x, y },
      },
      {
        name: 'p99',
        data: { values: s.labels.flatMap((label, k) => (s.p99[k] == null ? [] : [{ setting: label, seconds: s.p99[k], what: `p99 ${s.p99[k]} s` }])) },
        mark: { type: 'tick', color: ORANGE, thickness: 2, size: 20 },
        encoding: { x, y, description: { field: 'what' } },
      },
      ...neverLayers(s.labels, s.never, s.runs, s.horizonSeconds, x, y),
    ],
  };
};

export interface LoadInput {
  readonly labels: readonly string[];
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
  const rates = rows.map((r) => r.rate);
  if (l.clients !== null) {
    const xs = vegaScale(
      timeScale(
        rows.map((r) => r.clients as number),
        520,
      ),
    );
    const ys = vegaScale(timeScale(rates, 300));
    return {
      $schema: SCHEMA,
      title: 'Messages per second vs clients',
      width: 520,
      height: 300,
      config: CONFIG,
      data: { values: rows },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'clients', type: 'quantitative', title: 'clients', ...xs },
        y: { field: 'rate', type: 'quantitative', title: 'protocol messages per second', ...ys },
        color: { field: 'series', type: 'nominal', title: null },
      },
    };
  }
  const xs = vegaScale(linearScale(0, Math.max(0, ...rates), 6, true));
  return {
    $schema: SCHEMA,
    title: 'Messages per second per setting (mean over runs)',
    width: PLOT_WIDTH,
    height: { step: ROW },
    config: CONFIG,
    data: { values: rows },
    mark: { type: 'bar', color: BLUE, height: 14 },
    encoding: { y: settingY(l.labels), x: { field: 'rate', type: 'quantitative', title: 'protocol messages per second', ...xs } },
  };
};

export { type ParetoInput, paretoChart, paretoFront } from './pareto.js';
