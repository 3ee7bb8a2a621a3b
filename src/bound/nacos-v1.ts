import { type V1Bounds, v1Bounds } from '../analysis/bounds.js';
import { V1_CONSTANTS, V1_KEYS } from '../models/nacos-v1/defaults.js';
import { v1Settings } from '../models/nacos-v1/settings.js';
import { type FaultTemplate, placeFault } from '../scenario/fault-dsl.js';
import { parseLatency } from '../scenario/latency-dsl.js';
import { runScenario, type Scenario } from '../scenario/run.js';
import { latencyEnvelope } from '../sim/latency.js';
import { msToUs, usToMs } from '../sim/time.js';
import { type Dim, gridPoints, type Point, type TimeDim } from './search.js';
import { type BoundMetric, type BoundTarget, fromExpectation, type SearchSpace, type SpaceOptions } from './target.js';

/** The v1 analytic bounds of a concrete scenario (what `run` reports as `bounds`). */
export const v1BoundsOf = (sc: Scenario): V1Bounds =>
  v1Bounds({
    config: sc.config,
    clientVersion: sc.clientVersion,
    latency: latencyEnvelope(parseLatency(String(sc.config['net.latency']))),
    faults: sc.faults,
    instances: sc.clients,
    servers: sc.servers,
  });

const since = (t: number | null, from: number | null): number | null => (t === null || from === null ? null : Math.round((t - from) * 1000) / 1000);

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
  const afterMs = uppers.length > 0 ? Math.max(...uppers) + 1000 : 3 * (Math.max(s.beatTimeoutMs, s.deleteTimeoutMs) + V1_CONSTANTS.beatCheckPeriodMs) + 60_000;
  return Math.ceil((fromUs + msToUs(afterMs)) / 1e6) * 1e6;
};

const ONSET = 'onset';
const PHASE = V1_KEYS.checkPhase;

/**
 * The v1 worst case hides in three places: the fault onset within one beat cycle (P + 4 one-way
 * latencies) after a warm-up, the phase of the service's beat-check task (`sim.checkPhase`,
 * fixed in Nacos by when the service was created), and the latency draws (the seed). The timer
 * grid enumerates, per seed, every instant a datagram leaves between c1 and s1 in the onset
 * window (and each SYN minus P: when the previous reply landed), ±1 µs, against every check
 * phase that puts a check exactly one timeout (heartbeat or delete) after a beat heard nearby.
 */
const space = (base: Scenario, template: FaultTemplate, opts: SpaceOptions): SearchSpace => {
  const s = v1Settings(base.config, base.clientVersion);
  const dMaxMs = usToMs(latencyEnvelope(parseLatency(String(base.config['net.latency']))).maxUs);
  const checkUs = msToUs(V1_CONSTANTS.beatCheckPeriodMs);
  const cycleUs = msToUs(s.replyBeatIntervalMs + 4 * dMaxMs) + 1;
  // Warm-up: two beat cycles after the first beat, and past the subscriber's first poll cycle.
  const warmMs = Math.max(s.beatIntervalMs + 2 * s.replyBeatIntervalMs, s.pushCacheMillis + V1_CONSTANTS.pushDelayMs);
  const warmUs = Math.ceil(msToUs(warmMs) / 1e6) * 1e6 + checkUs;
  const onsetDim: TimeDim | null = template.startUs === null ? { kind: 'time', name: ONSET, loUs: warmUs, hiUs: warmUs + cycleUs, circular: false } : null;
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
      const loUs = onsetDim?.loUs ?? (template.startUs as number);
      const hiUs = onsetDim?.hiUs ?? loUs + 1;
      const { trace } = runScenario({ ...base, seed, faults: [], untilUs: hiUs + cycleUs });
      const near = (t: number, before: number, after: number): boolean => t >= loUs - before && t < hiUs + after;
      const edges = trace
        .filter((e) => e.kind === 'net.send' && ((e.host === 'c1' && e.data?.to === 's1') || (e.host === 's1' && e.data?.to === 'c1')))
        .flatMap((e) => (e.host === 'c1' && e.data?.kind === 'tcp.syn' ? [e.t, e.t - msToUs(s.replyBeatIntervalMs)] : [e.t]));
      const onsets = onsetDim === null ? [] : [...edges.flatMap((t) => [t, t + 1]).filter((t) => near(t, 0, 0)), ...uniform(onsetDim, perDim)];
      const heards = trace.filter((e) => e.kind === 'beat.recv' && e.data?.instance === 'c1' && near(e.t, cycleUs, cycleUs)).map((e) => e.t);
      const timeouts = [s.beatTimeoutMs, s.deleteTimeoutMs].map(msToUs);
      const phases =
        phaseDim === null ? [] : [...heards.flatMap((h) => timeouts.flatMap((x) => [(h + x) % checkUs, (h + x + 1) % checkUs])), ...uniform(phaseDim, perDim)];
      const local: Dim[] = [];
      if (onsetDim !== null) local.push({ kind: 'choice', name: ONSET, values: [...new Set(onsets)] });
      if (phaseDim !== null) local.push({ kind: 'choice', name: PHASE, values: [...new Set(phases)] });
      return gridPoints(local, 0).map((p) => (seeds.length > 1 ? { ...p, seed } : p));
    });

  return { dims, scenario, grid, climbStepUs: 1000 };
};

const uniform = (d: TimeDim, n: number): number[] => gridPoints([d], n).map((p) => p[d.name] as number);

export const nacosV1Target: BoundTarget = { model: 'nacos-v1', metrics: V1_METRICS, space };
