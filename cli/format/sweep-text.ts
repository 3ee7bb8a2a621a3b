import { stripVTControlCharacters } from 'node:util';
import type { ChalkInstance } from 'chalk';
import type { Distribution } from '../../src/analysis/distribution.js';
import type { SweepHeader } from '../../src/sweep/plan.js';
import type { PointSummary } from '../../src/sweep/summary.js';

const secs = (ms: number | null): string => (ms === null ? 'never' : (ms / 1000).toFixed(3));
const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(x === 0 || x === 1 ? 0 : 2)} %`);

/** What a point is, in one cell: its varied settings. */
export const pointLabel = (set: Readonly<Record<string, string>>): string =>
  Object.entries(set)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

const dist = (d: Distribution): [string, string, string, string] => [secs(d.min), secs(d.p50), secs(d.p99), secs(d.max)];

/** The sweep's per-point summary as an aligned terminal table (seconds). */
export const formatSweepText = (header: SweepHeader, summaries: readonly PointSummary[], out: string, c: ChalkInstance): string => {
  const head = ['point', 'runs', 'detect min', 'p50', 'p99', 'max', 'stale p50', 'p99', 'false rm', 'msg/s'];
  const rows = summaries.map((s) =>
    s.illegal !== null
      ? [pointLabel(s.set), String(s.runs), c.red(`illegal: ${s.illegal}`)]
      : [
          pointLabel(s.set),
          String(s.runs),
          ...dist(s.detectionMs),
          secs(s.staleMs.p50),
          secs(s.staleMs.p99),
          pct(s.falseRemovalRate),
          s.messagesPerSec === null ? '–' : s.messagesPerSec.toFixed(2),
        ],
  );
  const plain = stripVTControlCharacters;
  const widths = head.map((h, k) => Math.max(h.length, ...rows.filter((r) => r.length === head.length).map((r) => plain(r[k] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, k) => (k === 0 ? cell.padEnd(widths[0] ?? 0) : cells.length < head.length && k === 2 ? cell : cell.padStart(widths[k] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [
    c.bold(
      `livesim sweep · ${header.model} · ${header.points} points × ${header.runs} seeds · faults ${header.faults.join(' ') || 'none'} · until ${header.until}`,
    ),
    c.dim('times in seconds from the fault; never = not within the horizon; false rm = runs with a live instance removed'),
    '',
    c.underline(line(head)),
    ...rows.map(line),
    '',
    c.dim(`runs and summaries: ${out} · report: livesim report ${out} --out DIR`),
  ];
  return `${lines.join('\n')}\n`;
};
