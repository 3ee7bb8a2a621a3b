import type { PointSummary } from '../sweep/summary.js';
import type { Block } from './document.js';
import { pct, secs } from './format.js';
import { paretoChart, paretoFront, paretoVaries } from './pareto.js';
import type { ChartFn } from './sections.js';

/**
 * "Detection p99 vs false-removal rate": a chart when the rates differ, else a sentence and a
 * table — with one rate for every setting the trade-off has one dimension, and a chart would be
 * a vertical line of dots with their labels on top of each other.
 */
export const paretoBlocks = (points: readonly PointSummary[], labels: readonly string[], level: 2 | 3, chart: ChartFn): Block[] => {
  const p99 = points.map((s) => (s.detectionMs.p99 === null ? null : s.detectionMs.p99 / 1000));
  const frr = points.map((s) => s.falseRemovalRate);
  const front = paretoFront(p99, frr);
  const input = { labels, p99Seconds: p99, falseRemovalRate: frr, front };
  const heading: Block = { kind: 'heading', level, text: 'Detection p99 vs false-removal rate (Pareto front)' };
  const frontText =
    front.map((k) => `\`${labels[k]}\` (p99 ${secs(points[k]?.detectionMs.p99 ?? null)} s, false removals ${pct(frr[k] ?? null)})`).join(', ') || 'none';
  if (paretoVaries(input)) {
    return [
      heading,
      chart('pareto', paretoChart(input), 'Detection p99 against the share of runs that removed a live instance; the Pareto front in red'),
      {
        kind: 'paragraph',
        text: `On the front (no other setting is both faster at p99 and no worse on false removals): ${frontText}.${neverNote(labels, p99)} Labels that would cover another are left off the chart; the table below has every setting.`,
      },
      table(points, labels, front),
    ];
  }
  const rates = [...new Set(frr.filter((x, k) => x !== null && p99[k] !== null))];
  const one =
    rates.length === 1 ? `Every setting with a p99 had the same share of runs with a false removal, ${pct(rates[0] ?? null)}` : 'No setting has a p99';
  return [
    heading,
    {
      kind: 'paragraph',
      text: `${one}, so there is no trade-off to draw: the front is the fastest p99 alone — ${frontText}.${neverNote(labels, p99)}`,
    },
    table(points, labels, front),
  ];
};

const table = (points: readonly PointSummary[], labels: readonly string[], front: readonly number[]): Block => ({
  kind: 'table',
  head: ['setting', 'detection p99 (s)', 'runs with a false removal', 'on the front'],
  rows: points.map((s, k) => [labels[k] as string, secs(s.detectionMs.p99), pct(s.falseRemovalRate), front.includes(k) ? 'yes' : '']),
  align: ['left', 'right', 'right', 'left'],
});

const neverNote = (labels: readonly string[], p99: readonly (number | null)[]): string => {
  const never = labels.filter((_, k) => p99[k] === null);
  return never.length === 0
    ? ''
    : ` Off the front, because their p99 is never (too many runs not detected within the horizon): ${never.map((l) => `\`${l}\``).join(', ')}.`;
};
