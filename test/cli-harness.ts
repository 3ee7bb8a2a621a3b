import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';

/**
 * Running the compiled CLI from tests: as a real process (`runCli`), or many invocations in one
 * child process (`runCliBatch`) that imports dist/cli/main.js afresh per case with process.argv,
 * process.exit and the output streams replaced — the first exit wins, as in a real process. A
 * node start-up costs ~0.5 s of CPU; a batched case costs milliseconds.
 */
export const ROOT = join(import.meta.dirname, '..');
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

export interface CliResult {
  readonly code: number | string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Batched runs only: an exception that escaped the CLI (a real process would print its stack). */
  readonly uncaught?: string | null;
}

/** `npm test` builds first; a bare `vitest run` builds here if there is no build at all. */
export const ensureBuilt = (): void => {
  if (!existsSync(MAIN)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
};

const ENV = { ...process.env, FORCE_COLOR: '0' };

/** Where and how the CLI runs: its working directory (default the repository), node flags (e.g. a preload), extra environment. */
export interface CliOptions {
  readonly cwd?: string;
  readonly nodeArgs?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export const runCli = (args: readonly string[], timeoutMs = 60_000, opts: CliOptions = {}): Promise<CliResult> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(opts.nodeArgs ?? []), MAIN, ...args],
      { cwd: opts.cwd ?? ROOT, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...ENV, ...opts.env } },
      (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout, stderr });
      },
    );
  });

const HARNESS = `
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const [main, casesFile] = process.argv.slice(2);
const { cases, cwds } = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const out = process.stdout.write.bind(process.stdout);
// 'run --trace' streams with fs.writeSync(1, …) (cli/sync-writer.ts), past process.stdout: catch
// descriptors 1 and 2 there too, or a case's lines would land before the results and spoil them.
const realWriteSync = fs.writeSync;
let sink = null;
fs.writeSync = function (fd, data, ...rest) {
  if (sink === null || (fd !== 1 && fd !== 2)) return realWriteSync.call(this, fd, data, ...rest);
  let text;
  let bytes;
  if (typeof data === 'string') {
    text = data;
    bytes = Buffer.byteLength(data);
  } else {
    const all = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const off = typeof rest[0] === 'number' ? rest[0] : 0;
    const len = typeof rest[1] === 'number' ? rest[1] : all.length - off;
    text = all.subarray(off, off + len).toString('utf8');
    bytes = len;
  }
  sink(fd, text);
  return bytes;
};
syncBuiltinESMExports();
class Exit { constructor(code) { this.code = code; } }
const results = [];
for (let i = 0; i < cases.length; i++) {
  const r = { code: null, stdout: '', stderr: '', uncaught: null };
  let done = false;
  process.stdout.write = (c) => { if (!done) r.stdout += String(c); return true; };
  process.stderr.write = (c) => { if (!done) r.stderr += String(c); return true; };
  sink = (fd, text) => { if (!done) { if (fd === 1) r.stdout += text; else r.stderr += text; } };
  process.exit = (c) => { if (!done) { r.code = c ?? 0; done = true; } throw new Exit(c); };
  process.exitCode = undefined;
  process.argv = [process.execPath, 'livesim', ...cases[i]];
  if (cwds) process.chdir(cwds[i]);
  try { await import(main + '?case=' + i); } catch (e) { if (!(e instanceof Exit)) r.uncaught = String((e && e.stack) || e); }
  if (!done) r.code = r.uncaught !== null ? 'uncaught' : (process.exitCode ?? 0);
  done = true;
  results.push(r);
}
process.exitCode = 0;
out(JSON.stringify(results));
`;

// The cases go through a file: thousands of them do not fit in one argument (128 KiB on Linux).
const batch = (cases: readonly (readonly string[])[], timeoutMs: number, opts: BatchOptions, cwds: readonly string[] | null): Promise<CliResult[]> =>
  new Promise((resolve, reject) => {
    const dir = mkdtempSync(join(tmpdir(), 'livesim-batch-'));
    const file = join(dir, 'cases.json');
    writeFileSync(file, JSON.stringify({ cases, cwds }));
    // A script file, not `-e`: worker threads (sweep --workers 2) inherit the node flags, and `-e` is not one they take.
    const script = join(dir, 'harness.mjs');
    writeFileSync(script, HARNESS);
    execFile(
      process.execPath,
      [...(opts.nodeArgs ?? []), script, pathToFileURL(MAIN).href, file],
      { cwd: opts.cwd ?? ROOT, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, env: { ...ENV, ...opts.env } },
      (err, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        if (err !== null) return reject(new Error(`CLI batch failed (${err.message}): ${stderr.slice(0, 2000)}`));
        // A throw here would escape the callback and leave the promise pending until the suite's timeout.
        try {
          resolve(JSON.parse(stdout) as CliResult[]);
        } catch (e) {
          reject(new Error(`CLI batch printed something besides its results (${String(e)}): ${stdout.slice(0, 300)}`));
        }
      },
    );
  });

/** CliOptions, and optionally a working directory per case (the child changes into it before the case). */
export interface BatchOptions extends CliOptions {
  readonly cwds?: readonly string[];
}

/** Runs the cases in `children` child processes (default 2, one per core), results in case order. */
export const runCliBatch = async (cases: readonly (readonly string[])[], children = 2, timeoutMs = 120_000, opts: BatchOptions = {}): Promise<CliResult[]> => {
  const size = Math.max(1, Math.ceil(cases.length / children));
  const parts: Promise<CliResult[]>[] = [];
  for (let i = 0; i < cases.length; i += size) parts.push(batch(cases.slice(i, i + size), timeoutMs, opts, opts.cwds?.slice(i, i + size) ?? null));
  return (await Promise.all(parts)).flat();
};

const quote = (s: string): string => (/^[\w.,:@/=+-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);
/** The one-line command that reproduces a case. */
export const replay = (args: readonly string[]): string => `livesim ${args.map(quote).join(' ')}`;

/** What is wrong with a result under the bad-input contract (exit 2, one `livesim:` line, no trace), or null. */
export const usageProblem = (r: CliResult): string | null => {
  if (r.uncaught !== undefined && r.uncaught !== null) return `uncaught exception: ${r.uncaught.split('\n').slice(0, 3).join(' | ')}`;
  if (r.code !== 2) return `exit ${String(r.code)} (expected 2): ${r.stderr.trim().slice(0, 300)}`;
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  if (lines.length !== 1 || !r.stderr.endsWith('\n')) return `stderr is not exactly one line: ${JSON.stringify(r.stderr.slice(0, 300))}`;
  if (!r.stderr.startsWith('livesim: ')) return `stderr does not start with 'livesim: ': ${JSON.stringify(r.stderr.slice(0, 200))}`;
  if (/^\s+at /m.test(r.stderr) || /internal error|\.[jt]s:\d/.test(r.stderr)) return `stack trace or internal error: ${r.stderr}`;
  if (r.stdout !== '') return `stdout is not empty: ${JSON.stringify(r.stdout.slice(0, 200))}`;
  return null;
};

/** Asserts the bad-input contract and that the one line names every given part. */
export const expectUsageError = (r: CliResult, args: readonly string[], ...parts: string[]): void => {
  expect(usageProblem(r), replay(args)).toBeNull();
  for (const p of parts) expect(r.stderr, replay(args)).toContain(p);
};
