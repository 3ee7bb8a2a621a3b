import type { CompareReport, CompareRow, Window } from './compare.js';

/**
 * One Vega-Lite chart of a comparison (`compare --chart FILE`): for each registry, detection and
 * consumer staleness after the fault — the analytic window as a grey bar, the runs' median as a
 * dot and their maximum as a tick — on a log scale of seconds; a registry that never removes the
 * instance within the horizon is marked "never" at the right edge. Nothing names a model: the
 * rows are the report's.
 */
export type ChartSpec = Record<string, unknown>;

type Measure = 'detection' | 'stale';

const seconds = (ms: number | null): number | null => (ms === null ? null : Math.max(ms / 1000, 0.001));

const windowOf = (w: Window): { lo: number | null; hi: number | null } =>
  w !== null && w.kind === 'within' && Number.isFinite(w.interval.upperMs)
    ? { lo: Number.isFinite(w.interval.lowerMs) ? seconds(Math.max(w.interval.lowerMs, 1)) : null, hi: seconds(w.interval.upperMs) }
    : { lo: null, hi: null };

const rowsOf = (r: CompareRow, measure: Measure, neverAtS: number): Record<string, unknown>[] => {
  const d = measure === 'detection' ? r.detectionMs : r.staleMs;
  const w = windowOf(measure === 'detection' ? r.detectionWindow : r.staleWindow);
  const allNever = d !== null && d.never === d.n;
  return [
    {
      model: r.model,
      measure: measure === 'detection' ? 'detection (fault → registry removes it)' : 'stale (fault → last consumer drops it)',
      p50: seconds(d?.p50 ?? null),
      max: seconds(d?.max ?? null),
      lo: w.lo,
      hi: w.hi,
      never: allNever ? neverAtS : null,
      label: r.skipped !== null ? 'skipped' : allNever ? 'never' : '',
    },
  ];
};

export const compareChart = (report: CompareReport, title: string): ChartSpec => {
  const untilS = Math.max(...report.rows.flatMap((r) => [r.detectionMs?.max ?? 0, r.staleMs?.max ?? 0]), 1) / 1000;
  const neverAtS = Math.max(untilS * 2, 1000);
  const values = report.rows.flatMap((r) => [...rowsOf(r, 'detection', neverAtS), ...rowsOf(r, 'stale', neverAtS)]);
  const y = { field: 'model', type: 'nominal', sort: report.rows.map((r) => r.model), title: null };
  const x = { type: 'quantitative', scale: { type: 'log', domain: [0.1, neverAtS * 1.5] }, title: 'seconds after the fault (log scale)' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    config: { font: 'sans-serif', view: { stroke: null } },
    facet: { column: { field: 'measure', type: 'nominal', title: null, sort: 'ascending' } },
    spec: {
      width: 300,
      layer: [
        { mark: { type: 'bar', color: '#d9d9d9', height: 12 }, encoding: { y, x: { field: 'lo', ...x }, x2: { field: 'hi' } } },
        { mark: { type: 'tick', color: '#e45756', thickness: 2 }, encoding: { y, x: { field: 'max', ...x } } },
        { mark: { type: 'point', filled: true, color: '#4c78a8', size: 60 }, encoding: { y, x: { field: 'p50', ...x } } },
        { mark: { type: 'text', align: 'right', dx: -4, color: '#e45756' }, encoding: { y, x: { field: 'never', ...x }, text: { field: 'label' } } },
      ],
    },
  };
};
