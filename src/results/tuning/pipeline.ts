import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LivesimCli } from '../common/livesim.js';
import type { Progress } from '../common/progress.js';
import type { TuningGrids, V2Ranking } from './grids.js';
import { TUNING_KEYS as K, type TuningPlan, V1_DEFAULT, V2_DEFAULT } from './plan.js';
import { dur, faultName } from './rows.js';

/**
 * The sweeps of the tuning pipeline, in order, and the choices made from them. Per model and
 * preset:
 *   1. grid under the fault (runs.grid seeds per setting): p99 detection of every setting;
 *   2. screen: the same grid fault-free (runs.screen seeds): a setting passes only with a false-
 *      disconnection rate below the target (with up to 1/target runs: none at all);
 *   3. verify: the fastest setting that passed gets runs.verify more fault-free runs on new seeds;
 *      if its rate is not below the target, the next one is tried (at most maxVerify).
 * Then defaults vs tuned (every combination of the default and the tuned value of each key) are
 * swept under each fault (runs.compare seeds). Every sweep runs with `--resume`: an interrupted
 * pipeline, run again, continues where it stopped, and a finished sweep costs only its re-read.
 */
export type Status = 'verified' | 'unverified' | 'none';
export interface V2Tuned {
  readonly t: number;
  readonly r: number;
  readonly status: Status;
}
export interface V1Tuned {
  readonly i: number;
  readonly h: number;
  readonly d: number;
  readonly status: Status;
}
export interface Decisions {
  readonly v2: Map<string, { client: V2Tuned; server: V2Tuned; verified: [number, number][] }>;
  readonly v1: Map<string, { tuned: V1Tuned; verified: [number, number, number][] }>;
}

export interface PipelineContext {
  readonly plan: TuningPlan;
  /** The output directory and its data/ (absolute), and the same as the commands name them (relative to the repository root, where the CLI runs). */
  readonly out: string;
  readonly data: string;
  readonly cliOut: string;
  readonly workers: number;
  readonly cli: LivesimCli;
  readonly grids: TuningGrids;
  readonly progress: Progress;
}

/** Comma-joined values without repeats, in order (a tuned value may equal the default). */
const uniqCsv = (...xs: string[]): string => [...new Set(xs)].join(',');

/** Sweeps (and reports) before any candidate turns out to need a second verification. */
export const expectedSteps = (plan: TuningPlan): number => {
  const n = plan.presets.length;
  const f = plan.faults.length;
  const reports = (plan.reports.includes('compare') ? 2 * n : 0) + (plan.reports.includes('grids') ? 2 : 0);
  return n * (3 + 2 + f) + n * (4 + 1 + f) + reports;
};

