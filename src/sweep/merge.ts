import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { InputError } from '../scenario/input-error.js';
import { parseLine, readLines } from './jsonl.js';
import type { SweepHeader } from './plan.js';
import { checkOutPath } from './store.js';
import { type PointSummary, SummaryBuilder } from './summary.js';
import { headerLine, parseHeader, type RunRow } from './sweep-file.js';

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
  lineNo: number;
}

const shardOf = (path: string, header: SweepHeader): { index: number; count: number } => {
  const m = /^(\d+)\/(\d+)$/.exec(header.shard ?? '');
  if (m === null) throw new InputError(`${path}: not a shard file (its header has no shard; merge takes the files of --shard I/N runs)`);
  return { index: Number(m[1]), count: Number(m[2]) };
};

export const mergeShards = (files: readonly string[], out: string, force: boolean): MergeOutcome => {
  if (files.length === 0) throw new InputError('sweep merge: name the shard files, e.g. livesim sweep merge shard-*.jsonl --out all.jsonl');
  checkOutPath(out);
  if (existsSync(out) && !force) throw new InputError(`${out} exists: add --force to replace it`);
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
    readers[shard.index - 1] = { path, lines, lineNo: 1 };
  }
  const missing = Array.from({ length: count }, (_, k) => k).filter((k) => readers[k] === undefined);
  if (missing.length > 0)
    throw new InputError(`sweep merge: missing shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k + 1}/${count}`).join(', ')}`);
  const h = header as SweepHeader;
  const { shard: _s, ...unsharded } = h;
  const merged = unsharded as SweepHeader;
  const tmp = `${out}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    const builder = new SummaryBuilder(merged);
    writeSync(fd, `${common}\n`);
    let buffer = '';
    for (let i = 0; i < merged.total; i++) {
      const r = readers[i % count] as ShardReader;
      const { text, row } = nextRun(r, i);
      builder.add(row as unknown as RunRow);
      buffer += `${text}\n`;
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
    for (const r of readers) if (nextRun(r, null).text !== '') throw new InputError(`${r.path}:${r.lineNo}: runs past the end of the plan`);
    const summaries = builder.summaries();
    writeSync(fd, `${buffer}${summaries.map((s) => JSON.stringify(s)).join('\n')}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, out);
    return { header: merged, out, summaries };
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
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
  return { text, row };
};
