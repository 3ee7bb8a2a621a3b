import { closeSync, fstatSync, fsyncSync, ftruncateSync, readSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../scenario/input-error.js';
import { lockOut, type OutLock } from './out-lock.js';
import { checkReplaceable, createExclusive, lstatOrNull, openInput, openOwn, renameOver, withPath, writeAll } from './safe-file.js';
import { type LineAt, type RunRow, scanSweepFile } from './sweep-file.js';

/**
 * The resumable JSON Lines store of a sweep. While the sweep runs, lines are appended to
 * `OUT.partial` — each line with one `write` on a file opened for appending, so a killed sweep
 * leaves whole lines (a torn last line, should the OS ever leave one, is cut off on resume).
 * When every run is in, the trailer (summaries) is appended and `OUT.partial` is renamed to
 * OUT: OUT only ever holds a finished sweep, and an existing OUT is never truncated — without
 * `--force` the sweep refuses to start; with it, the old OUT stays until the new one replaces it.
 *
 * The store holds OUT's lock (src/sweep/out-lock.ts) from before its first look at the files
 * until it is finished or closed, creates OUT.partial with O_EXCL|O_NOFOLLOW, and replaces only
 * regular files (src/sweep/safe-file.ts). A resumed file's rows must be the plan's runs, in plan
 * order: at the first row that is not the next run of the plan (a hole: a row deleted by hand)
 * the file is cut, and the runs from there are run again, in order.
 */
export interface StoreOptions {
  readonly out: string;
  /** The header line the file must start with (a resumed file must have exactly this one). */
  readonly headerText: string;
  /** The run indices this store holds (the whole plan, or one shard's slice). */
  readonly expected: (i: number) => boolean;
  readonly expectedCount: number;
  readonly resume: boolean;
  readonly force: boolean;
  /** What must follow the run lines of a finished file (the summary lines, newline-ended; '' for a shard). */
  readonly trailer: (path: string) => string;
  /** Each run row of a resumed file, before it is kept (throws InputError to refuse it). */
  readonly checkExisting?: (row: RunRow, at: LineAt) => void;
}

export type Store =
  | { readonly kind: 'complete'; readonly path: string }
  | {
      readonly kind: 'open';
      readonly path: string;
      readonly done: ReadonlySet<number>;
      append(line: string): void;
      /** Appends the trailer (newline-ended lines), syncs, and renames the partial file to OUT. */
      finish(trailer: string): void;
      close(): void;
    };

export const partialPath = (out: string): string => `${out}.partial`;

/** Bad `--out` paths are bad input (exit 2), found before anything is written. */
export const checkOutPath = (out: string): void => {
  if (typeof (out as unknown) !== 'string') throw new InputError('--out is given more than once: give one file');
  if (out.trim() === '') throw new InputError(`--out '${out}': name a file, e.g. --out sweep.jsonl`);
  const dir = dirname(out);
  const d = statSync(dir, { throwIfNoEntry: false });
  if (d === undefined || !d.isDirectory()) throw new InputError(`--out ${out}: the directory ${dir} does not exist`);
  if (lstatOrNull(out)?.isDirectory() === true) throw new InputError(`--out ${out} is a directory: name a file`);
  checkReplaceable(out, `--out ${out}`);
  checkReplaceable(partialPath(out));
};

/** The bytes of a file from `offset` to its end are exactly `expected`. */
const trailerIs = (path: string, offset: number, expected: string): boolean => {
  const want = Buffer.from(expected);
  const fd = openInput(path);
  try {
    if (fstatSync(fd).size - offset !== want.length) return false;
    const buf = Buffer.alloc(want.length);
    readSync(fd, buf, 0, buf.length, offset);
    return buf.equals(want);
  } finally {
    closeSync(fd);
  }
};

/** A partial file killed between its creation and the end of its header: nothing but a start of `headerText`. */
const onlyHeaderStart = (path: string, headerText: string): boolean => {
  const whole = Buffer.from(`${headerText}\n`);
  if (statSync(path).size >= whole.length) return false;
  const fd = openInput(path);
  try {
    const buf = Buffer.alloc(whole.length);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return whole.subarray(0, n).equals(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
};

/** Opens the store under OUT's lock; the lock goes when the store is finished or closed (or the process exits). */
export const openStore = (opts: StoreOptions): Store => {
  checkOutPath(opts.out);
  const lock = lockOut(opts.out, `--out ${opts.out}`);
  try {
    return locked(opts, lock);
  } catch (e) {
    lock.release();
    throw e;
  }
};

const locked = (opts: StoreOptions, lock: OutLock): Store => {
  // Looked at again under the lock: what is there now is what this store works on.
  checkOutPath(opts.out);
  const partial = partialPath(opts.out);
  const exists = (p: string): boolean => lstatOrNull(p) !== null;
  if (!opts.resume) {
    if (exists(partial) && !opts.force) throw new InputError(`${partial} holds an unfinished sweep: add --resume to continue it, or --force to start over`);
    if (exists(opts.out) && !opts.force) throw new InputError(`${opts.out} exists: add --resume to continue or check it, or --force to replace it`);
    return fresh(partial, opts, lock);
  }
  if (exists(partial)) return reopen(partial, opts, lock);
  if (exists(opts.out)) {
    const done = new Set<number>();
    const scan = scanExisting(opts.out, opts, done);
    // Finished: every run in order, then exactly the summaries they give (none missing, none edited).
    if (scan.cutAt === null && done.size === opts.expectedCount && trailerIs(opts.out, scan.runsEndOffset, opts.trailer(opts.out))) {
      lock.release();
      return { kind: 'complete', path: opts.out };
    }
    renameSync(opts.out, partial);
    return reopen(partial, opts, lock);
  }
  return fresh(partial, opts, lock);
};

const fresh = (partial: string, opts: StoreOptions, lock: OutLock): Store => {
  // Under the lock an existing partial file is an old one of ours (--force): remove the name, never write through it.
  if (lstatOrNull(partial) !== null) unlinkSync(partial);
  const fd = createExclusive(partial);
  writeAll(fd, `${opts.headerText}\n`, partial);
  return openFd(fd, partial, opts.out, new Set(), lock);
};

/** The run indices of the store in plan order, from `i` on. */
const nextExpected = (opts: StoreOptions, from: number, total: number): number => {
  let i = from;
  while (i < total && !opts.expected(i)) i++;
  return i;
};

const scanExisting = (path: string, opts: StoreOptions, done: Set<number>) => {
  let next = -1;
  let cutAt: number | null = null;
  const scan = scanSweepFile(path, (row, _text, header, at) => {
    if (!opts.expected(row.i)) throw new InputError(`${path}:${at.lineNo}: run ${row.i} does not belong to this sweep or shard`);
    opts.checkExisting?.(row, at);
    if (next === -1) next = nextExpected(opts, 0, header.total);
    if (cutAt !== null) return;
    // A row that is not the next run of the plan: the runs from its place are run again, in order.
    if (row.i !== next) {
      cutAt = at.offset;
      return;
    }
    done.add(row.i);
    next = nextExpected(opts, row.i + 1, header.total);
  });
  if (scan.headerText !== opts.headerText) {
    throw new InputError(
      `${path} holds a different sweep (plan ${scan.header.planHash}${scan.header.shard ? ` shard ${scan.header.shard}` : ''}): use another --out, or --force to start over`,
    );
  }
  return { ...scan, cutAt: cutAt as number | null };
};

const reopen = (partial: string, opts: StoreOptions, lock: OutLock): Store => {
  if (onlyHeaderStart(partial, opts.headerText)) return fresh(partial, opts, lock);
  const done = new Set<number>();
  const scan = scanExisting(partial, opts, done);
  const fd = openOwn(partial, 'read-write');
  // Cut a torn last line or summary lines: the runs continue right after the last whole run line.
  // A hole or a row out of order cuts the file there.
  if (scan.cutAt !== null) ftruncateSync(fd, scan.cutAt);
  else if (scan.trailing) ftruncateSync(fd, scan.runsEndOffset);
  closeSync(fd);
  return openFd(openOwn(partial, 'append'), partial, opts.out, done, lock);
};

const openFd = (fd: number, partial: string, out: string, done: ReadonlySet<number>, lock: OutLock): Store => {
  let open = true;
  const close = (): void => {
    if (open) closeSync(fd);
    open = false;
    lock.release();
  };
  return {
    kind: 'open',
    path: partial,
    done,
    append: (line) => writeAll(fd, `${line}\n`, partial),
    finish: (trailer) => {
      if (trailer.length > 0) writeAll(fd, trailer, partial);
      try {
        fsyncSync(fd);
      } catch (e) {
        throw withPath(e, partial);
      }
      closeSync(fd);
      open = false;
      try {
        renameOver(partial, out);
      } finally {
        lock.release();
      }
    },
    close,
  };
};
