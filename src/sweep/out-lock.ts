import { closeSync, constants, linkSync, openSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { InputError } from '../scenario/input-error.js';
import { createExclusive, lstatOrNull, writeAll } from './safe-file.js';

/**
 * One livesim at a time per output (issue 20 item 1): two sweeps on one `--out` interleaved their
 * lines and left a file no `--resume` could read. Before it reads or writes OUT, OUT.partial or a
 * temporary file, a command creates `OUT.lock` with O_EXCL|O_NOFOLLOW holding its pid, its start
 * time and the host; a second command finds it and refuses (exit 2) naming the holder.
 *
 * Why not proper-lockfile: its staleness is the lock's mtime, refreshed by a timer, and a sweep on
 * one worker runs in the main thread — a single long run blocks the timer for longer than any
 * sensible stale time, so a live sweep would lose its lock to the next one. A pid and the
 * process's start time (/proc/PID/stat field 22, clock ticks since boot) say exactly whether the
 * holder still runs on this host, however busy it is; a pid reused by another process has another
 * start time. A lock left by a SIGKILL is therefore taken over at once, and one held by a
 * process on another host (a shared file system) is never taken over silently.
 */
export interface OutLock {
  readonly path: string;
  release(): void;
}

interface Holder {
  readonly pid: number;
  readonly start: string | null;
  readonly host: string;
}

export const lockPath = (out: string): string => `${out}.lock`;

/** The start time of a process in clock ticks since boot (Linux), or null where /proc is not there. */
const startTime = (pid: number): string | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces: count fields after its ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const me = (): Holder => ({ pid: process.pid, start: startTime(process.pid), host: hostname() });

const readHolder = (path: string): Holder | null => {
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const h = JSON.parse(readFileSync(fd, 'utf8').slice(0, 4096)) as Partial<Holder>;
      if (typeof h.pid !== 'number' || typeof h.host !== 'string') return null;
      return { pid: h.pid, start: typeof h.start === 'string' ? h.start : null, host: h.host };
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
};

/** A holder on this host that no longer runs (or whose pid now belongs to a later process). */
const isStale = (h: Holder): boolean => {
  if (h.host !== hostname()) return false;
  if (!alive(h.pid)) return true;
  const now = startTime(h.pid);
  return h.start !== null && now !== null && now !== h.start;
};

const held: Set<string> = new Set();
let exitHookInstalled = false;
const releaseAllOnExit = (): void => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // process.exit (Ctrl-C handler, bad input) skips finally blocks: the locks still go.
  process.on('exit', () => {
    for (const p of held) removeIfMine(p);
  });
};

const removeIfMine = (path: string): void => {
  const h = readHolder(path);
  if (h !== null && h.pid === process.pid && h.host === hostname()) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  }
  held.delete(path);
};

/**
 * Removes a stale lock without removing a fresh one that another livesim put there after we
 * looked: move it aside under a name of our own, check it is the one judged stale, and put back
 * what is not (link fails if a newer lock is already there, which is then the one that counts).
 */
const takeOverStale = (path: string, judged: Holder | null): void => {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // gone already: look again
  }
  const h = readHolder(aside);
  const same = judged === null ? h === null : h !== null && h.pid === judged.pid && h.start === judged.start && h.host === judged.host;
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // A newer lock is in place: it is the one that counts.
    }
  }
  unlinkSync(aside);
};

/** Takes the lock of `out` (a file or a directory) or refuses with the holder's pid. */
export const lockOut = (out: string, what = out): OutLock => {
  const path = lockPath(out);
  for (let attempt = 0; attempt < 3; attempt++) {
    const st = lstatOrNull(path);
    if (st !== null) {
      if (!st.isFile()) throw new InputError(`${path} is not a regular file: remove it (livesim keeps its lock for ${what} there)`);
      const h = readHolder(path);
      // An unreadable or half-written lock (killed between create and write) is stale too,
      // unless it is brand new: give its writer a moment.
      const fresh = Date.now() - st.mtimeMs < 2000;
      if (h === null ? !fresh : isStale(h)) {
        takeOverStale(path, h);
        continue;
      }
      const who = h === null ? 'another livesim' : `livesim pid ${h.pid}${h.host === hostname() ? '' : ` on ${h.host}`}`;
      throw new InputError(`${what} is in use by ${who} (lock ${path}): wait for it to finish, or stop it; a stale lock is taken over by itself`);
    }
    let fd: number;
    try {
      fd = createExclusive(path);
    } catch (e) {
      if (e instanceof InputError) continue; // another process created it first: look again
      throw e;
    }
    try {
      writeAll(fd, `${JSON.stringify(me())}\n`);
    } finally {
      closeSync(fd);
    }
    held.add(path);
    releaseAllOnExit();
    return { path, release: () => removeIfMine(path) };
  }
  throw new InputError(`${what}: could not take its lock ${path} (other livesims keep taking it): try again`);
};
