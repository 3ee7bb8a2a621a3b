import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { commandLine, type Exit, MAIN } from './cli.js';

/** Starting a livesim process and SIGKILLing it at a chosen point: shared by the crash-safety and output-safety suites. */
export const ok = (r: Exit, args: readonly string[]): void => {
  if (r.code !== 0) throw new Error(`exit ${r.code ?? r.signal}: ${r.stderr.trim().slice(0, 400)}\n    ${commandLine(args)}`);
};

/** Counts the newlines of a growing file, reading only what is new (a shrunk or missing file starts over). */
export class NewlineCounter {
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

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Started {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}
export const start = (dir: string, args: readonly string[], env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Started => {
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
export const killAt = async (s: Started, file: string, kill: { afterMs: number | null; rows: number }): Promise<boolean> => {
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
