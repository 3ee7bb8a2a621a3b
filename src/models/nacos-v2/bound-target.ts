import { type V2Bounds, v2Bounds } from '../../analysis/bounds-v2.js';
import { type Dim, gridPoints, type Point, type TimeDim } from '../../bound/search.js';
import { type BoundMetric, type BoundTarget, fromExpectation, metricsOf, probeOf, type SearchSpace, type SpaceOptions } from '../../bound/target.js';
import { type FaultTemplate, placeFault } from '../../scenario/fault-dsl.js';
import { parseLatency } from '../../scenario/latency-dsl.js';
import type { Scenario } from '../../scenario/run.js';
import { type LatencySpec, latencyEnvelope, sampleLatency } from '../../sim/latency.js';
import { RandomStreams } from '../../sim/random.js';
import { msToUs, US_PER_S } from '../../sim/time.js';
import type { TraceEvent } from '../../sim/trace.js';
import { V2_CONSTANTS as K, V2_KEYS } from './defaults.js';
import { v2ProviderSettings } from './sdk-go.js';
import { HEALTH_SLEEP_MAX_MS, healthAttempts, healthSleeps, type V2Settings } from './settings.js';

/** The v2 model's settings of a concrete scenario (client and server releases settled). */
export const v2SettingsOf = (sc: Scenario): V2Settings => v2ProviderSettings(sc.config, { client: sc.clientVersion, server: sc.serverVersion });

/** The v2 analytic bounds of a concrete scenario (what `run` reports as `bounds`). */
export const v2BoundsOf = (sc: Scenario): V2Bounds =>
  v2Bounds({
    config: sc.config,
    clientVersion: sc.clientVersion,
    serverVersion: sc.serverVersion,
    latency: latencyEnvelope(parseLatency(String(sc.config['net.latency']))),
    faults: sc.faults,
    instances: sc.clients,
    servers: sc.servers,
  });

const since = (t: number | null, from: number | null): number | null => (t === null || from === null ? null : Math.round((t - from) * 1000) / 1000); // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant

export const V2_METRICS: readonly BoundMetric[] = [
  {
    id: 'detection',
    title: 'fault → server removes the instance',
    value: (m) => m.detectionMs,
    bound: (sc) => fromExpectation(v2BoundsOf(sc).removedFromFault),
  },
  {
    id: 'client',
    title: 'fault → the client declares its connection dead',
    value: (m) => since(m.clientDetectedAtMs, m.faultAtMs),
    bound: (sc) => fromExpectation(v2BoundsOf(sc).clientDetectedFromFault),
  },
  {
    id: 'stale',
    title: "fault → the subscribers' view drops the instance",
    value: (m) => m.staleMs,
    bound: (sc) => fromExpectation(v2BoundsOf(sc).staleFromFault),
  },
];

/** Longest health-check cycle: keep-alive, the sleeps, and one round trip. */
const cycleUs = (s: V2Settings, dMaxUs: number): number => msToUs(s.keepAliveMs + healthSleeps(s) * HEALTH_SLEEP_MAX_MS) + 2 * dMaxUs; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant

/**
 * A horizon long enough for every finite bound of the scenario to play out (fault onset + the
 * largest finite upper bound + 1 s); where no bound is finite, two ejector windows (or the gRPC
 * server keep-alive where there is no ejector) after the client's longest failing health check,
 * plus a minute. Rounded up to whole seconds.
 */
export const v2HorizonUs = (sc: Scenario): number => {
  const s = v2SettingsOf(sc);
  const fromUs = sc.faults[0]?.startUs ?? 0;
  const uppers = V2_METRICS.map((m) => m.bound(sc).upperMs).filter((u): u is number => u !== null);
  const silentMs = s.ejection ? 2 * (K.idleLimitMs + K.ejectorPeriodMs + s.probeWaitMs) : s.serverKeepAliveMs + s.serverKeepAliveTimeoutMs; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  const clientMs = s.keepAliveMs + healthAttempts(s) * (s.healthTimeoutMs + HEALTH_SLEEP_MAX_MS);
  const afterMs = uppers.length > 0 ? Math.max(...uppers) + 1000 : clientMs + silentMs + 60_000; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  return Math.ceil((fromUs + msToUs(afterMs)) / US_PER_S) * US_PER_S;
};

