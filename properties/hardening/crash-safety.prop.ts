import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliBatch, usageProblem } from '../../test/cli-harness.js';
import { commandLine, type Exit, ensureFreshBuild, envCount, firstDifference, limited, livesim, MAIN, PROPS_SEED } from './cli.js';
import { type FsEvent, fsSpy, within, writeProblems } from './fs-spy.js';

/**
 * Claims (issue 8, crash safety):
 * 1. A sweep killed with SIGKILL at CRASH_KILLS random points — a random delay after the start
 *    (start-up, planning, the header, the first rows) or a random number of new rows, with
 *    `--workers` 1 or 2 each time, all drawn from PROPS_SEED — and then resumed with `--resume`
 *    ends with exactly the bytes of an uninterrupted run. After every kill, OUT.partial is a byte
 *    prefix of the uninterrupted file (so no run is missing, none twice, none out of order; a
 *    torn last line can only be the start of the right line), no kept run is lost by a resume,
 *    and OUT exists only when complete.
 * 2. An existing output is never truncated or touched without `--force` (sweep, sweep merge,
 *    report: exit 2, one line, the file unchanged); with `--force` it stays whole until the new
 *    file replaces it.
 * 3. Outputs are written under a temporary name and renamed (a file-system spy in the CLI
 *    process and its worker threads sees every write).
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
/** Long enough to be killed after a few rows, short enough to finish in a second or two. */
const MID = ['sweep', '--model', 'nacos-v2', '--vary', 'clients=1,2', '--fault', 'cut', '--until', '30s', '--runs', '60'];

let dir = '';
let ref = '';
let small = '';
let mid = '';
const path = (name: string): string => join(dir, name);
const bytes = (name: string): string => readFileSync(path(name), 'utf8');

const ok = (r: Exit, args: readonly string[]): void => {
  if (r.code !== 0) throw new Error(`exit ${r.code ?? r.signal}: ${r.stderr.trim().slice(0, 400)}\n    ${commandLine(args)}`);
};

