import { type Dim, gridPoints, type Point, type TimeDim } from '../../bound/search.js';
import { type BoundMetric, type BoundTarget, fromExpectation, type SearchSpace, type SpaceOptions } from '../../bound/target.js';
import type { FaultTemplate } from '../../scenario/fault-dsl.js';
import { placeFault } from '../../scenario/fault-dsl.js';
import { parseLatency } from '../../scenario/latency-dsl.js';
import type { Scenario } from '../../scenario/run.js';
import { latencyEnvelope } from '../../sim/latency.js';
import { msToUs, usToMs } from '../../sim/time.js';
import type { TraceEvent } from '../../sim/trace.js';
import type { RegistryBounds } from '../model.js';
import { eurekaBounds, eurekaTimeline, staleAfterRemoval } from './bounds.js';
import { EUREKA_CONSTANTS, EUREKA_KEYS as KEY } from './defaults.js';
import { type EurekaSettings, eurekaSettings } from './settings.js';

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
  return wholeSecondsUs(fromUs + msToUs(afterMs));
};

const ONSET = 'onset';
const SECOND_US = msToUs(1000); // literal-ok: horizons and warm-ups in whole seconds
const wholeSecondsUs = (us: number): number => Math.ceil(us / SECOND_US) * SECOND_US;

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
  const warmUs = wholeSecondsUs(msToUs(Math.max(t.firstRenewalMax + t.cycleMax, listedMs)));
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
    const uniform = gridPoints(
      dims.filter((x) => x.kind === 'time'),
      perDim,
    );
    const fromUs = template.startUs ?? warmUs;
    const toUs = template.startUs === null ? warmUs + msToUs(t.cycleMax) + 1 : template.startUs + 1;
    return seeds.flatMap((seed) => {
      const candidates = opts.probe === undefined ? nominalEdges(s, d, fromUs, toUs) : probedEdges(s, base, seed, fromUs, toUs, opts.probe);
      const local: Dim[] = dims.flatMap((x): Dim[] => (x.kind === 'time' ? [{ kind: 'choice', name: x.name, values: candidates[x.name] ?? [x.loUs] }] : []));
      const points = [...gridPoints(local, 0), ...uniform];
      return seeds.length > 1 ? points.map((p) => ({ ...p, seed })) : points;
    });
  };
  return { dims, scenario, grid, climbStepUs: msToUs(1) };
};

type Edges = Record<string, number[]>;

/**
 * The worst case's timer edges, from the renewals heard around the onset window: the fault 1 µs
 * after a renewal's request left (so it is heard, a leg later, at h); an eviction run exactly at
 * h + 2·D (isExpired is strict: it cannot act, the next run is E later, at r); the readOnly update
 * 1 µs before r (it misses the removal; the next is at u = r + R − 1 µs); a consumer fetch heard
 * 1 µs before u (it gets the old list; the next one brings the removal).
 */
const edgesFrom = (s: EurekaSettings, sends: readonly { sentUs: number; heardUs: number }[], fetchesUs: readonly number[]): Edges => {
  const wrap = (x: number, periodMs: number): number => ((x % msToUs(periodMs)) + msToUs(periodMs)) % msToUs(periodMs);
  const out: Edges = { [ONSET]: [], [KEY.evictionPhase]: [], [KEY.cachePhase]: [], [KEY.subscriberPhase]: [] };
  for (const { sentUs, heardUs } of sends) {
    const expiryUs = heardUs + msToUs(RENEWED * s.leaseDurationMs);
    const removalUs = expiryUs + msToUs(s.evictionIntervalMs);
    const updateUs = removalUs - 1 + msToUs(s.responseCacheUpdateMs);
    out[ONSET]?.push(sentUs + 1);
    out[KEY.evictionPhase]?.push(wrap(expiryUs, s.evictionIntervalMs));
    out[KEY.cachePhase]?.push(wrap(removalUs - 1, s.responseCacheUpdateMs));
    // The probe's consumer started at 0: shifting its start shifts its fetches (its link draws are its own).
    for (const q of fetchesUs) {
      const shift = updateUs - 1 - q;
      if (shift >= 0 && shift < msToUs(s.fetchIntervalMs)) out[KEY.subscriberPhase]?.push(shift);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...new Set(v)]]));
};

/** From a fault-free probe of this seed with every phase 0: c1's renewal requests and sub1's fetches as the server saw them. */
const probedEdges = (s: EurekaSettings, base: Scenario, seed: number, fromUs: number, toUs: number, probe: (sc: Scenario) => readonly TraceEvent[]): Edges => {
  const config = { ...base.config, [KEY.evictionPhase]: 0, [KEY.cachePhase]: 0, [KEY.subscriberPhase]: 0 };
  const afterUs = msToUs(RENEWED * s.leaseDurationMs + s.evictionIntervalMs + s.responseCacheUpdateMs + PROBE_FETCHES * s.fetchIntervalMs);
  const trace = probe({ ...base, seed, config, faults: [], untilUs: wholeSecondsUs(toUs + afterUs) });
  const sent = trace.filter((e) => e.kind === 'net.send' && e.host === 'c1' && e.data?.to === 's1' && e.data?.kind === HTTP_REQUEST).map((e) => e.t);
  const heard = trace.filter((e) => e.kind === 'beat.recv' && e.data?.instance === 'c1').map((e) => e.t);
  // Each renewal heard pairs with the last request c1 sent before it.
  const sends = heard.map((h) => ({ sentUs: sent.filter((x) => x < h).at(-1) ?? h, heardUs: h })).filter((p) => p.sentUs + 1 >= fromUs && p.sentUs + 1 < toUs);
  const fetches = trace.filter((e) => e.kind === 'query.recv' && e.data?.subscriber === 'sub1').map((e) => e.t);
  return edgesFrom(s, sends, fetches);
};

/** Without a probe: the nominal timeline (every leg the envelope's middle); the climb settles the rest. */
const nominalEdges = (s: EurekaSettings, d: { min: number; max: number }, fromUs: number, toUs: number): Edges => {
  const dm = (d.min + d.max) / 2; // literal-ok: the envelope's middle
  const t = eurekaTimeline(s, { min: dm, max: dm });
  const sends: { sentUs: number; heardUs: number }[] = [];
  for (let h = t.firstRenewalMin; msToUs(h - dm) < toUs; h += t.cycleMin)
    if (msToUs(h - dm) + 1 >= fromUs) sends.push({ sentUs: msToUs(h - dm), heardUs: msToUs(h) });
  const fetchCycle = s.fetchIntervalMs + LEG_CYCLE * dm;
  const lastMs = usToMs(toUs) + RENEWED * s.leaseDurationMs + s.evictionIntervalMs + s.responseCacheUpdateMs + PROBE_FETCHES * s.fetchIntervalMs;
  const fetches = Array.from({ length: Math.ceil(lastMs / fetchCycle) }, (_, k) => msToUs(LEG_HEARD * dm + k * fetchCycle));
  return edgesFrom(s, sends, fetches);
};

/** Fetch intervals the probe runs past the latest update it may need. */
const PROBE_FETCHES = 2; // literal-ok: one fetch to miss the update, one to bring it
const HTTP_REQUEST = 'http.req';
const RENEWED = EUREKA_CONSTANTS.renewedLeaseCounts;
const LEG_CYCLE = 4; // literal-ok: SYN, SYN-ACK, request, response (src/sim/http.ts)
const LEG_HEARD = 3; // literal-ok: the request is the third leg

export const eurekaTarget: BoundTarget = { model: 'eureka', metrics: EUREKA_METRICS, space };