const ONSET = 'onset';
const PHASE = V2_KEYS.ejectorPhase;
/** Faults the server learns of by a close (FIN or RST): one latency draw decides. */
const CLOSES: ReadonlySet<string> = new Set(['rst', 'crash']);
/** Silent faults: the onset window, at least this long and this many health-check cycles (more cycles, more draws). */
const SILENT_WINDOW_US = 2 * 60 * US_PER_S; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
const SILENT_CYCLES = 12; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
/** Without an ejector a run lasts the gRPC keep-alive (hours): a few cycles. */
const SILENT_CYCLES_NO_EJECTOR = 4; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
/** Silent faults: per ranking (longest gap, slowest request), how many health checks give grid onsets. */
const SILENT_EXTREMES = 3; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
const SILENT_EXTREMES_NO_EJECTOR = 1;
/** Close faults: how long the onset window runs, to offer enough latency draws (≈ 2 per cycle on each link). */
const CLOSE_WINDOW_US = 20 * 60 * US_PER_S; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
/** Close faults: per link and goal, how many of the most extreme draws become grid points. */
const CLOSE_EXTREMES = 3; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant

/**
 * The v2 worst case hides in four places (docs/bounds.md §v2.6):
 *  - the fault onset against the client's health-check cycle (keep-alive poll, the 0–499 ms sleep
 *    of 2.2.4+, round trips): which request is the last one heard, and how long after it the
 *    fault comes;
 *  - the phase of the server's connection ejector (`sim.ejectorPhase`: first run, then every 3 s;
 *    in Nacos fixed by when the server started, long before the client connected): whether a run
 *    falls exactly 20 s after the last message heard (the lower end) or 1 µs short of it (the
 *    next run, 3 s later, is the upper end);
 *  - the latency draws, and for resets and crashes the single draw of the packet that closes the
 *    connection: the kernel draws every link's latencies from its own stream (src/sim/random.ts),
 *    so replaying that stream says which onset gets which draw;
 *  - the seed (latency and sleep draws together).
 * Silent faults (cut, oneway, pause): the health checks of a two-minute window with the longest
 * gaps and the slowest requests give the onsets where the windows have their edges (exchangeEdges),
 * each paired with the two ejector phases that put a run exactly at, and 1 µs before, lastHeard +
 * 20 s, where lastHeard is read off one short run of that onset (it does not depend on the phase).
 * Close faults (rst, crash): every gap between two datagrams on
 * a link in a 20-minute window gives the closing packet the next draw of that link; the grid takes
 * the gaps with the largest and smallest draws (c1→s1 for the removal, s1→c1 for the client), and
 * for the removal also the instants in them that put the removal just after, or on, a push-engine tick.
 */
