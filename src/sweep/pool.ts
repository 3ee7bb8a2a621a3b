import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runItems, type WorkItem } from './task.js';

/**
 * Runs work items and hands their lines back **in item order**, whatever order the workers
 * finish in: results that arrive early wait in a bounded window until the ones before them are
 * in. With one worker the runs happen in this thread (no pool to start); with more, in piscina
 * worker threads running the compiled worker (`dist/src/sweep/worker.js`).
 */
export interface ExecuteOptions {
  readonly workers: number;
  /** Called once per item, in order. */
  readonly onLine: (line: string) => void;
  /** Runs per batch sent to a worker; default chosen from the size of the work. */
  readonly batchSize?: number;
}

/** Where the compiled worker is: beside this module when running compiled, else in dist/. */
export const workerPath = (): string => {
  const here = fileURLToPath(import.meta.url);
  const path = here.endsWith('.js')
    ? fileURLToPath(new URL('./worker.js', import.meta.url))
    : fileURLToPath(new URL('../../dist/src/sweep/worker.js', import.meta.url));
  if (!existsSync(path)) throw new Error(`the sweep worker ${path} is missing: build first (npm run build)`);
  return path;
};

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The work: `count` items, made on demand (a large sweep's tasks are never all in memory). */
export interface Work {
  readonly count: number;
  item(k: number): WorkItem;
}

export const execute = async (work: Work, opts: ExecuteOptions): Promise<void> => {
  if (work.count === 0) return;
  if (opts.workers <= 1) return executeInline(work, opts);
  return executePooled(work, opts);
};

/** In this thread, letting timers (the progress bar) run every ~50 ms. */
const executeInline = async (work: Work, opts: ExecuteOptions): Promise<void> => {
  let last = Date.now();
  for (let k = 0; k < work.count; k++) {
    for (const line of runItems([work.item(k)])) opts.onLine(line);
    if (Date.now() - last > 50) {
      await yieldToEventLoop();
      last = Date.now();
    }
  }
};

const executePooled = async (work: Work, opts: ExecuteOptions): Promise<void> => {
  const { Piscina } = await import('piscina');
  const workers = opts.workers;
  const size = opts.batchSize ?? Math.max(1, Math.min(8, Math.floor(work.count / (workers * 32))));
  const batchCount = Math.ceil(work.count / size);
  const batch = (b: number): WorkItem[] => {
    const items: WorkItem[] = [];
    for (let k = b * size; k < Math.min(work.count, (b + 1) * size); k++) items.push(work.item(k));
    return items;
  };
  const pool = new Piscina<readonly WorkItem[], string[]>({ filename: workerPath(), minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  // At most `window` batches dispatched past the first one not yet written: bounded memory,
  // and a killed sweep loses at most that many runs.
  const window = workers * 4;
  const done = new Map<number, string[]>();
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let flushed = 0;
      const pump = (): void => {
        while (next < batchCount && next < flushed + window) {
          const k = next++;
          pool
            .run(batch(k))
            .then((lines) => {
              done.set(k, lines);
              while (done.has(flushed)) {
                for (const line of done.get(flushed) as string[]) opts.onLine(line);
                done.delete(flushed);
                flushed++;
              }
              if (flushed === batchCount) resolve();
              else pump();
            })
            .catch(reject);
        }
      };
      pump();
    });
  } finally {
    await pool.destroy();
  }
};
