import { getHeapStatistics } from 'node:v8';
import { InputError } from './input-error.js';
import { runScenario, type Scenario } from './run.js';
import { LIMITS } from './scenario.js';

/**
 * How much a run will need, found before it starts (issue 20 item 3): `--set beat.interval=1ms
 * --until 1d` grew to 4.6 GB with no output and V8 aborted it. The estimate uses the model's own
 * rates — a pilot: the same scenario with at most PILOT_CLIENTS clients runs for PILOT_EVENTS
 * events, and its event rate and its retained-trace rate (the followed client's and the
 * subscribers' events, which a run keeps for its metrics) are extrapolated to the horizon, the
 * total events scaled by clients (every client beats; the kernel stops at LIMITS.maxEvents in any
 * case). Memory is the retained events plus the world (per client) plus the program. The pilot
 * steps every client through the kernel (quiet: false): quiet clients are stepped to the horizon
 * when a run ends, which for a day of 1 ms beats is the whole cost the pilot is meant to avoid.
 */
export const PILOT_EVENTS = 5_000;
export const PILOT_CLIENTS = 4;
/**
 * Heap per retained trace event: 218–340 bytes measured (v8 heapUsed before/after a pilot of
 * 20 k and 100 k events of `nacos-v1 --set beat.interval=1ms`, Node 20, this machine), the larger
 * taken so that the estimate errs towards refusing early rather than aborting late.
 */
export const BYTES_PER_RETAINED_EVENT = 340;
/** Heap per client of the world: 300 MB for 100 000 nacos-v1 clients at start (measured as above). */
export const BYTES_PER_CLIENT = 3_000;
/** The program itself (models, zod, yargs) before a run: ~60 MB heap after start-up. */
export const BASE_BYTES = 64 * 1024 * 1024;

export interface RunEstimate {
  /** Kernel events the run will process (at most LIMITS.maxEvents: the run stops there). */
  readonly events: number;
  /** Trace events kept in memory. */
  readonly retained: number;
  readonly bytes: number;
}

export const estimateRun = (sc: Scenario): RunEstimate => {
  let clients = Math.min(sc.clients, PILOT_CLIENTS);
  let pilot: ReturnType<typeof runScenario>;
  try {
    pilot = runScenario({ ...sc, clients }, { trace: 'followed', eventBudget: PILOT_EVENTS, quiet: false });
  } catch {
    // A fault that names a client past the pilot's (cut:c9): pilot with every client.
    clients = sc.clients;
    pilot = runScenario(sc, { trace: 'followed', eventBudget: PILOT_EVENTS, quiet: false });
  }
  const stop = pilot.result.stop;
  const untilMs = sc.untilUs / 1000;
  // A pilot that ran to the horizon measured the whole run (of its clients); else extrapolate.
  const scale = stop.reason === 'event-budget' && stop.atMs > 0 ? untilMs / stop.atMs : 1;
  const events = Math.min(LIMITS.maxEvents, stop.events * scale * (sc.clients / clients));
  const retained = Math.min(events, pilot.trace.length * scale);
  return {
    events: Math.round(events),
    retained: Math.round(retained),
    bytes: BASE_BYTES + retained * BYTES_PER_RETAINED_EVENT + sc.clients * BYTES_PER_CLIENT,
  };
};

/** The default memory limit: 90 % of this process's V8 heap limit (a run past it aborts). */
export const defaultMemoryLimit = (): number => Math.floor(getHeapStatistics().heap_size_limit * 0.9);

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i;
const UNIT: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `--max-memory 8G` → bytes; undefined → the default limit. */
export const parseMemoryLimit = (text: unknown): number => {
  if (text === undefined) return defaultMemoryLimit();
  if (Array.isArray(text)) throw new InputError('--max-memory given more than once (give it once)');
  const m = SIZE.exec(String(text).trim());
  const bytes = m === null ? Number.NaN : Number(m[1]) * (UNIT[(m[2] ?? '').toLowerCase()] as number);
  if (!Number.isFinite(bytes) || bytes < 1024 ** 2) throw new InputError(`--max-memory '${String(text)}': expected a size of at least 1M, e.g. 512M, 8G`);
  return Math.floor(bytes);
};

export const formatBytes = (n: number): string => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let k = 0;
  let v = n;
  while (v >= 1024 && k < units.length - 1) {
    v /= 1024;
    k++;
  }
  return `${v >= 100 || k === 0 ? Math.round(v) : v.toFixed(1)} ${units[k]}`;
};

const count = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toPrecision(3)} M` : String(Math.round(n)));

/** Refuses (exit 2) a run whose estimate passes the limit, saying both and how to go on. */
export const checkEstimate = (what: string, e: RunEstimate, limitBytes: number): void => {
  if (e.bytes <= limitBytes) return;
  const raise =
    limitBytes < defaultMemoryLimit()
      ? 'raise it with --max-memory'
      : `give node more heap (NODE_OPTIONS=--max-old-space-size=${Math.ceil((e.bytes * 1.2) / 1024 ** 2)}) and --max-memory ${Math.ceil((e.bytes * 1.1) / 1024 ** 3)}G`;
  throw new InputError(
    `${what} needs about ${formatBytes(e.bytes)} (${count(e.events)} events, ${count(e.retained)} kept for the metrics), more than the limit ${formatBytes(limitBytes)}: shorten --until, lengthen the timers, or ${raise}`,
  );
};
