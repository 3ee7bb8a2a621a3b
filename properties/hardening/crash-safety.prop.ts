import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliBatch } from '../../test/cli-harness.js';
import { commandLine, ensureFreshBuild, envCount, firstDifference, limited, livesim, PROPS_SEED } from './cli.js';
import { killAt, ok, start } from './kill-harness.js';

/**
 * Claims (issue 8, crash safety):
 * 1. A sweep killed with SIGKILL at CRASH_KILLS random points — a random delay after the start
 *    (start-up, planning, the header, the first rows) or a random number of new rows, with
 *    `--workers` 1 or 2 each time, all drawn from PROPS_SEED — and then resumed with `--resume`
 *    ends with exactly the bytes of an uninterrupted run. After every kill, OUT.partial is a byte
 *    prefix of the uninterrupted file (so no run is missing, none twice, none out of order; a
 *    torn last line can only be the start of the right line), no kept run is lost by a resume,
 *    and OUT exists only when complete.
 * Claims 2 and 3 of issue 8 (existing outputs, temporary names) are in output-safety.prop.ts.
 *
 * Knobs: CRASH_KILLS (CI 4, deep 100), PROPS_SEED.
 */
const KILLS = envCount('CRASH_KILLS', 4);
const KNOBS = `PROPS_SEED=${PROPS_SEED} CRASH_KILLS=${KILLS}`;
/** A kill comes at the latest this many new rows after the start, so each one interrupts. */
const MAX_ROWS = 40;
/** Rows written at once at most (batches finished together) past the trigger: the plan outlasts the kills. */
const OVERSHOOT = 40;

interface Kill {
  /** Kill this long after the start (or at `rows` new rows, whichever comes first); null: rows only. */
  readonly afterMs: number | null;
  readonly rows: number;
  readonly workers: number;
}
interface Schedule {
  readonly model: 'nacos-v1' | 'nacos-v2';
  readonly seed: number;
  readonly kills: readonly Kill[];
  readonly finalWorkers: number;
}

const killArb: fc.Arbitrary<Kill> = fc.record({
  afterMs: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.constant(null)),
  rows: fc.integer({ min: 1, max: MAX_ROWS }),
  workers: fc.constantFrom(1, 2),
});
const scheduleArb: fc.Arbitrary<Schedule> = fc.record({
  model: fc.constantFrom('nacos-v1' as const, 'nacos-v2' as const),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  kills: fc.array(killArb, { minLength: KILLS, maxLength: KILLS }),
  finalWorkers: fc.constantFrom(1, 2),
});
const schedule = fc.sample(scheduleArb, { seed: PROPS_SEED, numRuns: 1 })[0] as Schedule;

/** 2 points × enough seeds that every kill lands before the end. */
const perPoint = Math.ceil((KILLS * (MAX_ROWS + OVERSHOOT) + 200) / 2);
const VARY: Record<Schedule['model'], string> = {
  'nacos-v1': 'preserved.ip.delete.timeout=10s,30s',
  'nacos-v2': 'nacos.naming.client.expired.time=30s,60s',
};
const PLAN = ['sweep', '--model', schedule.model, '--vary', VARY[schedule.model], '--fault', 'cut', '--until', '90s', '--seed', String(schedule.seed)];
const BIG = [...PLAN, '--runs', String(perPoint)];
/** A small sweep for the checks that need a finished file quickly. */
const SMALL = ['sweep', '--model', 'nacos-v1', '--vary', 'clients=1,2', '--fault', 'cut', '--until', '30s', '--runs', '10'];

let dir = '';
let ref = '';
let small = '';
const _mid = '';
const path = (name: string): string => join(dir, name);
const bytes = (name: string): string => readFileSync(path(name), 'utf8');

