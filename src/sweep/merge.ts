import { closeSync, fsyncSync, readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../scenario/input-error.js';
import { parseLine, readLines } from './jsonl.js';
import { lockOut } from './out-lock.js';
import type { SweepHeader } from './plan.js';
import { createExclusive, lstatOrNull, removeLeftover, renameOver, tmpPath, writeAll } from './safe-file.js';
import { checkOutPath } from './store.js';
import { type PointSummary, SummaryBuilder } from './summary.js';
import { headerLine, parseHeader, type RunRow } from './sweep-file.js';
import { checkRow } from './validate.js';

/**
 * `livesim sweep merge shard-*.jsonl --out all.jsonl`: the shards of one sweep → the file an
 * unsharded run writes, byte for byte: its header (the shard's without `shard`), every run line
 * in plan order, then the summaries. Shard I of N holds runs i ≡ I − 1 (mod N) in increasing
 * order, so the merge reads the shards in lockstep and never holds the runs in memory.
 */
export interface MergeOutcome {
  readonly header: SweepHeader;
  readonly out: string;
  readonly summaries: readonly PointSummary[];
}

interface ShardReader {
  readonly path: string;
  readonly lines: Generator<{ text: string; complete: boolean }>;
  readonly header: SweepHeader;
  lineNo: number;
}

/**
 * Temporary files `OUT.tmp-PID` of earlier merges into OUT that were killed (or hit a full disk)
 * before their rename. Under OUT's lock no other livesim writes them, so every one is stale.
 */
export const removeStaleTemporaries = (path: string): void => {
  const dir = dirname(path);
  const prefix = `${basename(path)}.tmp-`;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length))) removeLeftover(join(dir, name));
  }
};

const shardOf = (path: string, header: SweepHeader): { index: number; count: number } => {
  const m = /^(\d+)\/(\d+)$/.exec(header.shard ?? '');
  if (m === null) throw new InputError(`${path}: not a shard file (its header has no shard; merge takes the files of --shard I/N runs)`);
  return { index: Number(m[1]), count: Number(m[2]) };
};

export const mergeShards = (files: readonly string[], out: string, force: boolean): MergeOutcome => {
  if (files.length === 0) throw new InputError('sweep merge: name the shard files, e.g. livesim sweep merge shard-*.jsonl --out all.jsonl');
  checkOutPath(out);
  if (lstatOrNull(out) !== null && !force) throw new InputError(`${out} exists: add --force to replace it`);
  const lock = lockOut(out, `--out ${out}`);
  try {
    removeStaleTemporaries(out);
    return mergeLocked(files, out);
  } finally {
    lock.release();
  }
};

const mergeLocked = (files: readonly string[], out: string): MergeOutcome => {
  const readers: ShardReader[] = [];
  let common: string | null = null;
  let header: SweepHeader | null = null;
  let count = 0;
  for (const path of files) {
    const lines = readLines(path);
    const first = lines.next();
    const h = parseHeader(path, first.done === true || !first.value.complete ? undefined : first.value.text);
    const shard = shardOf(path, h);
    const plain = headerLine(h, null);
    if (common !== null && plain !== common) throw new InputError(`${path}: a shard of a different sweep (plan ${h.planHash}, expected ${header?.planHash})`);
    if (common !== null && shard.count !== count) throw new InputError(`${path}: shard ${h.shard}, but the others are of ${count}`);
    if (readers[shard.index - 1] !== undefined) throw new InputError(`${path}: shard ${h.shard} is given twice`);
    common = plain;
    header = h;
    count = shard.count;
    readers[shard.index - 1] = { path, lines, header: h, lineNo: 1 };
  }
  // The first few missing shards (a crafted header may claim millions of shards: never list them all).
  const missing: number[] = [];
  for (let k = 0; k < count && missing.length <= 5; k++) if (readers[k] === undefined) missing.push(k);
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map((k) => `${k + 1}/${count}`);
    throw new InputError(`sweep merge: missing shard${missing.length > 1 ? 's' : ''} ${shown.join(', ')}${missing.length > 5 ? ', …' : ''}`);
  }
  const h = header as SweepHeader;
  const { shard: _s, ...unsharded } = h;
  const merged = unsharded as SweepHeader;
  const tmp = tmpPath(out);
  const fd = createExclusive(tmp);
  try {
    const builder = new SummaryBuilder(merged);
    writeAll(fd, `${common}\n`, tmp);
    let buffer = '';
    for (let i = 0; i < merged.total; i++) {
      const r = readers[i % count] as ShardReader;
      const { text, row } = nextRun(r, i);
      builder.add(row as unknown as RunRow);
      buffer += `${text}\n`;
      if (buffer.length > 1 << 20) {
        writeAll(fd, buffer, tmp);
        buffer = '';
      }
    }
    for (const r of readers) if (nextRun(r, null).text !== '') throw new InputError(`${r.path}:${r.lineNo}: runs past the end of the plan`);
    const summaries = builder.summaries();
    writeAll(fd, `${buffer}${summaries.map((s) => JSON.stringify(s)).join('\n')}\n`, tmp);
    fsyncSync(fd);
    closeSync(fd);
    renameOver(tmp, out);
    return { header: merged, out, summaries };
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // Closed before the rename failed.
    }
    if (lstatOrNull(tmp) !== null) unlinkSync(tmp);
    throw e;
  }
};

const END = { text: '', row: {} };

/** The shard's next run line, which must be run i (i null: expect the end of its runs). */
const nextRun = (r: ShardReader, i: number | null): { text: string; row: Record<string, unknown> } => {
  const next = r.lines.next();
  if (next.done === true || !next.value.complete) {
    if (i === null) return END;
    throw new InputError(`${r.path}: run ${i} is missing (the shard is unfinished: rerun it with --resume)`);
  }
  r.lineNo++;
  const text = next.value.text;
  const row = parseLine(r.path, r.lineNo, text);
  if (row.type === 'summary' && i === null) return END;
  if (i === null) throw new InputError(`${r.path}:${r.lineNo}: runs past the end of the plan`);
  if (row.type !== 'run' || row.i !== i) throw new InputError(`${r.path}:${r.lineNo}: expected run ${i}, found ${String(row.type)} ${String(row.i ?? '')}`);
  checkRow(r.path, r.lineNo, row, r.header);
  return { text, row };
};
