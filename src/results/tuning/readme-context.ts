import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Distribution } from '../../analysis/distribution.js';
import type { KnobValue } from '../../models/knob.js';
import { NETWORK_PRESETS } from '../../scenario/network-presets.js';
import { wilsonUpper95 } from '../../tune/rank.js';
import type { Machine, Spent } from '../common/machine.js';
import type { TuningGrids, Verification } from './grids.js';
import type { Decisions, V1Tuned, V2Tuned } from './pipeline.js';
import { TUNING_KEYS as K, type TuningPlan, V1_DEFAULT, V2_DEFAULT } from './plan.js';
import { clientDet, count, dist, dur, faultName, mean, msgsPerSec, pct, type TuningRow, v1Label, v2Label } from './rows.js';

/** What the tuning README is written from: the plan, the sweeps read back, the choices, and the machine. */
export interface ReadmeContext {
  readonly plan: TuningPlan;
  /** How the README says it was generated, e.g. `npm run results:tuning`. */
  readonly command: string;
  readonly grids: TuningGrids;
  readonly decisions: Decisions;
  readonly machine: Machine;
  readonly workers: number;
  /** Over every invocation of this regeneration (a resumed one adds to it). */
  readonly spent: Spent;
  readonly version: string;
  readonly commands: readonly string[];
}

export type Model = 'v1' | 'v2';
/** In the order the README lists them. */
export const MODELS: readonly Model[] = ['v2', 'v1'];
type Config = Readonly<Record<string, KnobValue>>;
export type Match = (c: Config) => boolean;

export const tunedV2 = (ctx: ReadmeContext, p: string, ranking: 'client' | 'server'): V2Tuned => {
  const d = ctx.decisions.v2.get(p);
  if (d === undefined) throw new Error(`no 2.x decision for ${p}`);
  return d[ranking];
};
export const tunedV1 = (ctx: ReadmeContext, p: string): V1Tuned => {
  const d = ctx.decisions.v1.get(p);
  if (d === undefined) throw new Error(`no 1.x decision for ${p}`);
  return d.tuned;
};

export interface Verified extends Verification {
  readonly label: string;
  readonly pass: boolean;
}
/** The verifications run for a preset, in order (each setting once), with their outcome. */
export const verifications = (ctx: ReadmeContext, model: Model, p: string): Verified[] => {
  const seen = new Set<string>();
  const out: Verified[] = [];
  const tried = model === 'v2' ? (ctx.decisions.v2.get(p)?.verified ?? []) : (ctx.decisions.v1.get(p)?.verified ?? []);
  for (const w of tried) {
    const label = model === 'v2' ? v2Label(w[0], w[1]) : v1Label(w[0], w[1], w[2] ?? 0);
    if (seen.has(label)) continue;
    seen.add(label);
    const v = model === 'v2' ? ctx.grids.v2Verification(p, w[0], w[1]) : ctx.grids.v1Verification(p, w[0], w[1], w[2] ?? 0);
    out.push({ label, ...v, pass: ctx.grids.below(v.k, v.n) });
  }
  return out;
};

/** Rows of every verification sweep of a model and preset. */
export const verifyRows = (ctx: ReadmeContext, model: Model, p: string): TuningRow[] => verifications(ctx, model, p).flatMap((v) => [...v.verifyOnly]);

export const confidence = (ctx: ReadmeContext, k: number, n: number): string => {
  const target = ctx.plan.target;
  const up = wilsonUpper95(k, n);
  if (up === null) return 'no runs';
  if (up < target) return `below ${pct(target)} with 95 % confidence (Wilson upper bound ${pct(up)})`;
  return `point estimate ${pct(k / n)}; the runs vouch only for a rate below ${pct(up)} (95 %, Wilson): consistent with the target, not proof of it`;
};

export const compareRows = (ctx: ReadmeContext, model: Model, p: string, fault: string, match: Match): TuningRow[] =>
  ctx.grids.data.runsOf(`${model}-${p}-${faultName(fault)}.jsonl`).filter((row) => match(row.config));

export interface PointStats {
  readonly n: number;
  readonly det: Distribution;
  readonly stale: Distribution;
  readonly client: Distribution;
  readonly removed: number;
  readonly reReg: number | null;
  readonly msgs: number | null;
}
export const pointStats = (rows: readonly TuningRow[]): PointStats => ({
  n: rows.length,
  det: dist(rows, (r) => r.metrics.detectionMs),
  stale: dist(rows, (r) => r.metrics.staleMs),
  client: dist(rows, clientDet),
  removed: count(rows, (r) => r.metrics.detectionMs !== null),
  reReg: mean(rows.map((r) => r.metrics.reRegistrations)),
  msgs: mean(rows.map(msgsPerSec)),
});

