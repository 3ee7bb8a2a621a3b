/**
 * The one way livesim prints a duration and a share (issue 16 item 4): simulated time in seconds
 * with a space before the unit (`30.003 s`), shares as percent with a space (`100 %`, as SI and
 * ISO 80000 write it). Digits differ by purpose (a bound needs µs, a table ms), the form does not.
 */

/** `ms` as seconds: `30.003 s`; `trim` drops trailing zeros (`20 s`, `19.444 s`); ±∞ as `∞`/`−∞`. */
export const seconds = (ms: number, opts: { digits?: number; trim?: boolean } = {}): string => {
  if (!Number.isFinite(ms)) return ms < 0 ? '−∞' : '∞';
  const fixed = (ms / 1000).toFixed(opts.digits ?? 3);
  return `${opts.trim === true ? String(Number(fixed)) : fixed} s`;
};

/** A ratio (0..1) as percent: `12.50 %`; `trim` drops trailing zeros (`0 %`, `100 %`). */
export const percent = (ratio: number, opts: { digits?: number; trim?: boolean } = {}): string => {
  const fixed = (ratio * 100).toFixed(opts.digits ?? 2);
  return `${opts.trim === true ? String(Number(fixed)) : fixed} %`;
};
