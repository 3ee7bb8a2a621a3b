import type { Figure } from './cases.js';

/** A time passes within 5 % or 200 ms of the real median, whichever is larger (issue 15 item 3). */
export const RELATIVE_TOLERANCE = 0.05;
export const ABSOLUTE_TOLERANCE_S = 0.2;

export interface Row {
  readonly caseId: string;
  readonly figure: Figure;
  readonly real: readonly (number | string)[];
  readonly median: number | string;
  readonly livesim: number | string;
  readonly ratio: number | null;
  readonly pass: boolean;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** The most frequent value (ties: the first seen), for outcomes such as FIN vs RST. */
const mode = (xs: readonly string[]): string => {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best = xs[0] ?? '';
  for (const x of xs) if ((counts.get(x) ?? 0) > (counts.get(best) ?? 0)) best = x;
  return best;
};

export const judge = (caseId: string, figure: Figure, real: readonly (number | string)[], livesim: number | string): Row => {
  if (figure.unit === 'kind') {
    const m = mode(real.map(String));
    // An outcome must be what the kernel did every time, not just most of the time.
    return { caseId, figure, real, median: m, livesim, ratio: null, pass: real.every((r) => String(r) === String(livesim)) };
  }
  const m = median(real.map(Number));
  const sim = Number(livesim);
  if (figure.unit === 'count') return { caseId, figure, real, median: m, livesim: sim, ratio: m === 0 ? null : sim / m, pass: sim === m };
  const toS = figure.unit === 'ms' ? 1 / 1000 : 1;
  const tolerance = Math.max(RELATIVE_TOLERANCE * m * toS, ABSOLUTE_TOLERANCE_S);
  return { caseId, figure, real, median: m, livesim: sim, ratio: m === 0 ? null : sim / m, pass: Math.abs(sim - m) * toS <= tolerance };
};

const num = (x: number | string, unit: Figure['unit']): string => {
  if (typeof x === 'string') return x;
  if (unit === 'count') return String(x);
  return unit === 'ms' ? `${x.toFixed(1)} ms` : `${x.toFixed(3)} s`;
};

/** The Markdown table: case, real runs, median, livesim, ratio, verdict. */
export const table = (rows: readonly Row[]): string => {
  const lines = ['| case | figure | real runs | median | livesim | ratio | verdict |', '|---|---|---|---:|---:|---:|---|'];
  for (const r of rows) {
    const runs = r.real.map((x) => num(x, r.figure.unit)).join(', ');
    const ratio = r.ratio === null ? '—' : r.ratio.toFixed(3);
    lines.push(
      `| ${r.caseId} | ${r.figure.label} | ${runs} | ${num(r.median, r.figure.unit)} | ${num(r.livesim, r.figure.unit)} | ${ratio} | ${r.pass ? 'pass' : 'FAIL'} |`,
    );
  }
  return lines.join('\n');
};
