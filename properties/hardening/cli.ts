import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { replay } from '../../test/cli-harness.js';
import { PROPS_SEED } from '../harness.js';

/**
 * Helpers of the hardening suites (issue 8): they drive the compiled CLI as real processes —
 * worker threads need the compiled worker, and a kill needs a process of its own — and size
 * themselves from env knobs, small in CI and large in `npm run props:deep`.
 */
export const ROOT = join(import.meta.dirname, '..', '..');
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

/** A whole-number env knob (≥ 1), or its CI default. */
export const envCount = (name: string, ciDefault: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return ciDefault;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name}='${raw}': expected a whole number ≥ 1`);
  return n;
};

export { PROPS_SEED };

const newestSource = (path: string): number => {
  const st = statSync(path);
  if (!st.isDirectory()) return path.endsWith('.ts') ? st.mtimeMs : 0;
  return Math.max(0, ...readdirSync(path).map((f) => newestSource(join(path, f))));
};

/** Builds dist/ unless it is newer than src/ and cli/ (`npm test` and `props:deep` build first). */
export const ensureFreshBuild = (): void => {
  const built = [MAIN, join(ROOT, 'dist/src/sweep/worker.js')];
  const stale =
    built.some((f) => !existsSync(f)) ||
    Math.min(...built.map((f) => statSync(f).mtimeMs)) < Math.max(newestSource(join(ROOT, 'src')), newestSource(join(ROOT, 'cli')));
  // tsc emits even when a file elsewhere in the tree does not type-check.
  if (stale) spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: npm run build`);
};

export interface Exit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

const ENV = { ...process.env, FORCE_COLOR: '0' };

/** `livesim ARGS` in `cwd`, as a process of its own. */
export const livesim = (args: readonly string[], cwd: string, opts: { timeoutMs?: number; nodeArgs?: readonly string[]; env?: NodeJS.ProcessEnv } = {}) =>
  new Promise<Exit>((resolve) => {
    execFile(
      process.execPath,
      [...(opts.nodeArgs ?? []), MAIN, ...args],
      { cwd, timeout: opts.timeoutMs ?? 600_000, maxBuffer: 256 * 1024 * 1024, env: { ...ENV, ...opts.env } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
        resolve({ code, signal: err?.signal ?? null, stdout, stderr });
      },
    );
  });

/** Runs the tasks at most `limit` at a time (2 cores: 2), results in task order. */
export const limited = async <T>(tasks: readonly (() => Promise<T>)[], limit = 2): Promise<T[]> => {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const k = next++;
      results[k] = await (tasks[k] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
};

/** The one-line command that reproduces a CLI invocation. */
export const commandLine = (args: readonly string[]): string => replay(args);

/** Where two texts first differ, by line (1-based), each side cut short; null when equal. */
export const firstDifference = (expected: string, actual: string): string | null => {
  if (expected === actual) return null;
  const a = expected.split('\n');
  const b = actual.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const cut = (s: string | undefined): string => (s === undefined ? '(no line)' : s.length > 240 ? `${s.slice(0, 240)}…` : s);
  return `line ${i + 1} of ${a.length} vs ${b.length}:\n      expected: ${cut(a[i])}\n      actual:   ${cut(b[i])}`;
};

/**
 * Checks an async property with the suite seed and no shrinking (each case is a batch of
 * processes: shrinking would rerun them for minutes); throws the counterexample and the rerun.
 */
export const assertAsync = async <T>(prop: fc.IAsyncProperty<T>, runs: number, rerun: string): Promise<void> => {
  const details = await fc.check(prop, { seed: PROPS_SEED, numRuns: runs, endOnFailure: true });
  if (!details.failed) return;
  const error = details.errorInstance;
  throw new Error(
    [
      `property failed at case ${details.numRuns} of ${runs}`,
      `  rerun: ${rerun} (fast-check seed ${details.seed}, path "${details.counterexamplePath}")`,
      `  case: ${fc.stringify(details.counterexample)}`,
      `  ${error instanceof Error ? error.message : String(error)}`,
    ].join('\n'),
  );
};
