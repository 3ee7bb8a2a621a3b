import { type V1Bounds, v1Bounds } from '../../analysis/bounds.js';
import { type Dim, gridPoints, type Point, type TimeDim } from '../../bound/search.js';
import { type BoundMetric, type BoundTarget, fromExpectation, probeOf, type SearchSpace, type SpaceOptions } from '../../bound/target.js';
import { type FaultTemplate, placeFault } from '../../scenario/fault-dsl.js';
import { parseLatency } from '../../scenario/latency-dsl.js';
import type { Scenario } from '../../scenario/run.js';
import { type LatencyEnvelope, latencyEnvelope } from '../../sim/latency.js';
import { msToUs, usToMs } from '../../sim/time.js';
import { V1_CONSTANTS, V1_KEYS } from './defaults.js';
import { type V1Settings, v1Settings } from './settings.js';

/** The v1 analytic bounds of a concrete scenario (what `run` reports as `bounds`). */
export const v1BoundsOf = (sc: Scenario): V1Bounds =>
  v1Bounds({
    config: sc.config,
    clientVersion: sc.clientVersion,
    serverVersion: sc.serverVersion,
    latency: latencyEnvelope(parseLatency(String(sc.config['net.latency']))),
    faults: sc.faults,
    instances: sc.clients,
    servers: sc.servers,
  });

const since = (t: number | null, from: number | null): number | null => (t === null || from === null ? null : Math.round((t - from) * 1000) / 1000); // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant

export const V1_METRICS: readonly BoundMetric[] = [
  {
    id: 'detection',
    title: 'fault → server removes the instance',
    value: (m) => m.detectionMs,
    bound: (sc) => fromExpectation(v1BoundsOf(sc).removedFromFault),
  },
  {
    id: 'unhealthy',
    title: 'fault → server marks the instance unhealthy',
    value: (m) => since(m.serverUnhealthyAtMs, m.faultAtMs),
    bound: (sc) => fromExpectation(v1BoundsOf(sc).unhealthyFromFault),
  },
  {
    id: 'stale',
    title: "fault → the subscribers' view drops the instance",
    value: (m) => m.staleMs,
    bound: (sc) => fromExpectation(v1BoundsOf(sc).staleFromFault),
  },
];

/**
 * A horizon long enough for every finite bound of the scenario to play out (fault onset + the
 * largest finite upper bound + 1 s), or, where every bound is "never", a few delete timeouts
 * more; rounded up to whole seconds.
 */
export const v1HorizonUs = (sc: Scenario): number => {
  const s = v1Settings(sc.config, sc.clientVersion);
  const fromUs = sc.faults[0]?.startUs ?? 0;
  const uppers = V1_METRICS.map((m) => m.bound(sc).upperMs).filter((u): u is number => u !== null);
  const afterMs = uppers.length > 0 ? Math.max(...uppers) + 1000 : 3 * (Math.max(s.beatTimeoutMs, s.deleteTimeoutMs) + V1_CONSTANTS.beatCheckPeriodMs) + 60_000; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  return Math.ceil((fromUs + msToUs(afterMs)) / 1e6) * 1e6; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
};

const ONSET = 'onset';
const PHASE = V1_KEYS.checkPhase;

/** One-way legs in the shortest beat cycle: request and response on a kept connection (1.2.0+, src/sim/http.ts), else SYN, SYN-ACK, request, response. */
const beatCycleLegsMin = (s: V1Settings): number => (s.reusesConnections ? 2 : 4); // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant

/** The longest shift of the second onset window, in subscriber poll cycles: it lengthens every run in it. */
const MAX_SHIFT_POLL_CYCLES = 3; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant

/**
 * The subscribers' view drops the instance at the push, pushDelay after the removal — unless the
 * subscriber's own poll (every cacheMillis + 4 one-way latencies, on a grid fixed by its start)
 * reaches the server in the push window W = pushDelay + 5·dmax after the removal and brings the
 * empty list first. A removal at its latest lies a fixed time after a beat heard, so the onset
 * window (one beat cycle) decides where it falls on the poll grid; k beat cycles later the removal
 * moves by S ∈ [k·(P + L·dmin), k·(P + 4·dmax)] against that grid (L = 2 for a 1.2.0+ client, whose
 * beats mostly reuse the kept connection: request and response; 4 for a new connection), whose own n cycles span
 * Σ ∈ [n·(cache + 4·dmin), n·(cache + 4·dmax)]. If |S − Σ| ≥ W for every n, a poll that lands in the
 * push window of one removal cannot land in the other's: one of the two windows reaches the push
 * path's upper end. Returns the smallest such k (a second onset window k beat cycles later), or
 * null when none within MAX_SHIFT_POLL_CYCLES poll cycles exists (the beat and poll grids are
 * locked: P close to a multiple of cacheMillis) or push is off.
 */
