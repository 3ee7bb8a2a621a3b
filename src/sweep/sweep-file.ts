import type { DetectorObservation } from '../analysis/qos.js';
import { InputError } from '../scenario/input-error.js';
import { parseLine, readLines } from './jsonl.js';
import { SWEEP_FORMAT, type SweepHeader } from './plan.js';
import { checkHeader, checkRow } from './validate.js';

/**
 * A sweep file (JSON Lines): the header, then one `run` line per run, then — once the sweep
 * (not a shard) is complete — one `summary` line per point. This module reads them back.
 */
export interface RunRow {
  readonly type: 'run';
  readonly i: number;
  readonly point: number;
  readonly seed: number;
  readonly set: Readonly<Record<string, string>>;
  /** Present instead of the results when Nacos would reject the point's settings. */
  readonly illegal?: string;
  readonly faults?: readonly string[];
  readonly metrics?: {
    readonly detectionMs: number | null;
    readonly staleMs: number | null;
    readonly falseRemovals: number;
    readonly messages: Readonly<Record<string, number>>;
    readonly [k: string]: unknown;
  };
  readonly qos?: DetectorObservation;
  readonly stop?: { readonly atMs: number; readonly reason: string; readonly events: number };
  readonly replay?: string;
}

export interface ScanResult {
  readonly header: SweepHeader;
  /** The header line exactly as written. */
  readonly headerText: string;
  /** Byte offset where the run lines end (the first summary line, a torn tail, or the file's end). */
  readonly runsEndOffset: number;
  /** A line cut short by a kill, or summary lines, follow the runs. */
  readonly trailing: boolean;
  readonly runCount: number;
}

export const parseHeader = (path: string, text: string | undefined): SweepHeader => {
  const h = text === undefined ? undefined : parseLine(path, 1, text);
  if (h === undefined || h.type !== 'sweep' || h.format !== SWEEP_FORMAT) {
    throw new InputError(`${path}: not a livesim sweep file (its first line is not a ${SWEEP_FORMAT} header)`);
  }
  return checkHeader(path, h);
};

/** Where a line is in its file. */
export interface LineAt {
  readonly path: string;
  readonly lineNo: number;
  /** Byte offset of the line's start. */
  readonly offset: number;
}

/**
 * Reads a sweep file line by line, handing each run line (parsed, and as text) to `onRun`.
 * Checks that every run belongs to the plan and appears once.
 */
export const scanSweepFile = (path: string, onRun: (row: RunRow, text: string, header: SweepHeader, at: LineAt) => void): ScanResult => {
  let header: SweepHeader | null = null;
  let headerText = '';
  let lineNo = 0;
  let runsEndOffset = 0;
  let trailing = false;
  let inSummaries = false;
  let runCount = 0;
  // One bit per run of the plan (≤ 10 M runs: ≤ 1.25 MB), not a Set of numbers.
  let seen = new Uint8Array(0);
  for (const line of readLines(path)) {
    lineNo++;
    if (header === null) {
      if (!line.complete) break;
      header = parseHeader(path, line.text);
      headerText = line.text;
      seen = new Uint8Array(Math.ceil(header.total / 8));
      runsEndOffset = line.offset + Buffer.byteLength(line.text) + 1;
      continue;
    }
    if (!line.complete) {
      trailing = true; // a torn last line: the run it held was in flight when the sweep was killed
      break;
    }
    const row = parseLine(path, lineNo, line.text);
    if (row.type === 'summary') {
      inSummaries = true;
      trailing = true;
      continue;
    }
    if (row.type !== 'run' || inSummaries) throw new InputError(`${path}:${lineNo}: expected a run line`);
    checkRow(path, lineNo, row, header);
    const i = row.i as number;
    if (((seen[i >> 3] as number) & (1 << (i & 7))) !== 0) throw new InputError(`${path}:${lineNo}: run ${i} appears twice`);
    seen[i >> 3] = (seen[i >> 3] as number) | (1 << (i & 7));
    runCount++;
    runsEndOffset = line.offset + Buffer.byteLength(line.text) + 1;
    onRun(row as unknown as RunRow, line.text, header, { path, lineNo, offset: line.offset });
  }
  if (header === null) throw new InputError(`${path}: empty, or its header line is incomplete`);
  return { header, headerText, runsEndOffset, trailing, runCount };
};

/** The header as written to a file: the plan's header plus the shard, if any, as the last key. */
export const headerLine = (header: SweepHeader, shard: string | null): string => {
  const { shard: _old, ...rest } = header;
  return JSON.stringify(shard === null ? rest : { ...rest, shard });
};
