import type { Distribution } from '../analysis/distribution.js';
import type { CompareReport, CompareRow, Window } from './compare.js';

/** How `compare` marks headings and notes on a terminal (chalk's bold and dim, or plain). */
export interface TextStyle {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

const PLAIN: TextStyle = { bold: (s) => s, dim: (s) => s };

const secs = (ms: number | null): string => (ms === null ? 'never' : `${(ms / 1000).toFixed(3)} s`);
const window = (w: Window): string => {
  if (w === null || w.kind === 'no-bound') return '—';
  if (w.kind === 'never') return 'never';
  return `(${secs(w.interval.lowerMs)}, ${secs(w.interval.upperMs)}]`;
};
const spread = (d: Distribution | null, runs: number): [string, string] => (d === null ? ['', ''] : [secs(d.p50), runs > 1 ? secs(d.max) : '']);
const pct = (r: number | null): string => (r === null ? '' : `${Number((r * 100).toFixed(1))} %`);
const rate = (x: number | null): string => (x === null ? '' : x.toFixed(2));

const HEAD = ['model', 'detection p50', 'max', 'window', 'stale p50', 'max', 'window', 'false rm', 'msg/s'];

const cells = (r: CompareRow): string[] => {
  if (r.skipped !== null) return [r.model, `skipped: ${r.skipped}`];
  return [
    r.model,
    ...spread(r.detectionMs, r.runs),
    window(r.detectionWindow),
    ...spread(r.staleMs, r.runs),
    window(r.staleWindow),
    pct(r.falseRemovalRate),
    rate(r.messagesPerSec),
  ];
};

/** Why a window is "never" or absent: one line per model and window. */
const reasons = (r: CompareRow): string[] =>
  (
    [
      ['detection', r.detectionWindow],
      ['stale', r.staleWindow],
    ] as const
  ).flatMap(([what, w]) =>
    w !== null && w.kind !== 'within' ? [`${r.model} ${what}: ${w.kind === 'never' ? 'never' : 'no analytic window'} — ${w.why}`] : [],
  );

const unlisted = (r: CompareRow): string[] =>
  r.unlistedAtFault === 0 ? [] : [`${r.model}: in ${r.unlistedAtFault} of ${r.runs} runs a consumer did not list c1 yet when the fault began (stale counts 0)`];

/** The side-by-side table: one row per registry, then why a window is never or missing, then the replays. */
export const formatCompareText = (report: CompareReport, style: TextStyle = PLAIN): string => {
  const rows = report.rows.map(cells);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length === HEAD.length).map((r) => (r[i] as string).length)));
  const line = (r: readonly string[]): string =>
    r.length === HEAD.length
      ? r
          .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
          .join('  ')
          .trimEnd()
      : r.join('  ');
  const seeds = report.seeds.length === 1 ? `seed ${report.seeds[0]}` : `seeds ${report.seeds[0]}…${report.seeds.at(-1)}`;
  const who = `${report.clients} client${report.clients === 1 ? '' : 's'}, ${report.subscribers} subscriber${report.subscribers === 1 ? '' : 's'}`;
  const faults = report.faults.length === 0 ? 'no fault' : `fault ${report.faults.join(' ')}`;
  const out = [
    style.bold(`livesim compare · ${faults} · network ${report.network} · ${who} · ${seeds} · until ${report.until}`),
    style.dim('each registry at its defaults; times from the fault; window = the model’s analytic bound (lower exclusive, upper inclusive)'),
    '',
    style.bold(line(HEAD)),
    ...rows.map(line),
  ];
  const why = report.rows.flatMap((r) => [...unlisted(r), ...reasons(r)]);
  if (why.length > 0) out.push('', ...why.map(style.dim));
  const replays = report.rows.filter((r) => r.replay !== null).map((r) => `  ${r.replay}`);
  if (replays.length > 0) out.push('', 'replay the first run of each:', ...replays);
  return `${out.join('\n')}\n`;
};