/** Counts the newlines of a growing file, reading only what is new (a shrunk or missing file starts over). */
class NewlineCounter {
  private offset = 0;
  count = 0;
  constructor(private readonly file: string) {}
  poll(): number {
    let size: number;
    try {
      size = statSync(this.file).size;
    } catch {
      size = 0;
    }
    if (size < this.offset) this.offset = this.count = 0;
    if (size > this.offset) {
      const fd = openSync(this.file, 'r');
      try {
        const buf = Buffer.alloc(size - this.offset);
        const n = readSync(fd, buf, 0, buf.length, this.offset);
        for (let k = 0; k < n; k++) if (buf[k] === 10) this.count++;
        this.offset += n;
      } finally {
        closeSync(fd);
      }
    }
    return this.count;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Started {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}
const start = (args: readonly string[], env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Started => {
  const child = spawn(process.execPath, [...nodeArgs, MAIN, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exited };
};

/** Kills the child at `rows` new lines in `file`, or after `afterMs`; false if it ended by itself first. */
const killAt = async (s: Started, file: string, kill: { afterMs: number | null; rows: number }): Promise<boolean> => {
  const counter = new NewlineCounter(file);
  const base = counter.poll();
  const t0 = Date.now();
  let ended = false;
  void s.exited.then(() => {
    ended = true;
  });
  while (!ended) {
    if (kill.afterMs !== null && Date.now() - t0 >= kill.afterMs) break;
    if (counter.poll() - base >= kill.rows) break;
    await sleep(kill.afterMs !== null && kill.afterMs < 5 ? 0 : 2);
  }
  if (ended) return false;
  s.child.kill('SIGKILL');
  await s.exited;
  return true;
};

beforeAll(async () => {
  ensureFreshBuild();
  dir = mkdtempSync(join(tmpdir(), 'livesim-crash-'));
  const made = [
    [...BIG, '--workers', '1', '--out', 'ref.jsonl'],
    [...SMALL, '--workers', '1', '--out', 'small.jsonl'],
    [...MID, '--workers', '1', '--out', 'mid.jsonl'],
    ...[1, 2].map((k) => [...SMALL, '--workers', '1', '--shard', `${k}/2`, '--out', `sm-${k}.jsonl`]),
  ];
  const results = await limited(made.map((args) => () => livesim(args, dir)));
  for (const [k, r] of results.entries()) ok(r, made[k] as string[]);
  ref = bytes('ref.jsonl');
  small = bytes('small.jsonl');
  mid = bytes('mid.jsonl');
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
        const s = start(args);
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

describe(`hardening › an existing output is never truncated without --force [${KNOBS}]`, () => {
  const PRECIOUS = 'precious data, not a sweep\n';
  const snapshot = () => {
    const files = new Map<string, string>();
    const walk = (rel: string): void => {
      for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
        const r = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) walk(r);
        else {
          const st = statSync(join(dir, r));
          files.set(r, `${st.ino}:${st.mtimeMs}:${readFileSync(join(dir, r), 'utf8')}`);
        }
      }
    };
    walk('');
    return files;
  };

  it('sweep, sweep merge and report refuse an existing --out: exit 2, one line, every file unchanged', async () => {
    writeFileSync(path('precious.jsonl'), PRECIOUS);
    mkdirSync(path('rep'), { recursive: true });
    writeFileSync(path('rep/README.md'), PRECIOUS);
    writeFileSync(path('other.partial.jsonl.partial'), PRECIOUS);
    const cases: string[][] = [
      [...SMALL, '--out', 'precious.jsonl'],
      [...SMALL, '--out', 'precious.jsonl', '--resume'],
      [...SMALL, '--out', 'precious.jsonl', '--workers', '2'],
      [...SMALL.map((a) => (a === '10' ? '11' : a)), '--out', 'small.jsonl'],
      [...SMALL.map((a) => (a === '10' ? '11' : a)), '--out', 'small.jsonl', '--resume'],
      [...SMALL, '--out', 'small.jsonl'],
      [...SMALL, '--out', 'other.partial.jsonl'],
      [...SMALL, '--out', 'other.partial.jsonl', '--resume'],
      ['sweep', 'merge', 'sm-1.jsonl', 'sm-2.jsonl', '--out', 'precious.jsonl'],
      ['sweep', 'merge', 'sm-1.jsonl', 'sm-2.jsonl', '--out', 'small.jsonl'],
      ['report', 'small.jsonl', '--out', 'rep'],
    ];
    const before = snapshot();
    // In one child process (cli-harness): a node start-up per case would cost more than the checks.
    const results = await runCliBatch(cases, 1, 120_000, { cwd: dir });
    for (const [k, r] of results.entries()) {
      const args = cases[k] as string[];
      expect(usageProblem(r), commandLine(args)).toBeNull();
      // The one line names the file it refuses to touch.
      expect(r.stderr, commandLine(args)).toContain(args[args.indexOf('--out') + 1] as string);
    }
    expect(snapshot(), 'a refused command changed a file').toEqual(before);
  });

  it('with --force, the old file stays whole until the new one replaces it, even when the sweep is killed', async () => {
    writeFileSync(path('forced.jsonl'), PRECIOUS);
    const args = [...MID, '--workers', '2', '--force', '--out', 'forced.jsonl'];
    const killed = await killAt(start(args), path('forced.jsonl.partial'), { afterMs: null, rows: 10 });
    expect(killed, commandLine(args)).toBe(true);
    expect(bytes('forced.jsonl'), commandLine(args)).toBe(PRECIOUS);
    expect(existsSync(path('forced.jsonl.partial'))).toBe(true);
    const resume = [...MID, '--workers', '1', '--resume', '--out', 'forced.jsonl'];
    ok(await livesim(resume, dir), resume);
    expect(firstDifference(mid, bytes('forced.jsonl')), commandLine(resume)).toBeNull();
  });

  it('--out in a missing directory, an empty --out, or a directory as --out: exit 2, one line, nothing written', async () => {
    mkdirSync(path('adir'), { recursive: true });
    const cases = [
      [...SMALL, '--workers', '1', '--out', 'missing/s.jsonl'],
      [...SMALL, '--workers', '1', '--out', ''],
      [...SMALL, '--workers', '1', '--out', 'adir', '--force'],
      ['sweep', 'merge', 'sm-1.jsonl', 'sm-2.jsonl', '--out', 'missing/m.jsonl'],
      ['sweep', 'merge', 'sm-1.jsonl', 'sm-2.jsonl', '--out', 'adir', '--force'],
      ['report', 'small.jsonl', '--out', 'precious.jsonl', '--force'],
    ];
    const before = snapshot();
    const results = await runCliBatch(cases, 1, 120_000, { cwd: dir });
    for (const [k, r] of results.entries()) expect(usageProblem(r), commandLine(cases[k] as string[])).toBeNull();
    expect(snapshot(), 'a refused command changed a file').toEqual(before);
  });

  it('--out or --shard given twice, a directory as an input file: exit 2, one line, nothing written', async () => {
    const cases = [
      [...SMALL, '--workers', '1', '--out', 'twice-a.jsonl', '--out', 'twice-b.jsonl'],
      [...SMALL, '--workers', '1', '--shard', '1/2', '--shard', '2/2', '--out', 'twice.jsonl'],
      ['sweep', 'merge', 'adir', '--out', 'm.jsonl'],
      ['sweep', 'merge', 'sm-1.jsonl', 'sm-2.jsonl', '--out', 'm-a.jsonl', '--out', 'm-b.jsonl'],
      ['report', 'adir', '--out', 'rep-dir'],
      ['report', 'small.jsonl', '--out', 'rep-a', '--out', 'rep-b'],
    ];
    mkdirSync(path('adir'), { recursive: true });
    const before = snapshot();
    const results = await runCliBatch(cases, 1, 120_000, { cwd: dir });
    for (const [k, r] of results.entries()) expect(usageProblem(r), commandLine(cases[k] as string[])).toBeNull();
    expect(snapshot(), 'a refused command changed a file').toEqual(before);
  });
});

describe(`hardening › outputs are written to a temporary name and renamed [${KNOBS}]`, () => {
  const spy = fsSpy();
  const traced = (args: readonly string[]) => livesim(args, dir, { nodeArgs: spy.nodeArgs, env: spy.env });
  const expectClean = (events: readonly FsEvent[], finals: readonly string[], allowed: (p: string) => boolean, args: readonly string[]): void => {
    expect(events.length, `no write seen: is the spy loaded? ${commandLine(args)}`).toBeGreaterThan(0);
    expect(writeProblems(events, finals, allowed), commandLine(args)).toEqual([]);
  };
  const sweepFile = (out: string) => (p: string) => p === path(out) || p === path(`${out}.partial`) || p.startsWith(`${path(out)}.tmp-`);

  it('sweep (replacing a file with --force, on 2 worker threads): written as OUT.partial, renamed to OUT', async () => {
    spy.take();
    writeFileSync(path('spied.jsonl'), 'old\n');
    const args = [...SMALL, '--workers', '2', '--force', '--out', 'spied.jsonl'];
    ok(await traced(args), args);
    expectClean(spy.take(), [path('spied.jsonl')], sweepFile('spied.jsonl'), args);
    expect(bytes('spied.jsonl')).toBe(small);
  });

  it('a killed sweep and its resume: only OUT.partial is written, then renamed', async () => {
    spy.take();
    const args = [...MID, '--workers', '2', '--out', 'spied-mid.jsonl'];
    const s = start(args, spy.env, spy.nodeArgs);
    expect(await killAt(s, path('spied-mid.jsonl.partial'), { afterMs: null, rows: 10 })).toBe(true);
    const resume = [...MID, '--workers', '1', '--resume', '--out', 'spied-mid.jsonl'];
    ok(await traced(resume), resume);
    expectClean(spy.take(), [path('spied-mid.jsonl')], sweepFile('spied-mid.jsonl'), resume);
    expect(firstDifference(mid, bytes('spied-mid.jsonl'))).toBeNull();
  });

  it('sweep merge: written under a temporary name and renamed, no temporary file left', async () => {
    spy.take();
    const merge = ['sweep', 'merge', 'sm-2.jsonl', 'sm-1.jsonl', '--out', 'sp-all.jsonl'];
    ok(await traced(merge), merge);
    expectClean(spy.take(), [path('sp-all.jsonl')], sweepFile('sp-all.jsonl'), merge);
    expect(bytes('sp-all.jsonl')).toBe(small);
    expect(readdirSync(dir).filter((f) => f.startsWith('sp-all') && f !== 'sp-all.jsonl')).toEqual([]);
  });

  it('report: every file of the report directory is written under a temporary name and renamed', async () => {
    spy.take();
    const args = ['report', 'small.jsonl', '--out', 'spied-report'];
    ok(await traced(args), args);
    const files = readdirSync(path('spied-report'));
    expect(files).toEqual(expect.arrayContaining(['README.md', 'report.html']));
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
    expectClean(
      spy.take(),
      files.map((f) => path(`spied-report/${f}`)),
      (p) => within(path('spied-report'), p),
      args,
    );
  });
});
