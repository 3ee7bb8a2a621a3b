import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Start-up wall time of the compiled CLI (`dist/cli/main.js`, run from the repository root):
 * `--help` and a trivial `run`. Median of `runs` after 2 warm-ups, through hyperfine when it is
 * installed (no shell in between), else a spawnSync loop in Node.
 */
export interface StartupRow {
  readonly command: string;
  readonly medianMs: number;
}

export interface StartupResult {
  readonly tool: string;
  readonly runs: number;
  readonly rows: readonly StartupRow[];
}

export const STARTUP_COMMANDS: readonly (readonly string[])[] = [
  ['dist/cli/main.js', '--help'],
  ['dist/cli/main.js', 'run', '--model', 'nacos-v1', '--until', '1s'],
];

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const show = (argv: readonly string[]): string => `node ${argv.join(' ')}`;

const viaHyperfine = (runs: number): StartupResult | null => {
  const v = spawnSync('hyperfine', ['--version'], { encoding: 'utf8' });
  if (v.error !== undefined || v.status !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'livesim-startup-'));
  try {
    const json = join(dir, 'startup.json');
    const cmds = STARTUP_COMMANDS.map((argv) => `${process.execPath} ${argv.join(' ')}`);
    const r = spawnSync('hyperfine', ['-N', '--style', 'none', '--warmup', '2', '--runs', String(runs), '--export-json', json, ...cmds], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`hyperfine failed: ${r.stderr.trim()}`);
    const out = JSON.parse(readFileSync(json, 'utf8')) as { results: { median: number }[] };
    return {
      tool: v.stdout.trim(),
      runs,
      rows: STARTUP_COMMANDS.map((argv, i) => ({ command: show(argv), medianMs: (out.results[i]?.median ?? Number.NaN) * 1000 })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const viaNode = (runs: number): StartupResult => ({
  tool: 'node spawnSync loop',
  runs,
  rows: STARTUP_COMMANDS.map((argv) => {
    const times: number[] = [];
    for (let k = -2; k < runs; k++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, argv, { stdio: 'ignore' });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${show(argv)} exited ${r.status}`);
      if (k >= 0) times.push(ms);
    }
    return { command: show(argv), medianMs: median(times) };
  }),
});

/**
 * hyperfine if present (one retry: another build rewriting dist/ mid-run makes a command fail
 * once), else the Node loop, which throws naming the command that failed.
 */
export const benchStartup = (runs: number): StartupResult => {
  try {
    return viaHyperfine(runs) ?? viaNode(runs);
  } catch {
    return viaHyperfine(runs) ?? viaNode(runs);
  }
};
