import type { ChalkInstance } from 'chalk';
import type { Diagnosis } from '../../src/diagnose/diagnose.js';
import type { RemedyReport } from '../../src/diagnose/diagnose-remedies.js';
import { formatRemedies, formatRemovalAnswer } from './diagnose-removal-text.js';

const t = (ms: number | null): string => (ms === null ? 'never' : !Number.isFinite(ms) ? (ms < 0 ? '−∞' : '∞') : `${(ms / 1000).toFixed(1)} s`);

/** A time, or how long the cause's run looked (its horizon): removal may still come later. */
const within = (ms: number | null, until: string): string => (ms === null ? `none within ${until}` : t(ms));

/** One screen: the baseline, then each cause with what happens, the numbers and the fix. */
export const formatDiagnosisText = (d: Diagnosis, c: ChalkInstance, remedies: RemedyReport | null, versions: { server: string; client: string }): string => {
  const out: string[] = [];
  out.push(c.bold(`livesim diagnose · ${d.model} (client ${versions.client}, server ${versions.server}) · symptom: ${d.symptom}`));
  out.push(`your settings, fault ${d.removal.faults.join(' ')}:`);
  out.push(...formatRemovalAnswer(d.removal, c, 'fault'));
  out.push('');
  if (remedies !== null) out.push(...formatRemedies(remedies, c, versions.server), '');
  const reproducing = d.causes.filter((f) => f.reproduces);
  out.push(reproducing.length === 0 ? 'No known cause reproduces this symptom under your settings.' : `${reproducing.length} cause(s) reproduce it:`);
  for (const [i, f] of d.causes.entries()) {
    const mark = f.reproduces ? c.red('✖') : c.green('·');
    const where = f.inYourSettings ? c.yellow(' [in your settings]') : '';
    out.push('', `${mark} ${i + 1}. ${c.bold(f.title)}${where}`);
    out.push(`   ${f.explanation}`);
    out.push(`   detection ${c.bold(within(f.detectionMs, f.until))} · consumers updated ${c.bold(within(f.staleMs, f.until))} after the fault`);
    if (f.versions !== null) out.push(c.yellow(`   ${f.versions}`));
    out.push(c.dim(`   replay: ${f.replay}`));
    const verdict = f.remedy.fixes ? c.green('fixes it') : c.red('does not fix it');
    out.push(
      `   remedy: ${c.cyan(f.remedy.change)} → detection ${within(f.remedy.detectionMs, f.remedy.until)}, consumers ${within(f.remedy.staleMs, f.remedy.until)} (${verdict})`,
    );
    if (f.remedy.versions !== null) out.push(c.yellow(`   remedy ${f.remedy.versions}`));
    out.push(c.dim(`   source: ${f.source}`));
  }
  return `${out.join('\n')}\n`;
};
