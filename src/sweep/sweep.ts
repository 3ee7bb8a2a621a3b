import { availableParallelism } from 'node:os';
import { InputError } from '../scenario/input-error.js';
import { resolveScenario } from '../scenario/run.js';
import { makePlan, type Plan, type SweepHeader, type SweepRequest, taskAt } from './plan.js';
import { checkPlanResources } from './plan-resources.js';
import { execute } from './pool.js';
import { openStore } from './store.js';
import { type PointSummary, SummaryBuilder } from './summary.js';
import { headerLine, type LineAt, type RunRow, scanSweepFile } from './sweep-file.js';
import type { WorkItem } from './task.js';

/**
 * `livesim sweep`: plan, open (or resume) the store, run what is missing in plan order on
 * `workers` threads, and close the file with one summary line per point.
 */
export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export interface SweepOptions {
  readonly request: SweepRequest;
  readonly out: string;
  /** Default: the machine's cores. */
  readonly workers?: number;
  readonly shard?: Shard | null;
  readonly resume?: boolean;
  readonly force?: boolean;
  readonly batchSize?: number;
  /** Refuse the sweep before it starts if a run is estimated to need more (bytes); none: no check. */
  readonly maxMemoryBytes?: number;
  /** After planning: what will run. */
  readonly onStart?: (info: SweepStart) => void;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SweepStart {
  readonly header: SweepHeader;
  readonly plan: Plan;
  /** Runs this invocation is responsible for (the shard's slice, or all). */
  readonly expected: number;
  readonly toRun: number;
  readonly workers: number;
}

export interface SweepOutcome {
  readonly header: SweepHeader;
  readonly out: string;
  readonly ran: number;
  readonly skipped: number;
  /** Null for a shard (merge the shards to summarise). */
  readonly summaries: readonly PointSummary[] | null;
  readonly illegal: readonly { readonly point: number; readonly set: Readonly<Record<string, string>>; readonly message: string }[];
}

export const parseShard = (text: string): Shard => {
  if (typeof (text as unknown) !== 'string') throw new InputError('--shard is given more than once: give one I/N');
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index < 1 || index > count) throw new InputError(`--shard '${text}': expected I/N with 1 ≤ I ≤ N, e.g. --shard 2/8`);
  return { index, count };
};

/** Round-robin slices: shard I of N takes runs i with i mod N = I − 1 (points' costs spread evenly). */
export const inShard = (shard: Shard | null, i: number): boolean => shard === null || i % shard.count === shard.index - 1;
const shardSize = (shard: Shard | null, total: number): number => (shard === null ? total : Math.max(0, Math.ceil((total - (shard.index - 1)) / shard.count)));

export const defaultWorkers = (): number => availableParallelism();

export const runSweep = async (opts: SweepOptions): Promise<SweepOutcome> => {
  const plan = makePlan(opts.request);
  const header = plan.header;
  const shard = opts.shard ?? null;
  const requested = opts.workers ?? defaultWorkers();
  if (!Number.isInteger(requested) || requested < 1) throw new InputError(`--workers '${requested}': expected a whole number ≥ 1`);
  // More threads than cores only add memory (--workers 100000 took 11.5 GB): at most one per core.
  const workers = Math.min(requested, defaultWorkers());
  if (opts.maxMemoryBytes !== undefined) checkPlanResources(plan, opts.maxMemoryBytes);
  const expected = shardSize(shard, header.total);
  const store = openStore({
    out: opts.out,
    headerText: headerLine(header, shard === null ? null : `${shard.index}/${shard.count}`),
    expected: (i) => inShard(shard, i),
    expectedCount: expected,
    resume: opts.resume ?? false,
    force: opts.force ?? false,
    checkExisting: configCheck(plan),
    trailer: (path) => (shard === null ? summaryLines(summarizeFile(path).summaries) : ''),
  });
  const illegal = plan.points.filter((p) => p.illegal !== null).map((p) => ({ point: p.index, set: p.set, message: p.illegal as string }));
  if (store.kind === 'complete') {
    opts.onStart?.({ header, plan, expected, toRun: 0, workers });
    return { header, out: opts.out, ran: 0, skipped: expected, summaries: shard === null ? summarizeFile(opts.out).summaries : null, illegal };
  }
  const todo: number[] = [];
  for (let i = 0; i < header.total; i++) if (inShard(shard, i) && !store.done.has(i)) todo.push(i);
  opts.onStart?.({ header, plan, expected, toRun: todo.length, workers });
  let written = store.done.size;
  try {
    const item = (k: number): WorkItem => {
      const t = taskAt(plan, todo[k] as number);
      return 'illegalLine' in t ? t.illegalLine : t;
    };
    await execute(
      { count: todo.length, item },
      {
        workers: Math.min(workers, Math.max(1, todo.length)),
        batchSize: opts.batchSize,
        onLine: (line) => {
          store.append(line);
          opts.onProgress?.(++written, expected);
        },
      },
    );
  } catch (e) {
    store.close();
    throw e;
  }
  const summaries = shard === null ? summarizeFile(store.path).summaries : null;
  store.finish(summaries === null ? '' : summaryLines(summaries));
  return { header, out: opts.out, ran: todo.length, skipped: expected - todo.length, summaries, illegal };
};

/**
 * A resumed row must carry its point's resolved config (what decides the run besides the seed
 * and faults): a row copied from another sweep, or edited, is refused with its line.
 */
const configCheck = (plan: Plan) => {
  const configs = new Map<number, string>();
  return (row: RunRow, at: LineAt): void => {
    const p = plan.points[row.point];
    if (p === undefined) return;
    if ((row.illegal ?? null) !== p.illegal)
      throw new InputError(
        `${at.path}:${at.lineNo}: run ${row.i}: point ${row.point} is ${p.illegal === null ? 'legal, the row says it is not' : 'illegal, the row says otherwise'}`,
      );
    if (p.illegal !== null) return;
    let want = configs.get(row.point);
    if (want === undefined) {
      want = JSON.stringify(resolveScenario(p.input).config);
      configs.set(row.point, want);
    }
    const got = (row as unknown as { config?: unknown }).config;
    if (JSON.stringify(got) !== want)
      throw new InputError(`${at.path}:${at.lineNo}: run ${row.i}: its config is not that of point ${row.point} (the row was edited or is from another sweep)`);
  };
};

const summaryLines = (summaries: readonly PointSummary[]): string => summaries.map((s) => `${JSON.stringify(s)}\n`).join('');

/** Summaries of a sweep file's runs (read in file order; the summaries do not depend on it). */
export const summarizeFile = (path: string): { header: SweepHeader; summaries: PointSummary[] } => {
  let builder: SummaryBuilder | null = null;
  const scan = scanSweepFile(path, (row, _text, header) => {
    builder ??= new SummaryBuilder(header);
    builder.add(row);
  });
  return { header: scan.header, summaries: (builder ?? new SummaryBuilder(scan.header)).summaries() };
};
