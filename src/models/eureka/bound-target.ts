import { type Dim, gridPoints, type Point, type TimeDim } from '../../bound/search.js';
import { type BoundMetric, type BoundTarget, fromExpectation, type SearchSpace, type SpaceOptions } from '../../bound/target.js';
import type { FaultTemplate } from '../../scenario/fault-dsl.js';
import { placeFault } from '../../scenario/fault-dsl.js';
import { parseLatency } from '../../scenario/latency-dsl.js';
import type { Scenario } from '../../scenario/run.js';
import { latencyEnvelope } from '../../sim/latency.js';
import { msToUs, usToMs } from '../../sim/time.js';
import type { RegistryBounds } from '../model.js';
import { eurekaBounds, eurekaTimeline, staleAfterRemoval } from './bounds.js';
import { EUREKA_CONSTANTS, EUREKA_KEYS as KEY } from './defaults.js';
import { eurekaSettings } from './settings.js';

const envelopeOf = (sc: Scenario) => latencyEnvelope(parseLatency(String(sc.config['net.latency'])));

/** The bounds `run` reports for this scenario (the same inputs as src/scenario/run.ts gives the hook). */
export const eurekaBoundsOf = (sc: Scenario): RegistryBounds =>
  eurekaBounds({
    config: sc.config,
    clientVersion: sc.clientVersion,
    serverVersion: sc.serverVersion,
    latency: envelopeOf(sc),
    faults: sc.faults,
    instances: sc.clients,
    servers: sc.servers,
  });

export const EUREKA_METRICS: readonly BoundMetric[] = [
  {
    id: 'detection',
    title: 'fault → the eviction task removes the instance',
    value: (m) => m.detectionMs,
    bound: (sc) => fromExpectation(eurekaBoundsOf(sc).removedFromFault),
  },
  {
    id: 'stale',
    title: "fault → the consumers' fetched view drops the instance",
    value: (m) => m.staleMs,
    bound: (sc) => fromExpectation(eurekaBoundsOf(sc).staleFromFault),
  },
];

/** Fault onset + the largest finite upper bound + 1 s, or (every bound "never") three leases and eviction runs more; whole seconds. */
const horizonUs = (sc: Scenario): number => {
  const s = eurekaSettings(sc.config);
  const fromUs = sc.faults[0]?.startUs ?? 0;
  const uppers = EUREKA_METRICS.map((m) => m.bound(sc).upperMs).filter((u): u is number => u !== null);
  const afterMs =
    uppers.length > 0
      ? Math.max(...uppers) + 1000 // literal-ok: one second past the bound
      : (s.leaseDurationMs + s.evictionIntervalMs) * 3 + s.thresholdUpdateIntervalMs; // literal-ok: three leases and runs, past one threshold update
  return Math.ceil((fromUs + msToUs(afterMs)) / 1e6) * 1e6;
};

const ONSET = 'onset';

/**
 * Where a Eureka worst case hides: the fault onset within one renewal cycle after a warm-up (the
 * first renewal heard and the consumer listing c1), the phase of the eviction timer (a run that
 * just misses the expiry costs one more interval), the phase of the readOnly-cache timer and of
 * the consumer's fetches (an update that just misses each costs one more period), and the
 * latency draws (seeds). Each is a saw-tooth the climb follows to its edge; the onset moves in
 * 1 ms steps first.
 */
