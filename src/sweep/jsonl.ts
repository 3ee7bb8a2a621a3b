import { closeSync, readSync } from 'node:fs';
import { InputError } from '../scenario/input-error.js';
import { openInput } from './safe-file.js';

/** One line of a JSON Lines file: its text, the byte offset where it starts, and whether a newline ended it. */
export interface FileLine {
  readonly text: string;
  readonly offset: number;
  readonly complete: boolean;
}

const CHUNK = 1 << 20;
/**
 * The longest line read (issue 20 item 4: a 300 MB line without a newline was held whole). A run
 * line is a few KB — its config is the widest part, ~3 KB for nacos-v2 — so 4 MiB is ample.
 */
export const MAX_LINE_BYTES = 4 << 20;

/**
 * Streams a file's lines without holding the file in memory (sweep files can be large). Only a
 * regular file is read (a FIFO or /dev/zero is refused at once), and no line past MAX_LINE_BYTES.
 */
export function* readLines(path: string, maxLineBytes = MAX_LINE_BYTES): Generator<FileLine> {
  const fd = openInput(path);
  let lineNo = 1;
  try {
    const buf = Buffer.alloc(CHUNK);
    let carry = Buffer.alloc(0);
    let carryOffset = 0;
    let position = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, CHUNK, position);
      } catch (e) {
        // A directory opens on Linux and fails here (EISDIR): bad input, like a missing file.
        throw new InputError(`${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      if (n === 0) break;
      position += n;
      const data = carry.length === 0 ? buf.subarray(0, n) : Buffer.concat([carry, buf.subarray(0, n)]);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        if (nl - start > maxLineBytes) throw tooLong(path, lineNo, maxLineBytes);
        yield { text: data.toString('utf8', start, nl), offset: carryOffset + start, complete: true };
        lineNo++;
        start = nl + 1;
      }
      if (data.length - start > maxLineBytes) throw tooLong(path, lineNo, maxLineBytes);
      carryOffset += start;
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length > 0) yield { text: carry.toString('utf8'), offset: carryOffset, complete: false };
  } finally {
    closeSync(fd);
  }
}

const tooLong = (path: string, lineNo: number, max: number): InputError =>
  new InputError(`${path}:${lineNo}: a line longer than ${max} bytes: not a livesim sweep line`);

/** Parses one complete line as a JSON object, naming the file and line on failure. */
export const parseLine = (path: string, lineNo: number, text: string): Record<string, unknown> => {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new InputError(`${path}:${lineNo}: not a JSON line`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError(`${path}:${lineNo}: not a JSON object`);
  return v as Record<string, unknown>;
};