export const v1PollShiftCycles = (s: V1Settings, latency: LatencyEnvelope): number | null => {
  if (!s.pushEnabled) return null;
  const windowUs = msToUs(V1_CONSTANTS.pushDelayMs) + 5 * latency.maxUs; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  const beat = { lo: msToUs(s.replyBeatIntervalMs) + beatCycleLegsMin(s) * latency.minUs, hi: msToUs(s.replyBeatIntervalMs) + 4 * latency.maxUs }; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  const poll = { lo: msToUs(s.pushCacheMillis) + 4 * latency.minUs, hi: msToUs(s.pushCacheMillis) + 4 * latency.maxUs }; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  for (let k = 1; k * beat.hi <= MAX_SHIFT_POLL_CYCLES * poll.hi; k++) {
    const [sLo, sHi] = [k * beat.lo, k * beat.hi];
    let clear = true;
    for (let n = 0; n * poll.lo <= sHi + windowUs && clear; n++) clear = sLo - n * poll.hi >= windowUs || sHi - n * poll.lo <= -windowUs;
    if (clear) return k;
  }
  return null;
};

/**
 * The v1 worst case hides in four places: the fault onset within one beat cycle (P + 4 one-way
 * latencies) after a warm-up, the phase of the service's beat-check task (`sim.checkPhase`,
 * fixed in Nacos by when the service was created), the latency draws (the seed), and where the
 * removal falls on the subscriber's poll grid (v1PollShiftCycles: a second onset window k beat
 * cycles later). The timer grid enumerates, per seed and window, every instant a datagram leaves
 * between c1 and s1 in the window (and each SYN minus P: when the previous reply landed), ±1 µs,
 * against every check phase that puts a check exactly one timeout (heartbeat or delete) after a
 * beat heard nearby.
 */