const space = (base: Scenario, template: FaultTemplate, opts: SpaceOptions): SearchSpace => {
  const s = eurekaSettings(base.config);
  const lat = envelopeOf(base);
  const d = { min: usToMs(lat.minUs), max: usToMs(lat.maxUs) };
  const t = eurekaTimeline(s, d);
  const listedMs = Math.max(t.registeredMax, s.fetchIntervalMs) + staleAfterRemoval(s, d).maxMs;
  const warmUs = Math.ceil(msToUs(Math.max(t.firstRenewalMax + t.cycleMax, listedMs)) / 1e6) * 1e6;
  const dims: Dim[] = [];
  if (template.startUs === null) dims.push({ kind: 'time', name: ONSET, loUs: warmUs, hiUs: warmUs + msToUs(t.cycleMax) + 1, circular: false });
  const phase = (key: string, periodMs: number): TimeDim | null =>
    base.config[key] === 'auto' ? { kind: 'time', name: key, loUs: 0, hiUs: msToUs(periodMs), circular: true } : null;
  const phases = [
    phase(KEY.evictionPhase, s.evictionIntervalMs),
    s.readOnlyCache ? phase(KEY.cachePhase, s.responseCacheUpdateMs) : null,
    phase(KEY.subscriberPhase, s.fetchIntervalMs),
  ];
  for (const p of phases) if (p !== null) dims.push(p);
  const seeds = Array.from({ length: Math.max(1, opts.seeds) }, (_, i) => base.seed + i);
  if (seeds.length > 1) dims.push({ kind: 'choice', name: 'seed', values: seeds });

  const scenario = (p: Point): Scenario => {
    const config = { ...base.config };
    for (const key of [KEY.evictionPhase, KEY.cachePhase, KEY.subscriberPhase]) if (p[key] !== undefined) config[key] = usToMs(p[key] as number);
    const placed: Scenario = { ...base, seed: p.seed ?? base.seed, config, faults: [placeFault(template, p[ONSET] ?? (template.startUs as number))] };
    return { ...placed, untilUs: opts.untilUs ?? horizonUs(placed) };
  };
  const grid = (perDim: number): Point[] => {
    const nominal = nominalEdges(s, d, template.startUs ?? warmUs, template.startUs === null);
    const uniform = gridPoints(
      dims.filter((x) => x.kind === 'time'),
      perDim,
    );
    const candidates: Record<string, number[]> = {
      [ONSET]: nominal.onsets,
      [KEY.evictionPhase]: nominal.evictionPhases,
      [KEY.cachePhase]: nominal.cachePhases,
      [KEY.subscriberPhase]: nominal.subscriberPhases,
    };
    const local: Dim[] = dims.flatMap((x): Dim[] => (x.kind === 'time' ? [{ kind: 'choice', name: x.name, values: candidates[x.name] ?? [x.loUs] }] : []));
    const points = [...gridPoints(local, 0), ...uniform];
    return seeds.length > 1 ? seeds.flatMap((seed) => points.map((p) => ({ ...p, seed }))) : points;
  };
  return { dims, scenario, grid, climbStepUs: msToUs(1) };
};

/**
 * The timer edges of the worst case on the nominal timeline (every leg the envelope's mean; the
 * climb then settles each to the µs for the draws at hand): the fault just after a renewal's
 * request left, an eviction run exactly at that renewal + 2·D (not after it, so it cannot act),
 * the readOnly update at the next run (it runs first at a tie: its timer was armed first), and a
 * consumer fetch heard just before the update after that.
 */
const nominalEdges = (s: ReturnType<typeof eurekaSettings>, d: { min: number; max: number }, fromUs: number, searchOnset: boolean) => {
  const dm = (d.min + d.max) / 2;
  const t = eurekaTimeline(s, { min: dm, max: dm });
  const ms = usToMs(fromUs);
  const k = Math.max(0, Math.ceil((ms - t.firstRenewalMin) / t.cycleMin));
  // The renewal heard first in the onset window (searched) or the last one before the given onset.
  const heard = t.firstRenewalMin + (searchOnset ? k : Math.max(0, k - 1)) * t.cycleMin;
  const spread = [-2, 0, 2]; // literal-ok: ms either side of a nominal edge, for the climb to start from both teeth
  const wrap = (x: number, periodMs: number): number => msToUs(((x % periodMs) + periodMs) % periodMs);
  const expiry = heard + RENEWED * s.leaseDurationMs;
  const removal = expiry + s.evictionIntervalMs;
  const update = removal + s.responseCacheUpdateMs;
  const fetchCycle = s.fetchIntervalMs + LEG_CYCLE * dm;
  return {
    onsets: spread.map((x) => msToUs(heard - dm + x) + 1),
    evictionPhases: spread.map((x) => wrap(expiry + x, s.evictionIntervalMs)),
    cachePhases: spread.map((x) => wrap(removal + x, s.responseCacheUpdateMs)),
    // Fetch runs are heard 3 legs after the consumer's start and every fetch cycle after that.
    subscriberPhases: spread.map((x) => Math.min(wrap(update - LEG_HEARD * dm + x, fetchCycle), msToUs(s.fetchIntervalMs) - 1)),
  };
};

const RENEWED = EUREKA_CONSTANTS.renewedLeaseCounts;
const LEG_CYCLE = 4; // literal-ok: SYN, SYN-ACK, request, response (src/sim/http.ts)
const LEG_HEARD = 3; // literal-ok: the request is the third leg

export const eurekaTarget: BoundTarget = { model: 'eureka', metrics: EUREKA_METRICS, space };
