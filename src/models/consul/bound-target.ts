import { type Dim, gridPoints, type Point } from '../../bound/search.js';
import { type BoundMetric, type BoundTarget, fromExpectation, type SearchSpace, type SpaceOptions } from '../../bound/target.js';
import { type FaultTemplate, placeFault } from '../../scenario/fault-dsl.js';
import { parseLatency } from '../../scenario/latency-dsl.js';
import type { Scenario } from '../../scenario/run.js';
import { latencyEnvelope } from '../../sim/latency.js';
import { msToUs } from '../../sim/time.js';
import type { RegistryBounds } from '../model.js';
import { consulBounds } from './bounds.js';
import { CONSUL_CONSTANTS as K, CONSUL_KEYS as KEY } from './defaults.js';
import { ML } from './messages.js';
import { consulSettings } from './settings.js';

const boundsOf = (sc: Scenario): RegistryBounds =>
  consulBounds({
    config: sc.config,
    clientVersion: sc.clientVersion,
    serverVersion: sc.serverVersion,
    latency: latencyEnvelope(parseLatency(String(sc.config['net.latency']))),
    faults: sc.faults,
    instances: sc.clients,
    servers: sc.servers,
    subscribers: sc.subscribers,
  });

const sinceFault = (at: number | null, fault: number | null): number | null => (at === null || fault === null ? null : at - fault);

const METRICS: readonly BoundMetric[] = [
  {
    id: 'unhealthy',
    title: 'fault → the server no longer lists c1 as passing (serfHealth or its check critical)',
    value: (m) => sinceFault(m.serverUnhealthyAtMs, m.faultAtMs),
    bound: (sc) => fromExpectation(boundsOf(sc).unhealthyFromFault),
  },
  {
    id: 'stale',
    title: "fault → the consumers' health?passing watch drops c1",
    value: (m) => m.staleMs,
    bound: (sc) => fromExpectation(boundsOf(sc).staleFromFault),
  },
  {
    id: 'removed',
    title: 'fault → the service is deregistered from the catalog',
    value: (m) => m.detectionMs,
    bound: (sc) => fromExpectation(boundsOf(sc).removedFromFault),
  },
];

const SECOND_US = msToUs(K.secondMs);
const wholeSecondsUs = (us: number): number => Math.ceil(us / SECOND_US) * SECOND_US;
const ONSET = 'onset';
const ALIGNED = 'aligned';
/** The onsets the grid tries at most (each is a run). */
const MAX_ONSETS = 200; // literal-ok: search budget, not a Consul constant
/** Probe intervals the node path's onsets span. */
const NODE_SPAN_TICKS = 60; // literal-ok: search budget, not a Consul constant

/**
 * Where a Consul worst case hides: the onset just after the last thing that still got through.
 * On the application path that is a pass of the TTL check, or an HTTP check that passed (the check then lasts a whole TTL, and
 * after some pass the critical time plus D lands exactly on a reaper tick, which cannot act on it:
 * CriticalFor() > timeout is strict). On the node path it is an ack c1 sent a prober (the next
 * probes of c1 are then as far off as the shuffles allow). The grid puts the onset 1 µs after each of
 * those instants read off a fault-free probe; seeds vary the shuffles and the latency draws, and on
 * the node path the agents either keep their drawn start phases or all start together (then every
 * prober's probe of c1 falls in the same instant, and all of them can next reach it 2M − 3 ticks on).
 */
const space = (base: Scenario, template: FaultTemplate, opts: SpaceOptions): SearchSpace => {
  const s = consulSettings(base.config);
  const ttlPath = template.kind === 'crash' || template.kind === 'pause';
  const checkEveryMs = s.checkType === 'ttl' ? s.ttlUpdateIntervalMs : s.checkIntervalMs;
  const periodMs = ttlPath ? Math.max(checkEveryMs, K.checkReapIntervalMs) : s.probeIntervalMs;
  const warmUs = wholeSecondsUs(msToUs(Math.max(s.ttlMs, K.checkReapIntervalMs)));
  const spanUs = msToUs(periodMs) * (ttlPath ? K.randomDrawsPerNode : NODE_SPAN_TICKS);
  const dims: Dim[] = [];
  if (template.startUs === null) dims.push({ kind: 'time', name: ONSET, loUs: warmUs, hiUs: warmUs + spanUs, circular: false });
  const seeds = Array.from({ length: Math.max(1, opts.seeds) }, (_, i) => base.seed + i);
  if (seeds.length > 1) dims.push({ kind: 'choice', name: 'seed', values: seeds });
  // Agents drawn at their own phases, or all started together (their probes of c1 then coincide: the node path's worst case).
  const phased = base.config[KEY.agentPhase] === 'auto' && !ttlPath;
  if (phased) dims.push({ kind: 'choice', name: ALIGNED, values: [0, 1] });
  const scenario = (p: Point): Scenario => {
    const config = p[ALIGNED] === 1 ? { ...base.config, [KEY.agentPhase]: 0 } : base.config;
    const placed: Scenario = { ...base, seed: p.seed ?? base.seed, config, faults: [placeFault(template, p[ONSET] ?? (template.startUs as number))] };
    const uppers = METRICS.map((m) => m.bound(placed).upperMs).filter((u): u is number => u !== null);
    const afterUs = msToUs(uppers.length > 0 ? Math.max(...uppers) : s.ttlMs + K.checkReapIntervalMs) + SECOND_US;
    return { ...placed, untilUs: opts.untilUs ?? wholeSecondsUs((placed.faults[0]?.startUs ?? 0) + afterUs) };
  };
  const grid = (perDim: number): Point[] => {
    const fromUs = template.startUs ?? warmUs;
    const toUs = template.startUs === null ? warmUs + spanUs : fromUs + 1;
    const variants = seeds.flatMap((seed) => (phased ? [0, 1] : [0]).map((aligned) => ({ seed, aligned })));
    return variants.flatMap(({ seed, aligned }) => {
      const onsets: number[] = [];
      if (opts.probe !== undefined && template.startUs === null) {
        const config = aligned === 1 ? { ...base.config, [KEY.agentPhase]: 0 } : base.config;
        const trace = opts.probe({ ...base, seed, config, faults: [], untilUs: wholeSecondsUs(toUs) });
        const last = ttlPath
          ? trace.filter((e) => e.kind === 'check.update' && e.host === 'c1')
          : trace.filter((e) => e.kind === 'net.send' && e.host === 'c1' && e.data?.kind === ML.ack);
        for (const e of last) if (e.t + 1 >= fromUs && e.t + 1 < toUs && onsets.length < MAX_ONSETS) onsets.push(e.t + 1);
      }
      const local: Dim[] = dims.flatMap((x): Dim[] =>
        x.kind === 'time' ? [{ kind: 'choice', name: x.name, values: onsets.length > 0 ? onsets : [x.loUs] }] : [],
      );
      const points = [
        ...gridPoints(local, 0),
        ...gridPoints(
          dims.filter((x) => x.kind === 'time'),
          perDim,
        ),
      ];
      const tagged = phased ? points.map((p) => ({ ...p, [ALIGNED]: aligned })) : points;
      return seeds.length > 1 ? tagged.map((p) => ({ ...p, seed })) : tagged;
    });
  };
  return { dims, scenario, grid, climbStepUs: msToUs(1) };
};

export const consulTarget: BoundTarget = { model: 'consul', metrics: METRICS, space };