const space = (base: Scenario, template: FaultTemplate, opts: SpaceOptions): SearchSpace => {
  const s = v1Settings(base.config, base.clientVersion);
  const latency = latencyEnvelope(parseLatency(String(base.config['net.latency'])));
  const dMaxMs = usToMs(latency.maxUs);
  const checkUs = msToUs(V1_CONSTANTS.beatCheckPeriodMs);
  const cycleUs = msToUs(s.replyBeatIntervalMs + 4 * dMaxMs) + 1; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  // Warm-up: two beat cycles after the first beat, and past the subscriber's first poll cycle.
  const warmMs = Math.max(s.beatIntervalMs + 2 * s.replyBeatIntervalMs, s.pushCacheMillis + V1_CONSTANTS.pushDelayMs); // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  const warmUs = Math.ceil(msToUs(warmMs) / 1e6) * 1e6 + checkUs; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  // Onset windows: one beat cycle, and, where a poll may beat the push, the same datagrams k beat
  // cycles later (each cycle is P + 4 draws).
  const k = template.startUs === null ? v1PollShiftCycles(s, latency) : null;
  const beatUs = { lo: msToUs(s.replyBeatIntervalMs) + beatCycleLegsMin(s) * latency.minUs, hi: msToUs(s.replyBeatIntervalMs) + 4 * latency.maxUs }; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  const first = { loUs: warmUs, hiUs: warmUs + cycleUs };
  const shifted = k === null ? null : { loUs: warmUs + k * beatUs.lo, hiUs: warmUs + cycleUs + k * beatUs.hi };
  const lastUs = (shifted ?? first).hiUs;
  // The latest removal after a beat heard at h (a check at h + D does not act, the next one does).
  const latestRemovalUs = msToUs(s.deleteTimeoutMs + V1_CONSTANTS.beatCheckPeriodMs + V1_CONSTANTS.selfDeleteMs);
  const pushWindowUs = msToUs(V1_CONSTANTS.pushDelayMs) + 5 * latency.maxUs; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  const onsetDim: TimeDim | null = template.startUs === null ? { kind: 'time', name: ONSET, loUs: warmUs, hiUs: lastUs, circular: false } : null;
  const phaseDim: TimeDim | null = base.config[PHASE] === 'auto' ? { kind: 'time', name: PHASE, loUs: 0, hiUs: checkUs, circular: true } : null;
  const seeds = Array.from({ length: Math.max(1, opts.seeds) }, (_, i) => base.seed + i);
  const dims: Dim[] = [onsetDim, phaseDim].filter((d): d is TimeDim => d !== null);
  if (seeds.length > 1) dims.push({ kind: 'choice', name: 'seed', values: seeds });

  const scenario = (p: Point): Scenario => {
    const onsetUs = p[ONSET] ?? (template.startUs as number);
    const phaseUs = p[PHASE];
    const placed: Scenario = {
      ...base,
      seed: p.seed ?? base.seed,
      config: phaseUs === undefined ? base.config : { ...base.config, [PHASE]: usToMs(phaseUs) },
      faults: [placeFault(template, onsetUs)],
    };
    return { ...placed, untilUs: opts.untilUs ?? v1HorizonUs(placed) };
  };

  const grid = (perDim: number): Point[] =>
    seeds.flatMap((seed) => {
      const fixed = { loUs: template.startUs as number, hiUs: (template.startUs as number) + 1 };
      // Long enough to see the subscriber's polls after the latest removals of the first window's beats.
      const probeUs = onsetDim === null ? fixed.hiUs + cycleUs : Math.max(lastUs + cycleUs, first.hiUs + 2 * cycleUs + latestRemovalUs + pushWindowUs); // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
      const trace = probeOf(opts)({ ...base, seed, faults: [], untilUs: probeUs });
      const edges = trace
        .filter((e) => e.kind === 'net.send' && ((e.host === 'c1' && e.data?.to === 's1') || (e.host === 's1' && e.data?.to === 'c1')))
        .flatMap((e) => (e.host === 'c1' && e.data?.kind === 'tcp.syn' ? [e.t, e.t - msToUs(s.replyBeatIntervalMs)] : [e.t]));
      const beatsHeard = trace.filter((e) => e.kind === 'beat.recv' && e.data?.instance === 'c1').map((e) => e.t);
      const polls = trace.filter((e) => e.kind === 'query.recv' && e.host === 's1').map((e) => e.t);
      const around = (w: { loUs: number; hiUs: number }, t: number): boolean => t >= w.loUs - cycleUs && t < w.hiUs + cycleUs;
      // The shifted window only where a poll reaches the server in the push window after the latest
      // removal of a beat heard around the first one (the faulted run's polls are the probe's: the
      // subscriber's links draw from streams of their own).
      const pollFirst = beatsHeard
        .filter((h) => around(first, h))
        .some((h) => polls.some((q) => q >= h + latestRemovalUs && q < h + latestRemovalUs + pushWindowUs));
      const windows = onsetDim === null ? [fixed] : shifted !== null && pollFirst ? [first, shifted] : [first];
      const timeouts = [s.beatTimeoutMs, s.deleteTimeoutMs].map(msToUs);
      return windows.flatMap((win) => {
        const near = (t: number, before: number, after: number): boolean => t >= win.loUs - before && t < win.hiUs + after;
        const onsets =
          onsetDim === null
            ? []
            : [...edges.flatMap((t) => [t, t + 1]).filter((t) => near(t, 0, 0)), ...uniform({ ...onsetDim, loUs: win.loUs, hiUs: win.hiUs }, perDim)];
        const heards = beatsHeard.filter((t) => near(t, cycleUs, cycleUs));
        const phases =
          phaseDim === null
            ? []
            : [...heards.flatMap((h) => timeouts.flatMap((x) => [(h + x) % checkUs, (h + x + 1) % checkUs])), ...uniform(phaseDim, perDim)];
        const local: Dim[] = [];
        if (onsetDim !== null) local.push({ kind: 'choice', name: ONSET, values: [...new Set(onsets)] });
        if (phaseDim !== null) local.push({ kind: 'choice', name: PHASE, values: [...new Set(phases)] });
        return gridPoints(local, 0).map((p) => (seeds.length > 1 ? { ...p, seed } : p));
      });
    });

  return { dims, scenario, grid, climbStepUs: 1000 }; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
};

const uniform = (d: TimeDim, n: number): number[] => gridPoints([d], n).map((p) => p[d.name] as number);

export const nacosV1Target: BoundTarget = { model: 'nacos-v1', metrics: V1_METRICS, space };
