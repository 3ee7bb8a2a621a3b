import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The sweep through the compiled CLI: worker threads need the compiled worker, and killing a
 * sweep needs a process of its own. Builds dist/ first unless it is newer than the sources.
 */
const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'livesim-sweep-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const newest = (path: string): number => {
  const st = statSync(path);
  if (!st.isDirectory()) return path.endsWith('.ts') ? st.mtimeMs : 0;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
};

beforeAll(() => {
  const built = [cli, join(root, 'dist/src/sweep/worker.js')];
  const stale =
    built.some((f) => !existsSync(f)) || Math.min(...built.map((f) => statSync(f).mtimeMs)) < Math.max(newest(join(root, 'src')), newest(join(root, 'cli')));
  // tsc emits even when a file elsewhere in the tree does not type-check; the sweep's files are what matter here.
  if (stale) spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
  expect(existsSync(cli)).toBe(true);
}, 120_000);

const livesim = (args: readonly string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const bytes = (name: string): string => readFileSync(join(dir, name), 'utf8');

// A fault without @START: onsets drawn per seed, so the runs differ and the ordering matters.
const SWEEP = ['sweep', '--model', 'nacos-v1', '--vary', 'preserved.ip.delete.timeout=10s..60s:10s', '--fault', 'cut', '--until', '2m'];

describe('sweep › CLI: the bytes do not depend on workers, shards or kills', () => {
  it('--workers 2 writes the same bytes as --workers 1', () => {
    const one = livesim([...SWEEP, '--runs', '20', '--workers', '1', '--out', 'w1.jsonl', '--json']);
    const two = livesim([...SWEEP, '--runs', '20', '--workers', '2', '--out', 'w2.jsonl', '--json']);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(bytes('w2.jsonl')).toBe(bytes('w1.jsonl'));
    expect(two.stdout).toBe(one.stdout);
    expect(one.stdout.trim().split('\n')).toHaveLength(6); // one summary per point
  });

  it('three shards merged give the unsharded file byte for byte', () => {
    for (const k of [1, 2, 3]) {
      const r = livesim([...SWEEP, '--runs', '20', '--workers', '1', '--shard', `${k}/3`, '--out', `shard-${k}.jsonl`]);
      expect(r.code, r.stderr).toBe(0);
    }
    // Shard k of 3 holds runs i ≡ k − 1 (mod 3): 40 of the 120.
    expect(bytes('shard-2.jsonl').trim().split('\n')).toHaveLength(1 + 40);
    const partial = livesim(['sweep', 'merge', 'shard-1.jsonl', 'shard-3.jsonl', '--out', 'bad.jsonl']);
    expect(partial.code).toBe(2);
    expect(partial.stderr.trim().split('\n')).toEqual([expect.stringMatching(/missing shard 2\/3/)]);
    const merged = livesim(['sweep', 'merge', 'shard-3.jsonl', 'shard-1.jsonl', 'shard-2.jsonl', '--out', 'merged.jsonl']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(bytes('merged.jsonl')).toBe(bytes('w1.jsonl'));
  });

  it('a sweep killed with SIGKILL resumes to the same bytes, no run missing or twice', async () => {
    const args = [...SWEEP, '--runs', '200'];
    const ref = livesim([...args, '--workers', '1', '--out', 'ref.jsonl']);
    expect(ref.code, ref.stderr).toBe(0);
    const child = spawn(process.execPath, [cli, ...args, '--workers', '2', '--out', 'killed.jsonl'], { cwd: dir, stdio: 'ignore' });
    const partial = join(dir, 'killed.jsonl.partial');
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Kill once 100 of the 1,200 runs are on disk.
    for (let k = 0; k < 2000; k++) {
      if (existsSync(partial) && readFileSync(partial, 'utf8').split('\n').length > 101) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(join(dir, 'killed.jsonl'))).toBe(false); // it did not finish
    const survivors = readFileSync(partial, 'utf8').split('\n').length - 2;
    expect(survivors).toBeGreaterThanOrEqual(100);
    expect(survivors).toBeLessThan(1200);
    const resumed = livesim([...args, '--workers', '1', '--resume', '--out', 'killed.jsonl']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const runs = bytes('killed.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.type === 'run')
      .map((l) => l.i);
    expect(runs).toEqual(Array.from({ length: 1200 }, (_, i) => i));
    expect(bytes('killed.jsonl')).toBe(bytes('ref.jsonl'));
  });

  it('bad input exits 2 with one line and leaves existing output alone', () => {
    const before = bytes('w1.jsonl');
    for (const args of [
      [...SWEEP, '--runs', '20', '--out', 'w1.jsonl'],
      ['sweep', '--model', 'nacos-v1', '--vary', 'no.such.key=1,2', '--runs', '2', '--out', 'x.jsonl'],
      ['sweep', '--model', 'nacos-v1', '--vary', 'preserved.ip.delete.timeout=10s', '--runs', '2', '--shard', '4/3', '--out', 'x.jsonl'],
      ['sweep', '--model', 'nacos-v1', '--vary', 'preserved.ip.delete.timeout=10s', '--out', 'x.jsonl'],
    ]) {
      const r = livesim(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(bytes('w1.jsonl')).toBe(before);
  });
});
