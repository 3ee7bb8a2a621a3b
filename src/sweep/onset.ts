import { findModel } from '../models/registry.js';
import { findKnob } from '../scenario/config.js';
import { InputError } from '../scenario/input-error.js';
import { resolveScenario, runScenario } from '../scenario/run.js';
import type { ScenarioFile } from '../scenario/scenario.js';
import type { Micros } from '../sim/time.js';
import type { TraceEvent } from '../sim/trace.js';

/**
 * Where a sweep places a fault given without `@START`: uniformly over one full timer period
 * after a warm-up, the same window for every point so that point k and point j with seed s see
 * the same onset (common random numbers).
 *
 * Model-agnostic: the period and the warm-up are read from a fault-free probe run of each point
 * (seed 1, the sweep's horizon, `net.loss` 0), using only the trace conventions every model keeps — the
 * server "hears" the client (`beat.recv`, `request.recv`, `probe.reply` with data.instance) and
 * a subscriber's usable view (`view.update`).
 *
 * - period of a point = the median gap between consecutive times the server hears c1: the
 *   client's beat or keep-alive cycle, round trips included (the median ignores a lost beat);
 * - warm-up of a point = when c1 has been heard twice and every subscriber lists it;
 * - the sweep's window = the largest warm-up, and the largest period, over all legal points,
 *   each rounded up to whole ms. A window at least one period long covers every phase.
 */
export interface OnsetWindow {
  readonly warmupMs: number;
  readonly periodMs: number;
}

const HEARD = new Set(['beat.recv', 'request.recv', 'probe.reply']);
const PROBE_SEED = 1;
/** The probe measures timers, not luck: livesim's generic loss knob (every model has it) is off. */
const NO_LOSS = { 'net.loss': '0' };

export interface PointTiming {
  readonly warmupUs: Micros;
  readonly periodUs: Micros;
}

/** Reads one fault-free trace; null when c1 is not heard at least three times or a subscriber never lists it. */
export const timingOf = (events: readonly TraceEvent[], instance: string, subscribers: readonly string[]): PointTiming | null => {
  const heard = events.filter((e) => HEARD.has(e.kind) && e.data?.instance === instance).map((e) => e.t);
  if (heard.length < 3) return null;
  const gaps = heard
    .slice(1)
    .map((t, k) => t - (heard[k] as number))
    .sort((a, b) => a - b);
  const periodUs = gaps[Math.floor((gaps.length - 1) / 2)] as number;
  let warmupUs = heard[1] as number;
  for (const sub of subscribers) {
    const listed = events.find(
      (e) =>
        e.host === sub &&
        e.kind === 'view.update' &&
        String(e.data?.instances ?? '')
          .split(',')
          .includes(instance),
    );
    if (listed === undefined) return null;
    warmupUs = Math.max(warmupUs, listed.t);
  }
  return { warmupUs, periodUs };
};

export const findOnsetWindow = (points: readonly { readonly index: number; readonly input: ScenarioFile }[]): OnsetWindow => {
  let warmupUs = 0;
  let periodUs = 0;
  for (const { index, input } of points) {
    const model = findModel(input.model);
    const noLoss = model !== undefined && findKnob(model, 'net.loss') !== undefined ? NO_LOSS : {};
    const sc = resolveScenario({ ...input, seed: PROBE_SEED, faults: [], set: { ...input.set, ...noLoss } });
    const { trace } = runScenario(sc);
    const subscribers = Array.from({ length: sc.subscribers }, (_, j) => `sub${j + 1}`);
    const timing = timingOf(trace, 'c1', subscribers);
    if (timing === null) {
      throw new InputError(
        `cannot place a fault without @START: in a fault-free run of point ${index} the server does not hear c1 three times (or a subscriber never lists it) within the horizon; lengthen --until or give the fault a start, e.g. cut@60s`,
      );
    }
    warmupUs = Math.max(warmupUs, timing.warmupUs);
    periodUs = Math.max(periodUs, timing.periodUs);
  }
  return { warmupMs: Math.ceil(warmupUs / 1000), periodMs: Math.max(1, Math.ceil(periodUs / 1000)) };
};
