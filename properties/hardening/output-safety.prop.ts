import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliBatch, usageProblem } from '../../test/cli-harness.js';
import { commandLine, ensureFreshBuild, firstDifference, limited, livesim, PROPS_SEED } from './cli.js';
import { type FsEvent, fsSpy, within, writeProblems } from './fs-spy.js';
import { killAt, ok, start } from './kill-harness.js';

/**
 * Claims (issue 8, output safety; split out of crash-safety.prop.ts):
 * 2. An existing output is never truncated or touched without `--force` (sweep, sweep merge,
 *    report: exit 2, one line, the file unchanged); with `--force` it stays whole until the new
 *    file replaces it.
 * 3. Outputs are written under a temporary name and renamed (a file-system spy in the CLI
 *    process and its worker threads sees every write). Besides them a command writes only its
 *    lock, OUT.lock (issue 20 item 1), created and removed beside OUT.
 *
 * Not random: PROPS_SEED is shown for the rerun line only.
 */
const KNOBS = `PROPS_SEED=${PROPS_SEED}`;
/** A small sweep for the checks that need a finished file quickly. */
const SMALL = ['sweep', '--model', 'nacos-v1', '--vary', 'clients=1,2', '--fault', 'cut', '--until', '30s', '--runs', '10'];
/** Long enough to be killed after a few rows, short enough to finish in a second or two. */
const MID = ['sweep', '--model', 'nacos-v2', '--vary', 'clients=1,2', '--fault', 'cut', '--until', '30s', '--runs', '60'];

let dir = '';
let small = '';
let mid = '';
const path = (name: string): string => join(dir, name);
const bytes = (name: string): string => readFileSync(path(name), 'utf8');

beforeAll(async () => {
  ensureFreshBuild();
  dir = mkdtempSync(join(tmpdir(), 'livesim-outputs-'));
  const made = [
    [...SMALL, '--workers', '1', '--out', 'small.jsonl'],
    [...MID, '--workers', '1', '--out', 'mid.jsonl'],
    ...[1, 2].map((k) => [...SMALL, '--workers', '1', '--shard', `${k}/2`, '--out', `sm-${k}.jsonl`]),
  ];
  const results = await limited(made.map((args) => () => livesim(args, dir)));
  for (const [k, r] of results.entries()) ok(r, made[k] as string[]);
  small = bytes('small.jsonl');
  mid = bytes('mid.jsonl');
}, 600_000);
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
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
    const killed = await killAt(start(dir, args), path('forced.jsonl.partial'), { afterMs: null, rows: 10 });
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
  const sweepFile = (out: string) => (p: string) =>
    p === path(out) || p === path(`${out}.partial`) || p.startsWith(`${path(out)}.tmp-`) || p.startsWith(`${path(out)}.lock`);

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
    const s = start(dir, args, spy.env, spy.nodeArgs);
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
