import type { ChalkInstance } from 'chalk';
import type { SpaceReport } from '../../src/bound/config-space.js';
import type { BoundReport, ExtremeCase } from '../../src/bound/report.js';
import type { AnalyticBound } from '../../src/bound/target.js';

/** Seconds with 3 decimals, more only where the µs matter (35.00167 s). */
const secs = (ms: number | null): string => (ms === null ? 'never' : `${(ms / 1000).toFixed(6).replace(/(\.\d{3}\d*?)0+$/, '$1')} s`);
const pct = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(3)} %`);

const boundText = (b: AnalyticBound): string => {
  if (b.kind === 'never') return `never (${b.why})`;
  if (b.kind === 'no-bound') return `no analytic bound (${b.why})`;
  return `(${b.lowerMs === null ? '−∞' : secs(b.lowerMs)}, ${secs(b.upperMs)}]`;
};

const extremeLines = (label: string, e: ExtremeCase, ratio: number | null, of: string, c: ChalkInstance): string[] => [
  `${label} ${c.bold(secs(e.valueMs).padStart(14))}${ratio === null ? '' : `  = ${pct(ratio)} of the ${of} bound`}`,
  c.dim(`  replay: ${e.replay}`),
];

const spaceLines = (s: SpaceReport, metric: string, c: ChalkInstance): string[] => {
  const out = ['', `configuration space (${s.axes.join(' × ')}): worst ${metric} per configuration, light search`];
  s.rows.forEach((r, i) => {
    const set = Object.entries(r.set)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const mark = i === s.largest ? c.red('▲') : ' ';
    const body = r.error !== null ? c.dim(`rejected: ${r.error}`) : `worst ${secs(r.worstMs)} · upper ${secs(r.upperMs)} · tightness ${pct(r.tightness)}`;
    out.push(`  ${mark} ${set.padEnd(48)} ${body}`);
  });
  out.push(`  ${c.red('▲')} largest worst case; searched in full below`);
  return out;
};

/** The terminal view of `livesim bound`: bounds, worst and best found with replays, tightness. */
export const formatBoundText = (r: BoundReport, c: ChalkInstance): string => {
  const out: string[] = [];
  out.push(c.bold(`livesim bound · ${r.model} · fault ${r.fault} · ${r.metric}: ${r.metricTitle}`));
  out.push(c.dim(`searched ${r.dims.length === 0 ? 'one fixed point' : r.dims.join(' × ')} · ${r.evaluations} runs`));
  if (r.space !== null) out.push(...spaceLines(r.space, r.metric, c));
  out.push('', 'analytic bounds, time from the fault (lower exclusive, upper inclusive):');
  for (const [id, b] of Object.entries(r.analytic)) out.push(`  ${(id === r.metric ? c.bold(id) : id).padEnd(12)} ${boundText(id === r.metric ? r.bound : b)}`);
  out.push('');
  out.push(...extremeLines('worst found', r.worst, r.tightness, 'upper', c));
  out.push(...extremeLines('best found ', r.best, r.lowerTightness, 'lower', c));
  const verdict =
    r.tightness === null
      ? r.bound.kind === 'never' && r.worst.valueMs === null
        ? c.green(`never happened, as the bound says`)
        : c.yellow('no finite upper bound to compare with')
      : r.tightness > 1
        ? c.red(`BOUND VIOLATED: worst case ${pct(r.tightness)} of the upper bound`)
        : r.tightness >= 0.98
          ? c.green(`tight: the worst case reaches ${pct(r.tightness)} of the upper bound`)
          : c.yellow(`not shown tight: the worst case found reaches ${pct(r.tightness)} of the upper bound`);
  out.push('', verdict);
  if (r.tightness !== null && r.tightness < 0.98 && r.model === 'nacos-v1' && !(r.dims.includes('onset') && r.dims.includes('sim.checkPhase'))) {
    out.push(c.dim('  (the bound covers every fault onset and check phase; with one of them fixed, the worst case of this scenario can lie below it)'));
  }
  return `${out.join('\n')}\n`;
};
