import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../src/report/report.js';
import { mergeShards } from '../src/sweep/merge.js';
import { ensureBuilt, MAIN, runCli } from './cli-harness.js';

/**
 * Issue 20 items 1, 2, 4, 5 and 6, each as the command of the issue that showed the defect. Every
 * refusal is exit 2 with one line on stderr, and the files around are as they were.
 */
const dir = mkdtempSync(join(tmpdir(), 'livesim-harden-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string): string => join(dir, name);
const read = (name: string): string => readFileSync(at(name), 'utf8');
const SMALL = ['sweep', '--model', 'nacos-v1', '--vary', 'clients=1,2', '--fault', 'cut', '--until', '30s', '--runs', '6', '-q'];
/** Long enough that a second command starts while the first still runs (~300 ms of runs per 100 seeds). */
const LONG = ['sweep', '--model', 'nacos-v1', '--vary', 'clients=1,2', '--fault', 'cut', '--until', '30s', '--runs', '400', '-q'];
const cli = (args: readonly string[]) => runCli(args, 120_000, { cwd: dir });
const oneLine = (stderr: string): void => {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
};
let reference = '';
let referenceLong = '';

beforeAll(async () => {
  ensureBuilt();
  expect((await cli([...SMALL, '--out', 'ref.jsonl'])).code).toBe(0);
  reference = read('ref.jsonl');
  expect((await cli([...LONG, '--out', 'ref-long.jsonl'])).code).toBe(0);
  referenceLong = read('ref-long.jsonl');
}, 180_000);

describe('hardening › item 1: one livesim per --out', () => {
  it('a second sweep on the same --out while the first runs is refused (exit 2) and the first ends complete and resumable', async () => {
    const first = spawn(process.execPath, [MAIN, ...LONG, '--out', 'both.jsonl'], { cwd: dir, stdio: 'ignore' });
    const ended = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
    // Start the second once the first has its partial file (it holds the lock by then).
    for (let k = 0; k < 200 && !existsSync(at('both.jsonl.partial')); k++) await new Promise((r) => setTimeout(r, 25));
    const second = await cli([...LONG, '--out', 'both.jsonl', '--resume']);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/in use by livesim pid \d+/);
    oneLine(second.stderr);
    expect(await ended).toBe(0);
    expect(read('both.jsonl')).toBe(referenceLong);
    expect(existsSync(at('both.jsonl.lock'))).toBe(false);
    expect((await cli([...LONG, '--out', 'both.jsonl', '--resume'])).code).toBe(0);
    expect(read('both.jsonl')).toBe(referenceLong);
  }, 120_000);

  it('a lock held by a live process is respected; once that process is gone the lock is stale and taken over', async () => {
    const holder: ChildProcess = spawn('sleep', ['60'], { stdio: 'ignore' });
    const start = readFileSync(`/proc/${holder.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19] ?? null;
    writeFileSync(at('held.jsonl.lock'), JSON.stringify({ pid: holder.pid, start, host: hostname() }));
    const refused = await cli([...SMALL, '--out', 'held.jsonl']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`pid ${holder.pid}`);
    expect(existsSync(at('held.jsonl.partial'))).toBe(false);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.on('exit', r));
    expect((await cli([...SMALL, '--out', 'held.jsonl'])).code).toBe(0);
    expect(read('held.jsonl')).toBe(reference);
  }, 60_000);

  it('a lock left by a SIGKILLed sweep does not stop --resume', async () => {
    const killed = spawn(process.execPath, [MAIN, ...LONG, '--out', 'killed.jsonl'], { cwd: dir, stdio: 'ignore' });
    for (let k = 0; k < 200 && !existsSync(at('killed.jsonl.partial')); k++) await new Promise((r) => setTimeout(r, 25));
    killed.kill('SIGKILL');
    await new Promise((r) => killed.on('exit', r));
    expect(existsSync(at('killed.jsonl.lock'))).toBe(true);
    expect((await cli([...LONG, '--out', 'killed.jsonl', '--resume'])).code).toBe(0);
    expect(read('killed.jsonl')).toBe(referenceLong);
  }, 120_000);
});

describe('hardening › item 2: no write through a link, no FIFO or device replaced', () => {
  it('a planted OUT.partial link to a new file outside is refused, with and without --force: nothing is created outside', async () => {
    mkdirSync(at('outside'));
    symlinkSync(join('outside', 'new.txt'), at('p.jsonl.partial'));
    for (const extra of [[], ['--force'], ['--resume']]) {
      const r = await cli([...SMALL, '--out', 'p.jsonl', ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/symbolic link/);
      oneLine(r.stderr);
    }
    expect(readdirSync(at('outside'))).toEqual([]);
    expect(existsSync(at('p.jsonl'))).toBe(false);
  });

  it('--force never truncates a file outside through a link, nor turns OUT into a link', async () => {
    writeFileSync(at('outside-kept.txt'), 'KEEP');
    symlinkSync('outside-kept.txt', at('q.jsonl'));
    const r = await cli([...SMALL, '--out', 'q.jsonl', '--force']);
    expect(r.code).toBe(2);
    expect(read('outside-kept.txt')).toBe('KEEP');
    expect(lstatSync(at('q.jsonl')).isSymbolicLink()).toBe(true);
  });

  it('--force does not replace a FIFO with a regular file (sweep, sweep merge)', async () => {
    execFileSync('mkfifo', [at('fifo.jsonl')]);
    for (const args of [
      [...SMALL, '--out', 'fifo.jsonl', '--force'],
      ['sweep', 'merge', 'ref.jsonl', '--out', 'fifo.jsonl', '--force'],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/FIFO/);
      expect(lstatSync(at('fifo.jsonl')).isFIFO()).toBe(true);
    }
  });

  it('merge and report never write through a link planted at their temporary name OUT.tmp-PID', async () => {
    // In this process, whose pid names the temporaries: a link planted there must not be followed.
    writeFileSync(at('outside-tmp.txt'), 'KEEP');
    for (const k of [1, 2]) expect((await cli([...SMALL, '--shard', `${k}/2`, '--out', `tl-${k}.jsonl`])).code).toBe(0);
    symlinkSync(at('outside-tmp.txt'), at(`tl.jsonl.tmp-${process.pid}`));
    mergeShards([at('tl-1.jsonl'), at('tl-2.jsonl')], at('tl.jsonl'), false);
    expect(read('outside-tmp.txt')).toBe('KEEP');
    expect(read('tl.jsonl')).toBe(reference);
    mkdirSync(at('tl-report'));
    symlinkSync(at('outside-tmp.txt'), at(`tl-report/README.md.tmp-${process.pid}`));
    await writeReport({ files: [at('ref.jsonl')], out: at('tl-report') });
    expect(read('outside-tmp.txt')).toBe('KEEP');
    expect(lstatSync(at('tl-report/README.md')).isFile()).toBe(true);
  }, 60_000);
});

describe('hardening › item 4: headers are checked, inputs are regular files, lines are capped', () => {
  const header = (): Record<string, unknown> => JSON.parse(reference.split('\n')[0] as string);
  const body = (): string => reference.split('\n').slice(1).join('\n');
  it.each([
    ['points', (h: Record<string, unknown>) => ({ ...h, points: 1_000_000_000 })],
    ['shard', (h: Record<string, unknown>) => ({ ...h, shard: '1/100000000' })],
    ['total', (h: Record<string, unknown>) => ({ ...h, total: 1e12 })],
    ['plan hash', (h: Record<string, unknown>) => ({ ...h, runs: 7 })],
  ])(
    'a crafted header (%s) is refused at line 1 by report, merge and --resume',
    async (name, edit) => {
      const file = `crafted-${name.replace(' ', '-')}.jsonl`;
      writeFileSync(at(file), `${JSON.stringify(edit(header()))}\n${body()}`);
      for (const args of [
        ['report', file, '--out', `rep-${name}`],
        ['sweep', 'merge', file, '--out', `merged-${name}.jsonl`],
        [...SMALL, '--out', file, '--resume'],
      ]) {
        const r = await cli(args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toContain(`${file}:1:`);
        oneLine(r.stderr);
      }
    },
    60_000,
  );

  it('a FIFO, /dev/zero or a line without end is refused at once, not waited on', async () => {
    execFileSync('mkfifo', [at('in.fifo')]);
    writeFileSync(at('long-line.jsonl'), 'x'.repeat(5 * 1024 * 1024));
    for (const [input, why] of [
      ['in.fifo', /FIFO/],
      ['/dev/zero', /character device/],
      ['long-line.jsonl', /longer than/],
    ] as const) {
      const r = await runCli(['report', input, '--out', 'rep-in'], 20_000, { cwd: dir });
      expect(r.code, input).toBe(2);
      expect(r.stderr).toMatch(why);
    }
  }, 60_000);
});

describe('hardening › item 5: every row is the plan’s run at its index', () => {
  const lines = (): string[] => reference.trimEnd().split('\n');
  const edited = (name: string, k: number, edit: (row: Record<string, unknown>) => Record<string, unknown>): void => {
    const all = lines();
    all[k] = JSON.stringify(edit(JSON.parse(all[k] as string)));
    writeFileSync(at(name), `${all.join('\n')}\n`);
  };

  it.each([
    ['point', (r: Record<string, unknown>) => ({ ...r, point: 1 })],
    ['seed', (r: Record<string, unknown>) => ({ ...r, seed: 777 })],
    ['set', (r: Record<string, unknown>) => ({ ...r, set: { clients: '999' } })],
    ['messages', (r: Record<string, unknown>) => ({ ...r, metrics: { ...(r.metrics as object), messages: null } })],
  ])(
    'a row with a wrong %s is refused with its line by --resume, merge and report',
    async (name, edit) => {
      const file = `row-${name}.jsonl`;
      edited(file, 2, edit);
      for (const args of [
        [...SMALL, '--out', file, '--resume'],
        ['report', file, '--out', `rep-row-${name}`],
      ]) {
        const r = await cli(args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toContain(`${file}:3:`);
        oneLine(r.stderr);
      }
    },
    60_000,
  );

  it('a row whose config is not its point’s is refused by --resume', async () => {
    edited('row-config.jsonl', 2, (r) => ({ ...r, config: { ...(r.config as object), 'preserved.ip.delete.timeout': 1 } }));
    const r = await cli([...SMALL, '--out', 'row-config.jsonl', '--resume']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('row-config.jsonl:3:');
  });

  it('a missing row is refilled in plan order: the resumed file has the uninterrupted bytes', async () => {
    const all = lines();
    const runs = all.filter((l) => l.includes('"type":"run"'));
    writeFileSync(at('hole.jsonl.partial'), `${[all[0], ...runs.slice(0, 3), ...runs.slice(4)].join('\n')}\n`);
    expect((await cli([...SMALL, '--out', 'hole.jsonl', '--resume'])).code).toBe(0);
    expect(read('hole.jsonl')).toBe(reference);
  });
});

describe('hardening › item 6: report replaces no file without --force', () => {
  it('a report.html (or a chart) of the user in --out is kept without --force, replaced with it', async () => {
    mkdirSync(at('ud'));
    writeFileSync(at('ud/report.html'), 'MINE');
    const r = await cli(['report', 'ref.jsonl', '--out', 'ud']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/report\.html exists: add --force/);
    oneLine(r.stderr);
    expect(read('ud/report.html')).toBe('MINE');
    expect(readdirSync(at('ud'))).toEqual(['report.html']);
    expect((await cli(['report', 'ref.jsonl', '--out', 'ud', '--force'])).code).toBe(0);
    expect(read('ud/report.html')).not.toBe('MINE');
  }, 60_000);

  it('a killed report’s NAME.tmp-PID files are removed by the next report', async () => {
    mkdirSync(at('ud2'));
    writeFileSync(at('ud2/report.html.tmp-999999'), 'left by a killed report');
    expect((await cli(['report', 'ref.jsonl', '--out', 'ud2'])).code).toBe(0);
    expect(readdirSync(at('ud2')).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 60_000);
});
