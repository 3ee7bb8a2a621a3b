import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';

/**
 * What a results README says about the machine and the tree it ran on: the figures depend on the
 * models, not on the machine, but wall times and the load do, so every report names both.
 */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly ramGiB: string;
  readonly node: string;
  readonly os: string;
  readonly commit: string;
  /** The tree had changes outside the output directory. */
  readonly dirty: boolean;
  /** `YYYY-MM-DD HH:MM UTC`. */
  readonly date: string;
  /** The 1, 5 and 15 minute load averages, as /proc/loadavg prints them. */
  readonly load: string;
}

const git = (root: string, args: readonly string[]): string | null => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
};

const cpuName = (): string => {
  try {
    const m = /^model name[^:]*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1] !== undefined) return m[1].trim();
  } catch {}
  return cpus()[0]?.model.trim() || 'unknown';
};

/** `outDir` relative to `root`: its own files do not make the tree dirty. */
export const describeMachine = (root: string, outDir: string): Machine => {
  const status = git(root, ['status', '--porcelain']) ?? '';
  const prefix = ` ${outDir.replace(/\/$/, '')}/`;
  const dirty = status.split('\n').some((l) => l !== '' && !l.includes(prefix));
  let load = 'unknown';
  try {
    load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {}
  return {
    cpu: cpuName(),
    cores: availableParallelism(),
    ramGiB: (totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    os: `${type()} ${release()}`,
    commit: git(root, ['rev-parse', '--short', 'HEAD'])?.trim() ?? 'unknown',
    dirty,
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    load,
  };
};

/**
 * CPU seconds of this process and of every child it has waited for (fields utime, stime, cutime,
 * cstime of /proc/self/stat, in clock ticks of 1/100 s on Linux): with other work on the
 * machine the wall time says less than this. 0 where /proc is missing.
 */
export const cpuSeconds = (): number => {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ", field 3 (state) is index 0: utime..cstime are fields 14-17.
    const ticks = [11, 12, 13, 14].reduce((s, i) => s + Number(fields[i] ?? 0), 0);
    return Math.round(ticks / 100);
  } catch {
    return 0;
  }
};

/** Wall and CPU seconds of a pipeline over all its invocations so far (a resumed run adds to them). */
export interface Spent {
  readonly wallS: number;
  readonly cpuS: number;
  readonly invocations: number;
}

/**
 * Adds this invocation's wall and CPU seconds to DATA/spent.json and returns the totals, so the
 * README of a resumed pipeline says what the whole regeneration cost, not only its last part.
 */
export const addSpent = (dataDir: string, wallS: number, cpuS: number): Spent => {
  const file = join(dataDir, 'spent.json');
  let before: Spent = { wallS: 0, cpuS: 0, invocations: 0 };
  try {
    before = JSON.parse(readFileSync(file, 'utf8')) as Spent;
  } catch {}
  const now = { wallS: before.wallS + wallS, cpuS: before.cpuS + cpuS, invocations: before.invocations + 1 };
  writeFileSync(file, `${JSON.stringify(now)}\n`);
  return now;
};