export const runTuningSweeps = (ctx: PipelineContext): Decisions => {
  const { plan, cli, workers, progress } = ctx;
  const data = join(ctx.cliOut, 'data');
  const verifySeed = plan.runs.screen + 1; // verification seeds follow the screen's: no run is counted twice
  const sweep = (what: string, file: string, args: string[]): void => {
    progress.next(what);
    cli.run(['sweep', ...args, '--out', join(data, file), '--workers', String(workers)], { resume: true });
  };
  const faultUntil = (f: string): string => (f.startsWith('flap') ? plan.until.flap : plan.until.fault);
  const decisions: Decisions = { v2: new Map(), v1: new Map() };
  const v2 = plan['nacos-v2'];
  const v2Def = [dur(V2_DEFAULT.t), String(V2_DEFAULT.r)] as const;

  // ——— Nacos 2.x: health-check timeout × retry ———
  // Two rankings: "client" = fastest p99 client detection of a half-open cut (what the pair drives);
  // "server" = fastest p99 server removal under oneway:s2c (the fault where the pair moves the server),
  // ties going to the pair that tolerates the longest silence (timeout × attempts).
  for (const p of plan.presets) {
    const grid = ['--model', 'nacos-v2', '--network', p, '--vary', `${K.t}=${v2.healthTimeout.join(',')}`, '--vary', `${K.r}=${v2.healthRetry.join(',')}`];
    const G = String(plan.runs.grid);
    sweep(`nacos-v2 ${p}: grid under a half-open cut (${G} seeds)`, `v2-${p}-grid-cut.jsonl`, [
      ...grid,
      '--fault',
      'cut',
      '--runs',
      G,
      '--until',
      plan.until.fault,
    ]);
    sweep(`nacos-v2 ${p}: grid under oneway:s2c (${G} seeds)`, `v2-${p}-grid-oneway-s2c.jsonl`, [
      ...grid,
      '--fault',
      'oneway:s2c',
      '--runs',
      G,
      '--until',
      plan.until.fault,
    ]);
    sweep(`nacos-v2 ${p}: fault-free screen (${plan.runs.screen} seeds)`, `v2-${p}-steady.jsonl`, [
      ...grid,
      '--runs',
      String(plan.runs.screen),
      '--until',
      plan.until.steady,
    ]);
    const verified: [number, number][] = [];
    const swept = new Set<string>();
    /** Verifies one pair (swept once: both rankings may pick it); true when its rate, screen runs included, is below the target. */
    const verify = (t: number, r: number): boolean => {
      verified.push([t, r]);
      const file = `v2-${p}-verify-${dur(t)}-${r}.jsonl`;
      if (!swept.has(file)) {
        swept.add(file);
        sweep(`nacos-v2 ${p}: verifying timeout ${dur(t)}, retry ${r} (${plan.runs.verify} more fault-free seeds)`, file, [
          '--model',
          'nacos-v2',
          '--network',
          p,
          '--set',
          `${K.t}=${dur(t)}`,
          '--vary',
          `${K.r}=${r}`,
          '--runs',
          String(plan.runs.verify),
          '--seed',
          String(verifySeed),
          '--until',
          plan.until.steady,
        ]);
      } else progress.addSteps(-1);
      const v = ctx.grids.v2Verification(p, t, r);
      return ctx.grids.below(v.k, v.n);
    };
    /** The fastest candidate that verifies, else the fastest one screened (unverified), else the defaults (none). */
    const choose = (ranking: V2Ranking): V2Tuned => {
      const cands = ctx.grids.v2Candidates(p, ranking);
      for (const [k, c] of cands.slice(0, plan.maxVerify).entries()) {
        if (k > 0) progress.addSteps(1);
        if (verify(c.t, c.r)) return { t: c.t, r: c.r, status: 'verified' };
      }
      if (cands.length === 0) progress.addSteps(-1);
      const first = cands[0];
      return first !== undefined ? { t: first.t, r: first.r, status: 'unverified' } : { ...V2_DEFAULT, status: 'none' };
    };
    const client = choose('client');
    const server = choose('server');
    decisions.v2.set(p, { client, server, verified });
    const ts = uniqCsv(v2Def[0], dur(client.t), dur(server.t));
    const rs = uniqCsv(v2Def[1], String(client.r), String(server.r));
    for (const f of plan.faults)
      sweep(`nacos-v2 ${p}: defaults vs tuned (${dur(client.t)}/${client.r}, ${dur(server.t)}/${server.r}) under ${f}`, `v2-${p}-${faultName(f)}.jsonl`, [
        '--model',
        'nacos-v2',
        '--network',
        p,
        '--fault',
        f,
        '--vary',
        `${K.t}=${ts}`,
        '--vary',
        `${K.r}=${rs}`,
        '--runs',
        String(plan.runs.compare),
        '--until',
        faultUntil(f),
      ]);
  }

  // ——— Nacos 1.x: beat interval, beat (heartbeat) timeout, delete timeout ———
  // Fault-free, a false removal depends on interval × delete timeout and a false unhealthy mark on
  // interval × beat timeout, so two grids replace the three-way product: R (delete timeout, beat
  // timeout at its default) and U (beat timeout, delete timeout at its default). The combination
  // chosen from them is verified as a whole. Consumers drop an unhealthy instance only while another
  // one is healthy (protectThreshold 0 returns a lone unhealthy instance as healthy), so the runs
  // that measure what consumers see have a second client (--clients 2; metrics follow c1).
  const v1 = plan['nacos-v1'];
  const v1Def = [dur(V1_DEFAULT.i), dur(V1_DEFAULT.h), dur(V1_DEFAULT.d)] as const;
  for (const p of plan.presets) {
    const base = ['--model', 'nacos-v1', '--network', p, '--vary', `${K.i}=${v1.beatInterval.join(',')}`];
    const gridR = [...base, '--vary', `${K.d}=${v1.deleteTimeout.join(',')}`, '--set', `${K.h}=${v1Def[1]}`];
    const gridU = [...base, '--vary', `${K.h}=${v1.beatTimeout.join(',')}`, '--set', `${K.d}=${v1Def[2]}`];
    const G = String(plan.runs.grid);
    const S = String(plan.runs.screen);
    // (the delete-timeout grid under a cut measures removal, which a second client does not change)
    sweep(`nacos-v1 ${p}: delete-timeout grid under a cut (${G} seeds)`, `v1-${p}-grid-delete-cut.jsonl`, [
      ...gridR,
      '--fault',
      'cut',
      '--runs',
      G,
      '--until',
      plan.until.fault,
    ]);
    sweep(`nacos-v1 ${p}: beat-timeout grid under a cut (${G} seeds)`, `v1-${p}-grid-beat-cut.jsonl`, [
      ...gridU,
      '--clients',
      '2',
      '--fault',
      'cut',
      '--runs',
      G,
      '--until',
      plan.until.fault,
    ]);
    sweep(`nacos-v1 ${p}: delete-timeout screen (${S} seeds)`, `v1-${p}-steady-delete.jsonl`, [...gridR, '--runs', S, '--until', plan.until.steady]);
    sweep(`nacos-v1 ${p}: beat-timeout screen (${S} seeds)`, `v1-${p}-steady-beat.jsonl`, [...gridU, '--runs', S, '--until', plan.until.steady]);
    const cands = ctx.grids.v1Candidates(p);
    const verified: [number, number, number][] = [];
    let tuned: V1Tuned | null = null;
    for (const [k, { i, h, d }] of cands.slice(0, plan.maxVerify).entries()) {
      if (k > 0) progress.addSteps(1);
      verified.push([i, h, d]);
      sweep(
        `nacos-v1 ${p}: verifying interval ${dur(i)}, beat timeout ${dur(h)}, delete timeout ${dur(d)} (${plan.runs.verify} fault-free seeds)`,
        `v1-${p}-verify-${dur(i)}-${dur(h)}-${dur(d)}.jsonl`,
        [
          '--model',
          'nacos-v1',
          '--network',
          p,
          '--set',
          `${K.i}=${dur(i)}`,
          '--set',
          `${K.h}=${dur(h)}`,
          '--vary',
          `${K.d}=${dur(d)}`,
          '--runs',
          String(plan.runs.verify),
          '--seed',
          String(verifySeed),
          '--until',
          plan.until.steady,
        ],
      );
      const v = ctx.grids.v1Verification(p, i, h, d);
      if (ctx.grids.below(v.k, v.n)) {
        tuned = { i, h, d, status: 'verified' };
        break;
      }
    }
    if (cands.length === 0) progress.addSteps(-1);
    // No setting verified: compare the fastest one screened (marked unverified), or the defaults alone.
    const first = cands[0];
    tuned ??= first !== undefined ? { ...first, status: 'unverified' } : { ...V1_DEFAULT, status: 'none' };
    decisions.v1.set(p, { tuned, verified });
    const is = uniqCsv(v1Def[0], dur(tuned.i));
    const hs = uniqCsv(v1Def[1], dur(tuned.h));
    const ds = uniqCsv(v1Def[2], dur(tuned.d));
    for (const f of plan.faults)
      sweep(`nacos-v1 ${p}: defaults vs tuned (${dur(tuned.i)}, ${dur(tuned.h)}, ${dur(tuned.d)}) under ${f}`, `v1-${p}-${faultName(f)}.jsonl`, [
        '--model',
        'nacos-v1',
        '--network',
        p,
        '--clients',
        '2',
        '--fault',
        f,
        '--vary',
        `${K.i}=${is}`,
        '--vary',
        `${K.h}=${hs}`,
        '--vary',
        `${K.d}=${ds}`,
        '--runs',
        String(plan.runs.compare),
        '--until',
        faultUntil(f),
      ]);
  }
  return decisions;
};