const space = (base: Scenario, template: FaultTemplate, opts: SpaceOptions): SearchSpace => {
  const s = v2SettingsOf(base);
  const spec = parseLatency(String(base.config['net.latency']));
  const env = latencyEnvelope(spec);
  const close = CLOSES.has(template.kind);
  const cycle = cycleUs(s, env.maxUs);
  const warmUs = Math.ceil((msToUs(2 * s.keepAliveMs + s.serverCheckTimeoutMs) + cycle) / US_PER_S) * US_PER_S; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  const windowUs = close ? CLOSE_WINDOW_US : s.ejection ? Math.max(SILENT_WINDOW_US, SILENT_CYCLES * cycle) : SILENT_CYCLES_NO_EJECTOR * cycle;
  const onsetDim: TimeDim | null = template.startUs === null ? { kind: 'time', name: ONSET, loUs: warmUs, hiUs: warmUs + windowUs, circular: false } : null;
  const periodUs = msToUs(K.ejectorPeriodMs);
  const phaseDim: TimeDim | null =
    s.ejection && !close && base.config[PHASE] === 'auto' ? { kind: 'time', name: PHASE, loUs: 0, hiUs: periodUs, circular: true } : null;
  const seeds = Array.from({ length: Math.max(1, opts.seeds) }, (_, i) => base.seed + i);
  const dims: Dim[] = [onsetDim, phaseDim].filter((d): d is TimeDim => d !== null);
  if (seeds.length > 1) dims.push({ kind: 'choice', name: 'seed', values: seeds });

  const place = (p: Point, untilUs: number | null): Scenario => {
    const onsetUs = p[ONSET] ?? (template.startUs as number);
    const phaseUs = p[PHASE];
    const placed: Scenario = {
      ...base,
      seed: p.seed ?? base.seed,
      config: phaseUs === undefined ? base.config : { ...base.config, [PHASE]: phaseUs / 1000 }, // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
      faults: [placeFault(template, onsetUs)],
    };
    return { ...placed, untilUs: untilUs ?? v2HorizonUs(placed) };
  };
  const scenario = (p: Point): Scenario => place(p, opts.untilUs);

  const loUs = onsetDim?.loUs ?? (template.startUs as number);
  const hiUs = onsetDim?.hiUs ?? loUs + 1;
  const probe = (seed: number): readonly TraceEvent[] => probeOf(opts)({ ...base, seed, faults: [], untilUs: hiUs + cycle });
  const withSeed =
    (seed: number) =>
    (p: Point): Point =>
      seeds.length > 1 ? { ...p, seed } : p;

  const silentGrid = (seed: number, perDim: number): Point[] => {
    const trace = probe(seed);
    const edges = exchangeEdges(trace, loUs, hiUs, s.ejection ? SILENT_EXTREMES : SILENT_EXTREMES_NO_EJECTOR);
    // No idle health check in the window (a client the ejector probes instead): every datagram of two cycles.
    const fallback = () =>
      linkSends(trace, 'c1', 's1', true)
        .flatMap((t) => [t, t + 1])
        .filter((t) => t >= loUs && t < Math.min(hiUs, loUs + 2 * cycle)); // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
    const onsets = onsetDim === null ? [loUs] : edges.length > 0 ? edges : fallback();
    if (phaseDim === null) return [...onsets, ...(onsetDim === null ? [] : uniform(onsetDim, perDim))].map((t) => withSeed(seed)({ [ONSET]: t }));
    // lastHeard does not depend on the ejector phase: one short run per onset reads it.
    const lastHeardUs = (onsetUs: number): number | null => {
      const p: Point = onsetDim === null ? { seed } : { [ONSET]: onsetUs, seed };
      const sc = place(p, null);
      const untilUs = onsetUs + msToUs(s.keepAliveMs + healthSleeps(s) * HEALTH_SLEEP_MAX_MS + healthAttempts(s) * s.healthTimeoutMs) + 2 * env.maxUs + 1; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
      const heard = metricsOf(opts)({ ...sc, untilUs }).lastHeardAtMs;
      return heard === null ? null : msToUs(heard);
    };
    const idleUs = msToUs(K.idleLimitMs);
    const points = onsets.flatMap((t) => {
      const l = lastHeardUs(t);
      if (l === null) return [];
      return [0, -1].map((delta) => ({ [ONSET]: t, [PHASE]: mod(l + idleUs + delta, periodUs) }));
    });
    const plain = onsetDim === null ? [] : gridPoints([onsetDim, phaseDim], perDim);
    return [...points, ...plain].map((p) => (onsetDim === null ? { [PHASE]: p[PHASE] as number } : p)).map(withSeed(seed));
  };

  const closeGrid = (seed: number, perDim: number): Point[] => {
    if (onsetDim === null) return [withSeed(seed)({})];
    const trace = probe(seed);
    const tickUs = msToUs(K.pushEngineTickMs);
    const delayUs = msToUs(s.pushTaskDelayMs);
    const onsets: number[] = [];
    for (const [from, to, forRemoval] of [
      ['c1', 's1', true],
      ['s1', 'c1', false],
    ] as const) {
      for (const g of extremeGaps(trace, seed, spec, from, to, loUs, hiUs)) {
        onsets.push(g.loUs);
        if (!forRemoval) continue;
        // The removal lands at F + d: put it 1 µs after (or on) a push-engine tick, where the push waits longest (shortest).
        for (const residue of [1, 0]) {
          const t = g.loUs + mod(residue - (g.loUs + g.drawUs + delayUs), tickUs);
          if (t <= g.hiUs) onsets.push(t);
        }
      }
    }
    return [...new Set([...onsets, ...uniform(onsetDim, perDim)])].map((t) => withSeed(seed)({ [ONSET]: t }));
  };

  const grid = (perDim: number): Point[] => seeds.flatMap((seed) => (close ? closeGrid(seed, perDim) : silentGrid(seed, perDim)));
  return { dims, scenario, grid, climbStepUs: close || phaseDim === null ? 1 : 16 }; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
};

const mod = (x: number, m: number): number => ((x % m) + m) % m;

const uniform = (d: TimeDim, n: number): number[] => gridPoints([d], n).map((p) => p[d.name] as number);

/**
 * The onsets where the silent faults' windows have their edges, for the health checks that come
 * closest to them. Each check k leaves c1 at S(k), is heard at R(k) (its answer leaves then) and
 * is followed by the next at S(k+1): the gap S(k+1) − R(k) = answer latency + keep-alive + sleep
 * sets how early the last message heard can be (a fault at S(k+1) stops the next check: removal's
 * lower end; at R(k) + 1 µs the answer gets through and the client's next check fails: the client's
 * upper end), and the latency R(k) − S(k) how late (a fault at S(k) + 1 µs: removal's upper end; at
 * R(k) the answer is lost: the client's lower end). The checks with the largest gaps and latencies
 * in [loUs, hiUs) give S(k), S(k) + 1, R(k), R(k) + 1 and S(k+1).
 */
