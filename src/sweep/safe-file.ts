import { closeSync, constants, fstatSync, fsyncSync, lstatSync, openSync, renameSync, type Stats, unlinkSync, writeSync } from 'node:fs';
import { InputError } from '../scenario/input-error.js';

/**
 * The only ways livesim opens files it writes or reads back (issue 20 item 2). A planted link
 * must not redirect a write (`OUT.partial → ../elsewhere`), `--force` must not replace a FIFO or a
 * device with a regular file, and reading a FIFO or /dev/zero must not hang: every file livesim
 * creates is created with O_EXCL|O_NOFOLLOW (the kernel refuses an existing name or a link, so
 * there is no window between a check and the open), every file it reopens is opened with
 * O_NOFOLLOW and checked to be regular on the descriptor, and every input is opened with
 * O_NONBLOCK (a FIFO opens at once) and refused unless fstat says it is a regular file.
 */
const { O_WRONLY, O_RDONLY, O_RDWR, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_APPEND } = constants;

const KIND: readonly [(s: Stats) => boolean, string][] = [
  [(s) => s.isSymbolicLink(), 'a symbolic link'],
  [(s) => s.isDirectory(), 'a directory'],
  [(s) => s.isFIFO(), 'a FIFO'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
  [(s) => s.isSocket(), 'a socket'],
];
const kindOf = (s: Stats): string => KIND.find(([is]) => is(s))?.[1] ?? 'not a regular file';

/** What is at `path` without following a link: its stats, or null when nothing is there. */
export const lstatOrNull = (path: string): Stats | null => lstatSync(path, { throwIfNoEntry: false }) ?? null;

/** `path` is absent or a regular file (not a link to one): the only things livesim replaces. */
export const checkReplaceable = (path: string, what = path): void => {
  const st = lstatOrNull(path);
  if (st === null || st.isFile()) return;
  throw new InputError(`${what} is ${kindOf(st)}: livesim writes and replaces only regular files (remove it, or choose another path)`);
};

/** Creates `path`, which must not exist (not even as a dangling link), for writing. */
export const createExclusive = (path: string): number => {
  try {
    return openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP')
      throw new InputError(`${path} appeared while livesim was creating it (another program writes there): choose another path`);
    throw e;
  }
};

/** Opens an existing regular file of livesim's own (a partial sweep) without following a link. */
export const openOwn = (path: string, mode: 'read-write' | 'append'): number => {
  let fd: number;
  try {
    fd = openSync(path, (mode === 'append' ? O_WRONLY | O_APPEND : O_RDWR) | O_NOFOLLOW | O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new InputError(`${path} is a symbolic link: livesim writes only regular files (remove it)`);
    throw e;
  }
  return regularOrClose(fd, path);
};

const regularOrClose = (fd: number, path: string): number => {
  const st = fstatSync(fd);
  if (st.isFile()) return fd;
  closeSync(fd);
  throw new InputError(`${path} is ${kindOf(st)}: livesim reads only regular files`);
};

/** Opens an input (a sweep file) for reading: a FIFO or a device is refused, never waited on. */
export const openInput = (path: string): number => {
  let fd: number;
  try {
    fd = openSync(path, O_RDONLY | O_NONBLOCK);
  } catch (e) {
    throw new InputError(`${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return regularOrClose(fd, path);
};

/** Writes all of `text` to `fd`; a failure (ENOSPC, EIO) names `path`, which a descriptor's error does not. */
export const writeAll = (fd: number, text: string | Buffer, path?: string): void => {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  let off = 0;
  try {
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  } catch (e) {
    throw withPath(e, path);
  }
};

/** Adds the path to a system error raised on a descriptor (Node leaves it out). */
export const withPath = (e: unknown, path: string | undefined): unknown => {
  if (path !== undefined && e instanceof Error && (e as NodeJS.ErrnoException).path === undefined) (e as NodeJS.ErrnoException).path = path;
  return e;
};

/** The temporary name of `path` for this process. */
export const tmpPath = (path: string): string => `${path}.tmp-${process.pid}`;

/** Removes a leftover temporary file of livesim's (a regular file; a link is removed, never followed). */
export const removeLeftover = (path: string): void => {
  const st = lstatOrNull(path);
  if (st === null) return;
  if (!st.isFile() && !st.isSymbolicLink()) throw new InputError(`${path} is ${kindOf(st)}: remove it, livesim would write its temporary file there`);
  unlinkSync(path);
};

/**
 * Writes `path` whole or not at all: to `path.tmp-PID` (created exclusively), synced, then renamed
 * over `path`, which must be absent or a regular file.
 */
export const writeFileAtomic = (path: string, text: string | Buffer): void => {
  checkReplaceable(path);
  const tmp = tmpPath(path);
  removeLeftover(tmp);
  const fd = createExclusive(tmp);
  try {
    writeAll(fd, text, tmp);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw withPath(e, tmp);
  }
  closeSync(fd);
  renameOver(tmp, path);
};

/** Renames `from` over `to`, which must still be absent or a regular file. */
export const renameOver = (from: string, to: string): void => {
  checkReplaceable(to);
  renameSync(from, to);
};
