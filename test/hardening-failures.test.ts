import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultFs } from '../properties/hardening/fault-fs.js';
import { ensureBuilt, MAIN, runCli } from './cli-harness.js';

/**
 * Issue 20 item 7: a failure of the environment is one line naming the path (or the stream) and
 * the errno, exit 3 (disk full, read-only) or 2 (an unusable path), never "internal error" or a
 * stack trace; and a command's temporary files do not outlive it. A full disk and a read-only
 * mount are simulated by a preload (properties/hardening/fault-fs.ts): a test can do neither.
 */
const dir = mkdtempSync(join(tmpdir(), 'livesim-harden-fail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string): string => join(dir, name);
const SMALL = ['sweep', '--model', 'nacos-v1', '--vary', 'clients=1,2', '--fault', 'cut', '--until', '30s', '--runs', '6', '-q'];
const fault = faultFs();
const cli = (args: readonly string[], env: Record<string, string> = {}) =>
  runCli(args, 120_000, { cwd: dir, nodeArgs: Object.keys(env).length > 0 ? fault.nodeArgs : [], env });
const oneLine = (stderr: string): string => {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
  return lines[0] as string;
};

/** `livesim ARGS > /dev/full`: the exit code and stderr. */
const toFull = (args: readonly string[]) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: dir, stdio: ['ignore', full, 'pipe'] });
    closeSync(full);
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });

beforeAll(async () => {
  ensureBuilt();
  for (const k of [1, 2]) expect((await cli([...SMALL, '--shard', `${k}/2`, '--out', `sh-${k}.jsonl`])).code).toBe(0);
  expect((await cli([...SMALL, '--out', 'ref.jsonl'])).code).toBe(0);
}, 120_000);

describe('hardening › item 7: a failed write to stdout is one line, exit 3', () => {
  it.each([
    ['models'],
    ['schema'],
    ['run', '--model', 'nacos-v1', '--fault', 'cut@30s', '--until', '60s'],
    ['run', '--model', 'nacos-v1', '--fault', 'cut@30s', '--until', '60s', '--json'],
    ['run', '--model', 'nacos-v1', '--fault', 'cut@30s', '--until', '60s', '--trace'],
    ['diagnose', '--model', 'nacos-v1', '--until', '2m'],
    ['bound', '--model', 'nacos-v1'],
    [
      'tune',
      '--model',
      'nacos-v1',
      '--target-detection',
      '60s',
      '--max-false-removal-rate',
      '1%',
      '--runs',
      '2',
      '--space',
      'preserved.ip.delete.timeout=10s,30s',
      '--until',
      '2m',
      '--workers',
      '1',
    ],
    [...SMALL, '--out', 'to-full.jsonl'],
  ])(
    'livesim %s … > /dev/full',
    async (...args) => {
      const r = await toFull(args);
      expect(r.code, r.stderr).toBe(3);
      expect(oneLine(r.stderr)).toBe('livesim: cannot write to stdout: ENOSPC (no space left on device)');
    },
    60_000,
  );
});

describe('hardening › item 7: a full disk or a read-only directory is one line with the path and errno, exit 3', () => {
  it('sweep: ENOSPC on OUT.partial; the same command with --resume then finishes it', async () => {
    const r = await cli([...SMALL, '--out', 'full.jsonl'], fault.env('ENOSPC', /full\.jsonl\.partial$/));
    expect(r.code, r.stderr).toBe(3);
    expect(oneLine(r.stderr)).toBe(`livesim: cannot write ${at('full.jsonl.partial')}: ENOSPC (no space left on device)`.replace(`${dir}/`, ''));
    expect(existsSync(at('full.jsonl.lock'))).toBe(false);
    expect((await cli([...SMALL, '--out', 'full.jsonl', '--resume'])).code).toBe(0);
    expect(readFileSync(at('full.jsonl'), 'utf8')).toBe(readFileSync(at('ref.jsonl'), 'utf8'));
  });

  it('sweep merge: ENOSPC on its temporary file leaves no temporary file behind', async () => {
    const r = await cli(['sweep', 'merge', 'sh-1.jsonl', 'sh-2.jsonl', '--out', 'merged.jsonl'], fault.env('ENOSPC', /merged\.jsonl\.tmp-\d+$/));
    expect(r.code, r.stderr).toBe(3);
    expect(oneLine(r.stderr)).toMatch(/^livesim: cannot write merged\.jsonl\.tmp-\d+: ENOSPC \(no space left on device\)$/);
    expect(readdirSync(dir).filter((f) => f.startsWith('merged.jsonl'))).toEqual([]);
  });

  it('report into a read-only directory: EROFS with the path, not ENOENT', async () => {
    const r = await cli(['report', 'ref.jsonl', '--out', 'ro'], fault.env('EROFS', /\/ro(\/|$)/));
    expect(r.code, r.stderr).toBe(3);
    expect(oneLine(r.stderr)).toMatch(/^livesim: cannot create the directory ro: EROFS \(read-only file system\)$/);
  });

  it('an unusable path is exit 2 with the errno: a name too long', async () => {
    const r = await cli([...SMALL, '--out', `${'x'.repeat(300)}.jsonl`]);
    expect(r.code, r.stderr).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/ENAMETOOLONG/);
  });
});

describe('hardening › item 7: temporary files of a killed command are cleaned by the next one', () => {
  it('sweep merge removes OUT.tmp-PID files that a killed merge into OUT left', async () => {
    writeFileSync(at('all.jsonl.tmp-999999'), 'left by a killed merge');
    expect((await cli(['sweep', 'merge', 'sh-1.jsonl', 'sh-2.jsonl', '--out', 'all.jsonl'])).code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('all.jsonl'))).toEqual(['all.jsonl']);
  });
});
