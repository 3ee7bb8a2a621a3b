import { createHash } from 'node:crypto';
import { InputError } from '../scenario/input-error.js';
import { LIMITS } from '../scenario/scenario.js';
import { MAX_RUNS_TOTAL, pointSet, type SweepHeader } from './plan.js';
import { MAX_AXIS_VALUES } from './spec.js';

/**
 * What is read back from a sweep file is checked before it is used (issue 20 items 4 and 5): a
 * crafted header (`"points":1000000000`, shard `1/100000000`) made report, merge and resume
 * allocate gigabytes, and a crafted row (`i:0, point:99, seed:777`) was kept as if it had run.
 * A header must be one livesim writes — its plan hash recomputed from its fields, its sizes
 * within the plan limits — and a row must be the run the plan says is at its index.
 */
const fail = (path: string, lineNo: number, what: string): never => {
  throw new InputError(`${path}:${lineNo}: ${what}`);
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isWhole = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isStringMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((x) => typeof x === 'string');

/** The plan hash as src/sweep/plan.ts computes it: the header's fields in the plan's order. */
export const planHashOf = (h: Record<string, unknown>): string => {
  const keys = ['type', 'format', 'model', 'vary', 'set', 'faults', 'runs', 'seedBase', 'until'] as const;
  const rest = ['clients', 'subscribers', 'servers', 'clientVersion', 'serverVersion', 'network', 'onset', 'points', 'total'] as const;
  const unhashed = Object.fromEntries([...keys, ...rest].map((k) => [k, h[k]]));
  return createHash('sha256').update(JSON.stringify(unhashed)).digest('hex').slice(0, 32);
};

/** A header livesim could have written, with sizes the plan limits allow; else exit 2 naming line 1. */
export const checkHeader = (path: string, h: Record<string, unknown>): SweepHeader => {
  const bad = (what: string): never => fail(path, 1, `the sweep header ${what}`);
  if (typeof h.model !== 'string') bad('has no model');
  const vary = h.vary;
  if (!Array.isArray(vary) || vary.length === 0) bad('has no vary axes');
  let points = 1;
  for (const a of vary as unknown[]) {
    if (!isObject(a) || typeof a.key !== 'string' || !Array.isArray(a.values) || a.values.length === 0 || a.values.length > MAX_AXIS_VALUES)
      bad(`has an axis that is not KEY and 1..${MAX_AXIS_VALUES} values`);
    const axis = a as { values: unknown[] };
    if (!axis.values.every((v) => typeof v === 'string')) bad('has an axis value that is not text');
    points *= axis.values.length;
    if (points > MAX_RUNS_TOTAL) bad(`has more than ${MAX_RUNS_TOTAL} points`);
  }
  if (!isStringMap(h.set)) bad('has no set');
  if (!Array.isArray(h.faults) || !h.faults.every((f) => typeof f === 'string') || h.faults.length > LIMITS.maxFaults) bad('has bad faults');
  if (!isWhole(h.runs, 1, MAX_RUNS_TOTAL)) bad(`runs is not a whole number 1..${MAX_RUNS_TOTAL}`);
  if (!isWhole(h.seedBase, 0, LIMITS.maxSeed) || (h.seedBase as number) + (h.runs as number) - 1 > LIMITS.maxSeed) bad('has seeds past the largest seed');
  if (h.points !== points) bad(`says ${String(h.points)} points, its axes make ${points}`);
  if (h.total !== points * (h.runs as number) || points * (h.runs as number) > MAX_RUNS_TOTAL) bad(`total is not points × runs ≤ ${MAX_RUNS_TOTAL}`);
  if (typeof h.planHash !== 'string' || h.planHash !== planHashOf(h)) bad('does not match its plan hash (the file was edited)');
  if (h.shard !== undefined) {
    const m = typeof h.shard === 'string' ? /^(\d+)\/(\d+)$/.exec(h.shard) : null;
    const count = Number(m?.[2]);
    const index = Number(m?.[1]);
    if (m === null || count < 1 || count > (h.total as number) || index < 1 || index > count) bad('has a shard that is not I/N with 1 ≤ I ≤ N ≤ total');
  }
  return h as unknown as SweepHeader;
};

const isMs = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));

/**
 * A run row that is the plan's run at its index: the right point, seed and varied settings, and
 * the fields the summaries read of the right types. Returns the row; else exit 2 with the line.
 */
export const checkRow = (path: string, lineNo: number, row: Record<string, unknown>, header: SweepHeader): void => {
  const bad = (what: string): never => fail(path, lineNo, what);
  const i = row.i;
  if (!isWhole(i, 0, header.total - 1)) bad('run index outside the plan');
  const point = Math.floor((i as number) / header.runs);
  const seed = header.seedBase + ((i as number) % header.runs);
  if (row.point !== point) bad(`run ${i} is of point ${point}, the line says ${String(row.point)}`);
  if (row.seed !== seed) bad(`run ${i} has seed ${seed}, the line says ${String(row.seed)}`);
  if (!isStringMap(row.set) || JSON.stringify(row.set) !== JSON.stringify(pointSet(header.vary, point)))
    bad(`run ${i}: its settings are not those of point ${point}`);
  if (row.replay !== undefined && typeof row.replay !== 'string') bad(`run ${i}: replay is not text`);
  if (row.illegal !== undefined) {
    if (typeof row.illegal !== 'string') bad(`run ${i}: illegal is not text`);
    return;
  }
  const m = row.metrics;
  if (!isObject(m) || !isMs(m.detectionMs) || !isMs(m.staleMs) || !isWhole(m.falseRemovals, 0, Number.MAX_SAFE_INTEGER))
    bad(`run ${i}: metrics must hold detectionMs, staleMs (ms or null) and falseRemovals`);
  const messages = (m as Record<string, unknown>).messages;
  if (!isObject(messages) || !Object.values(messages).every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0))
    bad(`run ${i}: metrics.messages must map message kinds to counts`);
  const stop = row.stop;
  if (stop !== undefined && (!isObject(stop) || typeof stop.atMs !== 'number' || !Number.isFinite(stop.atMs) || stop.atMs < 0))
    bad(`run ${i}: stop.atMs must be a time in ms`);
  const qos = row.qos;
  if (qos !== undefined && (!isObject(qos) || !Object.values(qos).every((v) => isMs(v)))) bad(`run ${i}: qos must hold times in ms`);
};
