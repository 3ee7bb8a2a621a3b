import type { ChalkInstance } from 'chalk';
import type { Diagnosis } from '../../src/diagnose/diagnose.js';

const t = (ms: number | null): string => (ms === null ? 'never' : !Number.isFinite(ms) ? (ms < 0 ? '−∞' : '∞') : `${(ms / 1000).toFixed(1)} s`);

/** One screen: the baseline, then each cause with what happens, the numbers and the fix. */
export const formatDiagnosisText = (d: Diagnosis, c: ChalkInstance): string => {
  const out: string[] = [];
  out.push(c.bold(`livesim diagnose · ${d.model} · symptom: ${d.symptom}`));
  const b = d.baseline.bound;
  const window =
    b === null
      ? ''
      : b.kind === 'within'
        ? ` (analytic window ${t(b.interval.lowerMs)} .. ${t(b.interval.upperMs)})`
        : b.kind === 'never'
          ? ` (never: ${b.why})`
          : '';
  const removed = d.baseline.detectionMs === null ? c.bold('never removed') : `removed after ${c.bold(t(d.baseline.detectionMs))}`;
  const consumers = d.baseline.staleMs === null ? 'consumers never updated' : `consumers updated after ${t(d.baseline.staleMs)}`;
  out.push(`your settings, network cut at 60 s: ${removed}${window}; ${consumers}`);
  out.push(c.dim(`  replay: ${d.baseline.replay}`));
  out.push('');
  const reproducing = d.causes.filter((f) => f.reproduces);
  out.push(reproducing.length === 0 ? 'No known cause reproduces this symptom under your settings.' : `${reproducing.length} cause(s) reproduce it:`);
  for (const [i, f] of d.causes.entries()) {
    const mark = f.reproduces ? c.red('✖') : c.green('·');
    const where = f.inYourSettings ? c.yellow(' [in your settings]') : '';
    out.push('', `${mark} ${i + 1}. ${c.bold(f.title)}${where}`);
    out.push(`   ${f.explanation}`);
    out.push(`   detection ${c.bold(t(f.detectionMs))} · consumers updated ${c.bold(t(f.staleMs))} after the fault`);
    out.push(c.dim(`   replay: ${f.replay}`));
    const verdict = f.remedy.fixes ? c.green('fixes it') : c.red('does not fix it');
    out.push(`   remedy: ${c.cyan(f.remedy.change)} → detection ${t(f.remedy.detectionMs)}, consumers ${t(f.remedy.staleMs)} (${verdict})`);
    out.push(c.dim(`   source: ${f.source}`));
  }
  return `${out.join('\n')}\n`;
};
