import { type Dim, gridPoints, type Point, type TimeDim } from '../../bound/search.js';
import { type BoundMetric, type BoundTarget, fromExpectation, type SearchSpace, type SpaceOptions } from '../../bound/target.js';
import { type FaultTemplate, placeFault } from '../../scenario/fault-dsl.js';
import { parseLatency } from '../../scenario/latency-dsl.js';
import type { Scenario } from '../../scenario/run.js';
import { latencyEnvelope } from '../../sim/latency.js';
import { msToUs, usToMs } from '../../sim/time.js';
import type { RegistryBounds } from '../model.js';
import { k8sBounds, LEGS_PER_CALL, listedByMs, renewCycleMaxMs } from './bounds.js';
import { K8S_KEYS as KEY } from './defaults.js';
import { K8S } from './messages.js';
import { k8sSettings } from './settings.js';

const envelopeOf = (sc: Scenario) => latencyEnvelope(parseLatency(String(sc.config['net.latency'])));

const boundsOf = (sc: Scenario): RegistryBounds =>
  k8sBounds({
    config: sc.config,
    clientVersion: sc.clientVersion,
    serverVersion: sc.serverVersion,
    latency: envelopeOf(sc),
    faults: sc.faults,
    instances: sc.clients,
    servers: sc.servers,
  });

const METRICS: readonly BoundMetric[] = [
  {
    id: 'not-ready',
    title: 'fault → the pod is NotReady at the API server (node lease lapsed, or readiness probe / PLEG)',
    // In whole µs, as the other metrics are (usToMs of a µs difference).
    value: (m) => (m.serverUnhealthyAtMs === null || m.faultAtMs === null ? null : Math.round((m.serverUnhealthyAtMs - m.faultAtMs) * US_PER_MS) / US_PER_MS),
    bound: (sc) => fromExpectation(boundsOf(sc).unhealthyFromFault),
  },
  {
    id: 'stale',
    title: "fault → the consumers' kube-proxy rules drop the endpoint",
    value: (m) => m.staleMs,
    bound: (sc) => fromExpectation(boundsOf(sc).staleFromFault),
  },
  {
    id: 'detection',
    title: 'fault → the taint eviction controller deletes the pod',
    value: (m) => m.detectionMs,
    bound: (sc) => fromExpectation(boundsOf(sc).removedFromFault),
  },
];

const US_PER_MS = 1000; // literal-ok: µs in a ms
const SECOND_US = msToUs(1000); // literal-ok: horizons and warm-ups in whole seconds
const wholeSecondsUs = (us: number): number => Math.ceil(us / SECOND_US) * SECOND_US;
const ONSET = 'onset';
/** Without a finite bound: the grace, the taint's pass and the tainting pass's slack, then the toleration. */
const PASSES_AFTER_GRACE = 2; // literal-ok: the marking pass and the queueing pass

/**
 * Where a Kubernetes worst case hides: the onset within one renewal cycle after a warm-up (1 µs
 * after a renewal left: it is the last heard), the monitor phase (a pass 1 µs before that renewal
 * is heard observes it one whole period late), the probe phase (a probe 1 µs before a pause
 * succeeds; the next fails a whole period later), and the latency and jitter draws (seeds).
 */
const space = (base: Scenario, template: FaultTemplate, opts: SpaceOptions): SearchSpace => {
  const s = k8sSettings(base.config, base.serverVersion);
  const lat = envelopeOf(base);
  const d = { min: usToMs(lat.minUs), max: usToMs(lat.maxUs) };
  const cycleUs = msToUs(renewCycleMaxMs(s, d));
  const warmUs = wholeSecondsUs(msToUs(Math.max(listedByMs(s, d), s.renewIntervalMs + LEGS_PER_CALL * d.max)) + cycleUs);
  const dims: Dim[] = [];
  if (template.startUs === null) dims.push({ kind: 'time', name: ONSET, loUs: warmUs, hiUs: warmUs + cycleUs + 1, circular: false });
  const phase = (key: string, periodMs: number): TimeDim | null =>
    base.config[key] === 'auto' ? { kind: 'time', name: key, loUs: 0, hiUs: msToUs(periodMs), circular: true } : null;
  for (const p of [phase(KEY.monitorPhase, s.monitorPeriodMs), phase(KEY.probePhase, s.probePeriodMs)]) if (p !== null) dims.push(p);
  const seeds = Array.from({ length: Math.max(1, opts.seeds) }, (_, i) => base.seed + i);
  if (seeds.length > 1) dims.push({ kind: 'choice', name: 'seed', values: seeds });
  const scenario = (p: Point): Scenario => {
    const config = { ...base.config };
    for (const key of [KEY.monitorPhase, KEY.probePhase]) if (p[key] !== undefined) config[key] = usToMs(p[key] as number);
    const placed: Scenario = { ...base, seed: p.seed ?? base.seed, config, faults: [placeFault(template, p[ONSET] ?? (template.startUs as number))] };
    const uppers = METRICS.map((m) => m.bound(placed).upperMs).filter((u): u is number => u !== null);
    const afterMs = uppers.length > 0 ? Math.max(...uppers) : s.graceMs + s.tolerationMs + PASSES_AFTER_GRACE * s.monitorPeriodMs;
    return { ...placed, untilUs: opts.untilUs ?? wholeSecondsUs((placed.faults[0]?.startUs ?? 0) + msToUs(afterMs) + SECOND_US) };
  };
  const grid = (perDim: number): Point[] => {
    const fromUs = template.startUs ?? warmUs;
    const toUs = template.startUs === null ? warmUs + cycleUs + 1 : fromUs + 1;
    const M = msToUs(s.monitorPeriodMs);
    const P = msToUs(s.probePeriodMs);
    return seeds.flatMap((seed) => {
      const onsets: number[] = [];
      const monitor: number[] = [];
      const probe: number[] = [];
      if (opts.probe !== undefined) {
        const trace = opts.probe({ ...base, seed, faults: [], untilUs: wholeSecondsUs(toUs + cycleUs) });
        const sent = trace.filter((e) => e.kind === 'net.send' && e.host === 'c1' && e.data?.to === 's1' && e.data?.kind === K8S.request).map((e) => e.t);
        const heard = trace.filter((e) => e.kind === 'beat.recv' && e.data?.instance === 'c1').map((e) => e.t);
        for (const h of heard) {
          const sentUs = sent.filter((x) => x < h).at(-1) ?? h;
          if (sentUs + 1 < fromUs || sentUs + 1 >= toUs) continue;
          onsets.push(sentUs + 1);
          monitor.push((((h - 1) % M) + M) % M);
          // A probe 1 µs before the onset passes; the next is a whole period later.
          probe.push((((sentUs + 1 - 1) % P) + P) % P);
        }
      }
      const values: Record<string, number[]> = { [ONSET]: onsets, [KEY.monitorPhase]: monitor, [KEY.probePhase]: probe };
      const local: Dim[] = dims.flatMap((x): Dim[] =>
        x.kind !== 'time' ? [] : [{ kind: 'choice', name: x.name, values: (values[x.name] ?? []).length > 0 ? [...new Set(values[x.name])] : [x.loUs] }],
      );
      const points = [
        ...gridPoints(local, 0),
        ...gridPoints(
          dims.filter((x) => x.kind === 'time'),
          perDim,
        ),
      ];
      return seeds.length > 1 ? points.map((p) => ({ ...p, seed })) : points;
    });
  };
  return { dims, scenario, grid, climbStepUs: msToUs(1) };
};

export const k8sTarget: BoundTarget = { model: 'kubernetes', metrics: METRICS, space };
