import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../scenario/input-error.js';
import { type RunRow, scanSweepFile } from './sweep-file.js';

/**
 * The resumable JSON Lines store of a sweep. While the sweep runs, lines are appended to
 * `OUT.partial` — each line with one `write` on a file opened for appending, so a killed sweep
 * leaves whole lines (a torn last line, should the OS ever leave one, is cut off on resume).
 * When every run is in, the trailer (summaries) is appended and `OUT.partial` is renamed to
 * OUT: OUT only ever holds a finished sweep, and an existing OUT is never truncated — without
 * `--force` the sweep refuses to start; with it, the old OUT stays until the new one replaces it.
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
  /** Each run row already in a resumed file. */
  readonly onExisting?: (row: RunRow) => void;
}

export type Store =
  | { readonly kind: 'complete'; readonly path: string }
  | {
      readonly kind: 'open';
      readonly path: string;
      readonly done: ReadonlySet<number>;
      append(line: string): void;
      /** Appends the trailer lines, syncs, and renames the partial file to OUT. */
      finish(trailer: readonly string[]): void;
      close(): void;
    };

export const partialPath = (out: string): string => `${out}.partial`;

const writeAll = (fd: number, text: string): void => {
  const bytes = Buffer.from(text);
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
};

/** Bad `--out` paths are bad input (exit 2), found before anything is written. */
export const checkOutPath = (out: string): void => {
  if (typeof (out as unknown) !== 'string') throw new InputError('--out is given more than once: give one file');
  if (out.trim() === '') throw new InputError(`--out '${out}': name a file, e.g. --out sweep.jsonl`);
  const dir = dirname(out);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--out ${out}: the directory ${dir} does not exist`);
  if (existsSync(out) && statSync(out).isDirectory()) throw new InputError(`--out ${out} is a directory: name a file`);
};

/** The last `n` bytes of a file (fewer if it is shorter). */
const tail = (path: string, n: number): Buffer => {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(n, size));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf;
  } finally {
    closeSync(fd);
  }
};

/** A partial file killed between its creation and the end of its header: nothing but a start of `headerText`. */
const onlyHeaderStart = (path: string, headerText: string): boolean => {
  const whole = Buffer.from(`${headerText}\n`);
  if (statSync(path).size >= whole.length) return false;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(whole.length);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return whole.subarray(0, n).equals(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
};

export const openStore = (opts: StoreOptions): Store => {
  checkOutPath(opts.out);
  const partial = partialPath(opts.out);
  if (!opts.resume) {
    if (existsSync(partial) && !opts.force) throw new InputError(`${partial} holds an unfinished sweep: add --resume to continue it, or --force to start over`);
    if (existsSync(opts.out) && !opts.force) throw new InputError(`${opts.out} exists: add --resume to continue or check it, or --force to replace it`);
    return fresh(partial, opts);
  }
  if (existsSync(partial)) return reopen(partial, opts);
  if (existsSync(opts.out)) {
    const done = new Set<number>();
    const scan = scanExisting(opts.out, opts, done);
    // Finished: every run, then nothing or whole summary lines (a torn line has no newline).
    if (done.size === opts.expectedCount && (!scan.trailing || tail(opts.out, 1).toString() === '\n')) return { kind: 'complete', path: opts.out };
    renameSync(opts.out, partial);
    return reopen(partial, opts);
  }
  return fresh(partial, opts);
};

const fresh = (partial: string, opts: StoreOptions): Store => {
  const fd = openSync(partial, 'w');
  writeAll(fd, `${opts.headerText}\n`);
  return openFd(fd, partial, opts.out, new Set());
};

const scanExisting = (path: string, opts: StoreOptions, done: Set<number>) => {
  const scan = scanSweepFile(path, (row) => {
    if (!opts.expected(row.i)) throw new InputError(`${path}: run ${row.i} does not belong to this sweep or shard`);
    done.add(row.i);
    opts.onExisting?.(row);
  });
  if (scan.headerText !== opts.headerText) {
    throw new InputError(
      `${path} holds a different sweep (plan ${scan.header.planHash}${scan.header.shard ? ` shard ${scan.header.shard}` : ''}): use another --out, or --force to start over`,
    );
  }
  return scan;
};

const reopen = (partial: string, opts: StoreOptions): Store => {
  if (onlyHeaderStart(partial, opts.headerText)) return fresh(partial, opts);
  const done = new Set<number>();
  const scan = scanExisting(partial, opts, done);
  const fd = openSync(partial, 'r+');
  // Cut a torn last line or summary lines: the runs continue right after the last whole run line.
  if (scan.trailing) ftruncateSync(fd, scan.runsEndOffset);
  closeSync(fd);
  return openFd(openSync(partial, 'a'), partial, opts.out, done);
};

const openFd = (fd: number, partial: string, out: string, done: ReadonlySet<number>): Store => {
  let open = true;
  const close = (): void => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    kind: 'open',
    path: partial,
    done,
    append: (line) => writeAll(fd, `${line}\n`),
    finish: (trailer) => {
      if (trailer.length > 0) writeAll(fd, `${trailer.join('\n')}\n`);
      fsyncSync(fd);
      close();
      renameSync(partial, out);
    },
    close,
  };
};
