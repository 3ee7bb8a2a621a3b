import { formatDuration, parseDuration } from '../scenario/duration.js';
import { InputError } from '../scenario/input-error.js';
import type { ScenarioFile } from '../scenario/scenario.js';
import type { BoundReport } from './report.js';

/**
 * `--space KEY=RANGE…`: a configuration space for `livesim bound`. RANGE is a list `a,b,c` or
 * `FROM..TO:STEP` (both ends inclusive; durations such as `10s..60s:10s`, or plain numbers).
 * Every configuration is searched lightly; the one with the largest worst case wins.
 */
export const MAX_SPACE_POINTS = 64;

export interface SpaceRow {
  readonly set: Readonly<Record<string, string>>;
  /** null when Nacos would reject the combination (`error` says why). */
  readonly upperMs: number | null;
  readonly worstMs: number | null;
  readonly tightness: number | null;
  readonly error: string | null;
}

export interface SpaceReport {
  readonly axes: readonly string[];
  readonly rows: readonly SpaceRow[];
  /** Index in rows of the configuration with the largest worst case (never = infinite). */
  readonly largest: number;
}

const RANGE = /^(.+?)\.\.(.+):(.+)$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

export const parseSpaceAxis = (text: string): { key: string; values: string[] } => {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(`--space '${text}': expected KEY=RANGE, e.g. preserved.ip.delete.timeout=10s..60s:10s or ephemeral=true,false`);
  const key = text.slice(0, eq).trim();
  const spec = text.slice(eq + 1).trim();
  const m = RANGE.exec(spec);
  if (m === null) return { key, values: spec.split(',').map((v) => v.trim()) };
  const [from, to, step] = [m[1], m[2], m[3]] as [string, string, string];
  const plain = [from, to, step].every((v) => NUMBER.test(v.trim()));
  const parse = (v: string): number => (plain ? Number(v) : parseDuration(v, `--space ${key}`));
  const [lo, hi, by] = [parse(from), parse(to), parse(step)];
  if (!(by > 0) || hi < lo) throw new InputError(`--space '${text}': need FROM ≤ TO and a positive STEP`);
  const count = Math.floor((hi - lo) / by + 1e-9) + 1;
  if (count > MAX_SPACE_POINTS) throw new InputError(`--space '${text}': ${count} values, at most ${MAX_SPACE_POINTS}`);
  return { key, values: Array.from({ length: count }, (_, i) => (plain ? String(lo + i * by) : formatDuration(lo + i * by))) };
};

const isLarger = (a: number | null, b: number | null): boolean => (a === null ? b !== null : b !== null && a > b);

export const exploreSpace = (
  input: ScenarioFile,
  axes: readonly string[],
  searchOne: (variant: ScenarioFile) => Omit<BoundReport, 'space'>,
): { largestInput: ScenarioFile; report: SpaceReport } => {
  let combos: Record<string, string>[] = [{}];
  for (const axis of axes.map(parseSpaceAxis)) combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.key]: v })));
  if (combos.length > MAX_SPACE_POINTS) throw new InputError(`--space: ${combos.length} configurations, at most ${MAX_SPACE_POINTS}`);
  const rows: SpaceRow[] = [];
  let largest = -1;
  for (const set of combos) {
    const variant: ScenarioFile = { ...input, set: { ...(input.set ?? {}), ...set } };
    try {
      const r = searchOne(variant);
      rows.push({ set, upperMs: r.bound.upperMs, worstMs: r.worst.valueMs, tightness: r.tightness, error: null });
      if (largest < 0 || isLarger(r.worst.valueMs, (rows[largest] as SpaceRow).worstMs)) largest = rows.length - 1;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      rows.push({ set, upperMs: null, worstMs: null, tightness: null, error: e.message });
    }
  }
  if (largest < 0) throw new InputError(`--space: no legal configuration (first problem: ${rows[0]?.error ?? 'none'})`);
  const winner = rows[largest] as SpaceRow;
  return { largestInput: { ...input, set: { ...(input.set ?? {}), ...winner.set } }, report: { axes: [...axes], rows, largest } };
};