const exchangeEdges = (trace: readonly TraceEvent[], loUs: number, hiUs: number, extremes: number): number[] => {
  const sent = trace.filter((e) => e.kind === 'health-check.send' && e.host === 'c1').map((e) => e.t);
  const heard = trace.filter((e) => e.kind === 'request.recv' && e.data?.instance === 'c1' && e.data?.type === 'healthCheck').map((e) => e.t);
  const checks: { sentUs: number; heardUs: number; nextUs: number }[] = [];
  for (let k = 0; k + 1 < Math.min(sent.length, heard.length); k++) {
    const c = { sentUs: sent[k] as number, heardUs: heard[k] as number, nextUs: sent[k + 1] as number };
    if (c.sentUs >= loUs && c.nextUs < hiUs && c.heardUs >= c.sentUs) checks.push(c);
  }
  const top = (by: (c: (typeof checks)[number]) => number) => [...checks].sort((a, b) => by(b) - by(a) || a.sentUs - b.sentUs).slice(0, extremes);
  const chosen = new Set([...top((c) => c.nextUs - c.heardUs), ...top((c) => c.heardUs - c.sentUs)]);
  return [...new Set([...chosen].flatMap((c) => [c.sentUs, c.sentUs + 1, c.heardUs, c.heardUs + 1, c.nextUs]))].sort((a, b) => a - b);
};

/** Send instants of the datagrams from → to (or both ways). */
const linkSends = (trace: readonly TraceEvent[], from: string, to: string, bothWays = false): number[] =>
  trace
    .filter(
      (e) => e.kind === 'net.send' && e.data?.fate === 'sent' && ((e.host === from && e.data?.to === to) || (bothWays && e.host === to && e.data?.to === from)),
    )
    .map((e) => e.t);

interface Gap {
  readonly loUs: number;
  readonly hiUs: number;
  readonly drawUs: number;
}

/**
 * The latency the first packet sent on `from → to` at or after an onset gets is the link's next
 * draw: the number of datagrams that link carried before decides which. Replaying the link's own
 * stream (seeded from the run seed and its name alone, src/sim/random.ts; drawn once per datagram
 * that is not dropped, src/sim/network.ts) gives every gap between two of them its draw; the gaps
 * inside [loUs, hiUs) with the largest and the smallest draws are returned, as onset ranges.
 */
export const extremeGaps = (trace: readonly TraceEvent[], seed: number, spec: LatencySpec, from: string, to: string, loUs: number, hiUs: number): Gap[] => {
  const sends = linkSends(trace, from, to);
  const rng = new RandomStreams(seed).get(`net.latency:${from}>${to}`);
  const gaps: Gap[] = [];
  for (let k = 0; k <= sends.length; k++) {
    const drawUs = sampleLatency(spec, rng);
    const lo = Math.max(loUs, k === 0 ? 0 : (sends[k - 1] as number) + 1);
    const hi = Math.min(hiUs - 1, k === sends.length ? hiUs - 1 : (sends[k] as number) - 1);
    if (lo <= hi) gaps.push({ loUs: lo, hiUs: hi, drawUs });
  }
  const byDraw = [...gaps].sort((a, b) => a.drawUs - b.drawUs || a.loUs - b.loUs);
  return [...byDraw.slice(0, CLOSE_EXTREMES), ...byDraw.slice(-CLOSE_EXTREMES)];
};

export const nacosV2Target: BoundTarget = { model: 'nacos-v2', metrics: V2_METRICS, space };

/**
 * Why a live client of this scenario could lose its instance with no fault at all (or null: it is
 * inside the envelope): loss, or a round trip as long as a timeout that must see an answer — a
 * health-check attempt, the ejector's probe, a PING of either side's gRPC keep-alive, a request
 * (the registration), the connect budget (TCP handshake + ServerCheck: two round trips).
 */
export const v2SafeEnvelope = (sc: Scenario): string | null => {
  const s = v2SettingsOf(sc);
  if (Number(sc.config['net.loss']) > 0) return 'net.loss > 0';
  const rttMs = (2 * latencyEnvelope(parseLatency(String(sc.config['net.latency']))).maxUs) / 1000; // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  const timeouts: readonly [string, number][] = [
    ['health-check timeout', s.healthTimeoutMs],
    ['probe timeout', s.probeTimeoutMs],
    ['server PING timeout', s.serverKeepAliveTimeoutMs],
    ['client PING timeout', s.channelKeepAliveTimeoutMs],
    ['request timeout', s.requestTimeoutMs],
    ['connect budget (two round trips)', s.serverCheckTimeoutMs / 2], // literal-ok: derivation arithmetic (one-way legs, µs/ms/s rounding, search margins), no protocol constant
  ];
  const short = timeouts.find(([, ms]) => rttMs >= ms);
  return short === undefined ? null : `a round trip (${rttMs} ms) reaches the ${short[0]} (${short[1]} ms)`;
};
