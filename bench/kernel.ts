import type { Lane } from '../src/sim/lane.js';
import { Simulation } from '../src/sim/simulation.js';
import { BareHeap } from './bare-heap.js';

/**
 * Hold-model benchmark: `pending` events in the queue; each event, when it runs, schedules one
 * more at an exponential gap (mean 1 ms) drawn from a precomputed table, so both contenders do
 * exactly the same heap work and neither pays for random number generation.
 */
export interface KernelBenchResult {
  readonly pending: number;
  readonly events: number;
  readonly bareEventsPerSec: number;
  readonly kernelEventsPerSec: number;
  readonly ratio: number;
}

/**
 * Seconds of CPU time (user + system) this process spends in `run`: on a shared machine another
 * process's load stretches wall time but not this, so rounds of the two contenders compare.
 */
const cpuSeconds = (run: () => void): number => {
  const t0 = process.cpuUsage();
  run();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e6;
};

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const GAPS = 1 << 16;
const gapTable = (): Float64Array => {
  const g = new Float64Array(GAPS);
  let x = 123456789;
  for (let i = 0; i < GAPS; i++) {
    // xorshift32: deterministic gaps without touching the simulation's streams.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const u = ((x >>> 0) + 1) / 4294967297;
    g[i] = Math.max(1, Math.round(-Math.log(u) * 1000));
  }
  return g;
};

const bare = (pending: number, events: number, gaps: Float64Array): number => {
  const h = new BareHeap();
  for (let i = 0; i < pending; i++) h.push(gaps[i & (GAPS - 1)] as number, i);
  return cpuSeconds(() => {
    for (let n = 0; n < events; n++) {
      h.pop();
      h.push(h.topTime + (gaps[n & (GAPS - 1)] as number), h.topId);
    }
  });
};

const kernel = (pending: number, events: number, gaps: Float64Array): number => {
  const sim = new Simulation(1);
  let n = 0;
  const step = (arg: unknown): void => {
    sim.schedule(gaps[n++ & (GAPS - 1)] as number, step, arg);
  };
  for (let i = 0; i < pending; i++) sim.schedule(gaps[i & (GAPS - 1)] as number, step, i);
  return cpuSeconds(() => sim.run(Number.POSITIVE_INFINITY, events));
};

export const benchKernel = (pending: number, events: number, rounds = 5): KernelBenchResult => {
  const gaps = gapTable();
  // Warm up both paths, then alternate rounds so that drift in machine load hits both alike; the
  // ratio is the median of the rounds' paired ratios, the rates each side's median round.
  bare(pending, Math.min(events, 200_000), gaps);
  kernel(pending, Math.min(events, 200_000), gaps);
  const bareS: number[] = [];
  const kernelS: number[] = [];
  for (let r = 0; r < rounds; r++) {
    bareS.push(bare(pending, events, gaps));
    kernelS.push(kernel(pending, events, gaps));
  }
  const ratio = median(bareS.map((b, r) => b / (kernelS[r] as number)));
  return { pending, events, bareEventsPerSec: events / median(bareS), kernelEventsPerSec: events / median(kernelS), ratio };
};

/**
 * Periodic-timer variant of the hold model: pending event i reschedules itself every
 * FIXED_DELAYS_US[i % 4] (first at a phase from the gap table), as beats and sweeps do; the
 * first `pending` events (the phases) run untimed, so the timed part is the steady state. The
 * kernel runs it twice, with `Simulation.schedule` (heap) and with `Simulation.lane` (one FIFO
 * lane per delay, same order), next to the bare heap doing the same pushes.
 */
export interface LanesBenchResult {
  readonly pending: number;
  readonly events: number;
  readonly bareEventsPerSec: number;
  readonly heapEventsPerSec: number;
  readonly lanesEventsPerSec: number;
  /** Lanes ÷ bare heap. */
  readonly ratio: number;
}

const FIXED_DELAYS_US = [1_000, 5_000, 15_000, 30_000];

const bareFixed = (pending: number, events: number, gaps: Float64Array): number => {
  const h = new BareHeap();
  for (let i = 0; i < pending; i++) h.push(gaps[i & (GAPS - 1)] as number, i);
  const step = (): void => {
    h.pop();
    h.push(h.topTime + (FIXED_DELAYS_US[h.topId & 3] as number), h.topId);
  };
  for (let n = 0; n < pending; n++) step(); // untimed: every event past its first phase
  return cpuSeconds(() => {
    for (let n = 0; n < events; n++) step();
  });
};

const kernelFixed = (pending: number, events: number, gaps: Float64Array, lanes: boolean): number => {
  const sim = new Simulation(1);
  const onLane = FIXED_DELAYS_US.map((d) => sim.lane(d));
  const step = lanes
    ? (arg: unknown): void => {
        (onLane[(arg as number) & 3] as Lane).schedule(step, arg);
      }
    : (arg: unknown): void => {
        sim.schedule(FIXED_DELAYS_US[(arg as number) & 3] as number, step, arg);
      };
  for (let i = 0; i < pending; i++) sim.schedule(gaps[i & (GAPS - 1)] as number, step, i);
  sim.run(Number.POSITIVE_INFINITY, pending); // untimed: the first phases come off the heap
  return cpuSeconds(() => sim.run(Number.POSITIVE_INFINITY, pending + events));
};

export const benchKernelLanes = (pending: number, events: number, rounds = 3): LanesBenchResult => {
  const gaps = gapTable();
  const warm = Math.min(events, 200_000);
  bareFixed(pending, warm, gaps);
  kernelFixed(pending, warm, gaps, false);
  kernelFixed(pending, warm, gaps, true);
  let bestBare = Number.POSITIVE_INFINITY;
  let bestHeap = Number.POSITIVE_INFINITY;
  let bestLanes = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    bestBare = Math.min(bestBare, bareFixed(pending, events, gaps));
    bestHeap = Math.min(bestHeap, kernelFixed(pending, events, gaps, false));
    bestLanes = Math.min(bestLanes, kernelFixed(pending, events, gaps, true));
  }
  const bareEventsPerSec = events / bestBare;
  const lanesEventsPerSec = events / bestLanes;
  return { pending, events, bareEventsPerSec, heapEventsPerSec: events / bestHeap, lanesEventsPerSec, ratio: lanesEventsPerSec / bareEventsPerSec };
};

/** Bytes of heap per pending kernel event (needs --expose-gc for a clean reading). */
export const kernelBytesPerPending = (pending: number): number | null => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return null;
  gc();
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const sim = new Simulation(1);
  const fn = (): void => undefined;
  for (let i = 0; i < pending; i++) sim.schedule(i, fn, i);
  gc();
  const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const bytes = (after - before) / pending;
  sim.run(-1);
  return bytes;
};
