import type { RemedyOutcome, RemedyReport } from './diagnose-remedies.js';

/**
 * One Vega-Lite chart of the remedies (`diagnose --chart FILE`): detection after the fault (log
 * scale; "never" where no mechanism removes it within the horizon) beside the false-removal rate
 * on the lossy network, one row per remedy in rank order, your settings first.
 */
export type ChartSpec = Record<string, unknown>;

const label = (o: RemedyOutcome): string => (o.id === 'yours' ? 'your settings' : o.change.replace(/ \(.*\)$/, ''));

export const remedyChart = (r: RemedyReport, title: string): ChartSpec => {
  const rows = [r.yours, ...r.remedies.filter((o) => o.unavailable === null)].map((o, i) => ({
    order: i,
    remedy: label(o),
    detectionS: o.detectionMs === null ? null : Math.max(o.detectionMs / 1000, 0.001),
    never: o.detectionMs === null ? 'never' : '',
    falsePerHour: o.falseRemovalsPerHour,
  }));
  const y = { field: 'remedy', type: 'nominal', sort: rows.map((x) => x.remedy), title: null, axis: { labelLimit: 420 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: rows },
    config: { font: 'sans-serif', view: { stroke: null } },
    hconcat: [
      {
        width: 300,
        layer: [
          {
            mark: { type: 'bar', color: '#4c78a8' },
            encoding: {
              y,
              x: { field: 'detectionS', type: 'quantitative', scale: { type: 'log' }, title: 'detection after the fault (s, log scale)' },
            },
          },
          {
            mark: { type: 'text', align: 'left', dx: 4, color: '#b00' },
            encoding: { y, text: { field: 'never' }, x: { datum: 1 } },
          },
        ],
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