/** One report directory per model and preset (defaults vs tuned, the faults in order), one per model over its grids. */
export const writeTuningReports = (ctx: PipelineContext): void => {
  const { plan, out, cli, progress } = ctx;
  const data = join(ctx.cliOut, 'data');
  const report = (dir: string, files: string[]): void => {
    progress.next(`report ${dir}`);
    rmSync(join(out, dir), { recursive: true, force: true });
    cli.run(['report', ...files.map((f) => join(data, f)), '--out', join(ctx.cliOut, dir)]);
    // report.html repeats the SVGs inline (hundreds of kB each): not committed; `livesim report` rebuilds it.
    rmSync(join(out, dir, 'report.html'), { force: true });
  };
  if (plan.reports.includes('compare'))
    for (const m of ['v1', 'v2'])
      for (const p of plan.presets)
        report(
          `${m}-${p}`,
          plan.faults.map((f) => `${m}-${p}-${faultName(f)}.jsonl`),
        );
  if (plan.reports.includes('grids')) {
    report(
      'v2-grid',
      plan.presets.flatMap((p) => [`v2-${p}-grid-cut.jsonl`, `v2-${p}-grid-oneway-s2c.jsonl`]),
    );
    report(
      'v1-grid',
      plan.presets.flatMap((p) => [`v1-${p}-grid-delete-cut.jsonl`, `v1-${p}-grid-beat-cut.jsonl`]),
    );
  }
};