export const isV1Default: Match = (c) => c[K.i] === V1_DEFAULT.i && c[K.h] === V1_DEFAULT.h && c[K.d] === V1_DEFAULT.d;
export const isV2Default: Match = (x) => x[K.t] === V2_DEFAULT.t && x[K.r] === V2_DEFAULT.r;
export const V1_DEFAULT_LABEL = v1Label(V1_DEFAULT.i, V1_DEFAULT.h, V1_DEFAULT.d);
export const V2_DEFAULT_LABEL = v2Label(V2_DEFAULT.t, V2_DEFAULT.r);

/** [label, config matcher] of the settings compared under the faults: the defaults and the tuned one(s). */
export const comparedSettings = (ctx: ReadmeContext, model: Model, p: string): [string, Match][] => {
  if (model === 'v1') {
    const t = tunedV1(ctx, p);
    return [
      [`defaults ${V1_DEFAULT_LABEL}`, isV1Default],
      [`tuned ${v1Label(t.i, t.h, t.d)}`, (c) => c[K.i] === t.i && c[K.h] === t.h && c[K.d] === t.d],
    ];
  }
  const c = tunedV2(ctx, p, 'client');
  const s = tunedV2(ctx, p, 'server');
  const same = c.t === s.t && c.r === s.r;
  const out: [string, Match][] = [[`defaults ${V2_DEFAULT_LABEL}`, isV2Default]];
  out.push([`${same ? 'tuned (both rankings)' : 'tuned for client detection'} ${v2Label(c.t, c.r)}`, (x) => x[K.t] === c.t && x[K.r] === c.r]);
  if (!same) out.push([`tuned for server removal ${v2Label(s.t, s.r)}`, (x) => x[K.t] === s.t && x[K.r] === s.r]);
  return out;
};

/** Mean protocol messages per second in the fault-free runs of a compared setting (screen or verification runs). */
export const steadyMsgs = (ctx: ReadmeContext, model: Model, p: string, match: Match): number | null => {
  if (model === 'v2') return ctx.grids.v2Grid(p).find((g) => match({ [K.t]: g.t, [K.r]: g.r }))?.msgs ?? null;
  const grid = ctx.grids.v1Grids(p).del.find((g) => match({ [K.i]: g.i, [K.h]: g.h, [K.d]: g.d }));
  if (grid !== undefined) return grid.msgs;
  const t = tunedV1(ctx, p);
  return ctx.grids.v1Verification(p, t.i, t.h, t.d).msgs;
};

/** The lan grid settings that failed their screen, as text. */
export const lanFailures = (ctx: ReadmeContext, frac: (k: number, n: number) => string): string => {
  if (!ctx.plan.presets.includes('lan')) return 'not run';
  const out: string[] = [];
  for (const g of ctx.grids.v2Grid('lan')) if (!g.pass) out.push(`2.x ${v2Label(g.t, g.r)} (${frac(g.kAny, g.n)})`);
  const { del, beat } = ctx.grids.v1Grids('lan');
  for (const g of del) if (!g.pass) out.push(`1.x interval ${dur(g.i)} / delete ${dur(g.d)} (${frac(g.kRemoval, g.n)} removed)`);
  for (const g of beat) if (!g.pass) out.push(`1.x interval ${dur(g.i)} / beat timeout ${dur(g.h)} (${frac(g.kUnhealthy, g.n)} marked unhealthy)`);
  return out.length === 0 ? 'none' : out.join(', ');
};

export const presetDescription = (p: string): string => NETWORK_PRESETS.find((x) => x.name === p)?.description ?? '(no description found)';

/** `flap:UP/DOWN` in words. */
export const flapText = (f: string): string => {
  const [up, down] = f.slice('flap:'.length).split('/');
  return `up ${up}, down ${down}`;
};

export const dataSizeMb = (dir: string): number => {
  let bytes = 0;
  for (const f of readdirSync(dir)) if (f.endsWith('.jsonl')) bytes += statSync(join(dir, f)).size;
  return Math.round(bytes / 1e6);
};
