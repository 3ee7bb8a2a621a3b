import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../scenario/input-error.js';

/** One line of a JSON Lines file: its text, the byte offset where it starts, and whether a newline ended it. */
export interface FileLine {
  readonly text: string;
  readonly offset: number;
  readonly complete: boolean;
}

const CHUNK = 1 << 20;

/** Streams a file's lines without holding the file in memory (sweep files can be large). */
export function* readLines(path: string): Generator<FileLine> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError(`${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
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
        yield { text: data.toString('utf8', start, nl), offset: carryOffset + start, complete: true };
        start = nl + 1;
      }
      carryOffset += start;
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length > 0) yield { text: carry.toString('utf8'), offset: carryOffset, complete: false };
  } finally {
    closeSync(fd);
  }
}

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