beforeAll(async () => {
  ensureFreshBuild();
  dir = mkdtempSync(join(tmpdir(), 'livesim-crash-'));
  const made = [
    [...BIG, '--workers', '1', '--out', 'ref.jsonl'],
    [...SMALL, '--workers', '1', '--out', 'small.jsonl'],
  ];
  const results = await limited(made.map((args) => () => livesim(args, dir)));
  for (const [k, r] of results.entries()) ok(r, made[k] as string[]);
  ref = bytes('ref.jsonl');
  small = bytes('small.jsonl');
}, 600_000);
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});
describe(`hardening › crash safety: SIGKILL at random points, then --resume, gives the uninterrupted bytes [${KNOBS}]`, () => {
  it(
    `${KILLS} kills (${schedule.model}, ${2 * perPoint} runs): OUT.partial is a prefix of the uninterrupted file after each, the resumed file equals it`,
    async () => {
      const out = 'killed.jsonl';
      const partial = `${out}.partial`;
      // Where the kills landed: before OUT.partial existed, before this start added a row (start-up,
      // planning, the resume scan), after it added rows, in the middle of a line, in the summaries.
      const where: Record<string, number> = { 'before the file': 0, 'before a new row': 0, 'after new rows': 0, 'torn last line': 0, summaries: 0 };
      let keptRuns = 0;
      const rerun = `${KNOBS} npx vitest run properties/hardening/crash-safety.prop.ts`;
      for (const [k, kill] of schedule.kills.entries()) {
        const args = [...BIG, '--workers', String(kill.workers), '--out', out, ...(k === 0 ? [] : ['--resume'])];
        const what = `kill ${k + 1} of ${KILLS} (${kill.afterMs === null ? '' : `${kill.afterMs} ms or `}${kill.rows} rows, --workers ${kill.workers}); rerun: ${rerun}\n    ${commandLine(args)}`;
        const s = start(dir, args);
        const killed = await killAt(s, path(partial), kill);
        if (!killed) {
          const r = await s.exited;
          throw new Error(`${what}\n    ended by itself before the kill (exit ${r.code}): ${r.stderr.trim().slice(0, 400)}`);
        }
        expect(existsSync(path(out)), `${what}\n    OUT exists before the sweep completed`).toBe(false);
        if (!existsSync(path(partial))) {
          where['before the file'] = (where['before the file'] as number) + 1;
          expect(keptRuns, `${what}\n    OUT.partial disappeared`).toBe(0);
          continue;
        }
        const p = bytes(partial);
        if (!ref.startsWith(p))
          throw new Error(`${what}\n    OUT.partial is not a prefix of the uninterrupted file: ${firstDifference(ref.slice(0, p.length), p)}`);
        const lines = p.split('\n');
        const torn = !p.endsWith('\n');
        const complete = lines.length - 1; // whole lines
        const runs = Math.max(0, Math.min(complete - 1, 2 * perPoint));
        expect(runs, `${what}\n    a resume lost runs that were on disk`).toBeGreaterThanOrEqual(keptRuns);
        const phase = torn ? 'torn last line' : complete - 1 > 2 * perPoint ? 'summaries' : runs > keptRuns ? 'after new rows' : 'before a new row';
        keptRuns = runs;
        where[phase] = (where[phase] as number) + 1;
      }
      const finalArgs = [...BIG, '--workers', String(schedule.finalWorkers), '--resume', '--out', out];
      ok(await livesim(finalArgs, dir), finalArgs);
      const d = firstDifference(ref, bytes(out));
      if (d !== null) throw new Error(`the resumed file differs from the uninterrupted one at ${d}\n    ${commandLine(finalArgs)}`);
      expect(existsSync(path(partial))).toBe(false);
      const runs = bytes(out)
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; i: number })
        .filter((l) => l.type === 'run')
        .map((l) => l.i);
      expect(runs).toEqual(Array.from({ length: 2 * perPoint }, (_, i) => i));
      console.log(
        `crash safety: ${KILLS} kills: ${Object.entries(where)
          .map(([w, n]) => `${n} ${w}`)
          .join(', ')}; ${keptRuns} runs on disk at the last kill`,
      );
    },
    Math.max(300_000, KILLS * 20_000),
  );

  it('--resume of a finished sweep leaves the file alone (same bytes, not rewritten)', async () => {
    const before = statSync(path('small.jsonl'));
    const args = [...SMALL, '--workers', '1', '--resume', '--out', 'small.jsonl'];
    ok(await livesim(args, dir), args);
    const after = statSync(path('small.jsonl'));
    expect(bytes('small.jsonl')).toBe(small);
    expect({ ino: after.ino, mtimeMs: after.mtimeMs }, commandLine(args)).toEqual({ ino: before.ino, mtimeMs: before.mtimeMs });
  });

  it('a partial file cut before its header was whole (killed between create and first write) resumes', async () => {
    const header = small.slice(0, small.indexOf('\n') + 1);
    const names = { empty: '', 'torn-header': header.slice(0, 40), 'header-no-newline': header.slice(0, -1) };
    const cases = Object.entries(names).map(([name, content]) => {
      writeFileSync(path(`${name}.jsonl.partial`), content);
      return [...SMALL, '--workers', '1', '--resume', '--out', `${name}.jsonl`];
    });
    const results = await runCliBatch(cases, 1, 120_000, { cwd: dir });
    for (const [k, name] of Object.keys(names).entries()) {
      const args = cases[k] as string[];
      expect((results[k] as { code: unknown }).code, `${commandLine(args)}: ${(results[k] as { stderr: string }).stderr}`).toBe(0);
      expect(bytes(`${name}.jsonl`), commandLine(args)).toBe(small);
    }
  });
});
