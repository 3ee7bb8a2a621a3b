import type { ChalkInstance } from 'chalk';
import type { Mechanism } from '../../src/analysis/mechanisms.js';
import type { RemedyOutcome, RemedyReport } from '../../src/diagnose/diagnose-remedies.js';
import type { RemovalAnswer } from '../../src/diagnose/removal.js';
import { seconds } from './units.js';

const s = (ms: number | null): string => (ms === null ? 'never' : seconds(ms));

/** The answer first: when the server removes it (or never, and why), then each mechanism with its window. */
export const formatRemovalAnswer = (a: RemovalAnswer, c: ChalkInstance, fault: string): string[] => {
  const out: string[] = [];
  if (a.removedAtMs !== null && a.detectionMs !== null) {
    out.push(`  removed at ${c.bold(s(a.removedAtMs))}, ${c.bold(s(a.detectionMs))} after the fault${a.because === null ? '' : `: ${a.because}`}`);
  } else if (a.faultAtMs !== null) {
    out.push(`  ${c.bold('never removed')}${a.never === null ? ` within ${a.until}` : `: ${a.never}`}`);
  }
  if (a.horizonNote !== null) out.push(c.dim(`  ${a.horizonNote}`));
  if (a.unhealthyAtMs !== null)
    out.push(`  marked unhealthy at ${s(a.unhealthyAtMs)}${a.faultAtMs === null ? '' : `, ${s(a.unhealthyAtMs - a.faultAtMs)} after the fault`}`);
  const since = (x: number | null): string => (x === null || a.faultAtMs === null ? 'never' : seconds(x - a.faultAtMs));
  out.push(`  consumers updated: ${a.staleMs === null ? 'never' : `${seconds(a.staleMs)} after the fault`}; the client noticed: ${since(a.clientNoticedAtMs)}`);
  if (a.mechanisms.length > 0) {
    out.push(`  what can end it, analytically (from the ${fault}):`);
    for (const m of a.mechanisms) out.push(`    ${mechanismLine(m, c)}`);
  } else if (a.removal !== null && a.removal.kind !== 'within') {
    out.push(c.dim(`  analytic: ${a.removal.kind === 'never' ? 'never' : 'no bound'} (${a.removal.why})`));
  }
  out.push(c.dim(`  replay: ${a.replay}`));
  return out;
};

const mechanismLine = (m: Mechanism, c: ChalkInstance): string => {
  const verb = m.marksOnly === true ? 'marks' : 'ends';
  if (m.window === null && m.marksOnly === true) return `${c.green('✓')} ${m.name} — ${m.note ?? ''}`;
  if (m.window === null) return `${c.dim('·')} ${m.name}: does not apply — ${m.note ?? ''}`;
  const when = `${seconds(m.window.lowerMs)} .. ${seconds(m.window.upperMs)}`;
  return `${c.green('✓')} ${m.name}: ${verb} it in (${when}]${m.note === null ? '' : ` — ${m.note}`}`;
};

const perHour = (o: RemedyOutcome): string => `${o.falseRemovals} (${o.falseRemovalsPerHour.toFixed(1)}/h)`;

const numbers = (o: RemedyOutcome, c: ChalkInstance): string =>
  `detection ${c.bold(s(o.detectionMs))} · stale ${c.bold(s(o.staleMs))} · client notices ${s(o.clientNoticesMs)} · false removals ${perHour(o)}`;

/** The ranked remedies, each simulated: detection and staleness on the user's fault, false removals on the lossy network. */
export const formatRemedies = (r: RemedyReport, c: ChalkInstance, server: string): string[] => {
  const out: string[] = [];
  out.push(
    c.bold(
      `Remedies, simulated on your release (server ${server}), ranked: detection and staleness on your fault; false removals fault-free on ${r.lossy.network}, ${r.lossy.seeds} seeds × ${Math.round(r.lossy.hoursPerSeed * 60)} min`,
    ),
  );
  out.push(`  0. your settings: ${numbers(r.yours, c)}`);
  for (const [i, o] of r.remedies.entries()) {
    const n = `${i + 1}.`.padStart(4);
    if (o.unavailable !== null) {
      out.push(`${c.dim(`${n} ${o.change}: not in your release — ${o.unavailable}`)}`);
      continue;
    }
    const v = o.versions === null ? '' : c.yellow(` [${o.versions}]`);
    out.push(`${n} ${c.cyan(o.change)}${v}`);
    const why = o.detectionMs === null ? (o.never === null ? '' : ` — never: ${o.never}`) : o.because === null ? '' : ` — ${o.because}`;
    out.push(`      ${numbers(o, c)}${o.note === null ? '' : c.dim(` (${o.note})`)}`);
    if (why !== '') out.push(c.dim(`     ${why}`));
  }
  return out;
};
