import type { RemedyOutcome, RemedyReport } from './diagnose-remedies.js';

/**
 * One Vega-Lite chart of the remedies (`diagnose --chart FILE`): detection after the fault (log
 * scale; "never" where no mechanism removes it within the horizon) beside the false-removal rate
 * on the lossy network, one row per remedy in rank order, your settings first.
 */
export type ChartSpec = Record<string, unknown>;

const label = (o: RemedyOutcome): string => `${o.label}${o.detectionMs === null ? ' (never removed)' : ''}`;

export const remedyChart = (r: RemedyReport, title: string): ChartSpec => {
  const rows = [r.yours, ...r.remedies.filter((o) => o.unavailable === null)].map((o, i) => ({
    order: i,
    remedy: label(o),
    detectionS: o.detectionMs === null ? null : Math.max(o.detectionMs / 1000, 0.001),
    never: o.detectionMs === null ? 'never' : '',
    falsePerHour: o.falseRemovalsPerHour,
  }));
  const y = { field: 'remedy', type: 'nominal', sort: rows.map((x) => x.remedy), title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: rows },
    config: { font: 'sans-serif', view: { stroke: null }, axisY: { labelLimit: 520 } },
    resolve: { scale: { y: 'shared' } },
    hconcat: [
      {
        width: 300,
        mark: { type: 'bar', color: '#4c78a8' },
        encoding: {
          y,
          x: { field: 'detectionS', type: 'quantitative', scale: { type: 'log', domainMin: 10 }, title: 'detection after the fault (s, log scale)' },
          x2: { datum: 10 },
          tooltip: [{ field: 'remedy' }, { field: 'detectionS' }, { field: 'never' }],
        },
      },
      {
        width: 160,
        mark: { type: 'bar', color: '#e45756' },
        encoding: {
          y: { ...y, axis: null },
          x: { field: 'falsePerHour', type: 'quantitative', title: 'false removals per hour (lossy network)', scale: { domainMin: 0, nice: true } },
        },
      },
    ],
  };
};
