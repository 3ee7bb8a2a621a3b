import { type Dim, gridPoints, type Point, type TimeDim } from '../../bound/search.js';
import { type BoundMetric, type BoundTarget, fromExpectation, type SearchSpace, type SpaceOptions } from '../../bound/target.js';
import { type FaultTemplate, placeFault } from '../../scenario/fault-dsl.js';
import { parseLatency } from '../../scenario/latency-dsl.js';
import type { Scenario } from '../../scenario/run.js';
import { latencyEnvelope } from '../../sim/latency.js';
import { msToUs, usToMs } from '../../sim/time.js';
import type { RegistryBounds } from '../model.js';
import { etcdBounds } from './bounds.js';
import { ETCD_CONSTANTS as K, ETCD_KEYS as KEY } from './defaults.js';
import { ETCD } from './messages.js';
import { etcdSettings } from './settings.js';

const envelopeOf = (sc: Scenario) => latencyEnvelope(parseLatency(String(sc.config['net.latency'])));

const boundsOf = (sc: Scenario): RegistryBounds =>
  etcdBounds({
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
    id: 'detection',
    title: 'fault → the lease is revoked and the key goes',
    value: (m) => m.detectionMs,
    bound: (sc) => fromExpectation(boundsOf(sc).removedFromFault),
  },
  {
    id: 'stale',
    title: "fault → the consumers' watch drops the instance",
    value: (m) => m.staleMs,
    bound: (sc) => fromExpectation(boundsOf(sc).staleFromFault),
  },
];

const SECOND_US = msToUs(K.secondMs);
const wholeSecondsUs = (us: number): number => Math.ceil(us / SECOND_US) * SECOND_US;
const ONSET = 'onset';

/**
 * Where an etcd worst case hides: the onset within one keepalive cycle (TTL/3 plus up to a
 * 500 ms pass plus the round trip), and the phase of the lessor's 500 ms passes (a lease whose
 * expiry falls just after a pass waits a whole pass more). The grid puts the onset 1 µs after
 * each keepalive c1 sent in a fault-free probe and a pass 1 µs before that keepalive heard + TTL.
 */
const space = (base: Scenario, template: FaultTemplate, opts: SpaceOptions): SearchSpace => {
  const s = etcdSettings(base.config);
  const cycleUs = s.keepAliveAfterUs + msToUs(K.sendLoopMs) + msToUs(K.secondMs);
  const passUs = msToUs(K.lessorCheckMs);
  const warmUs = wholeSecondsUs(cycleUs + cycleUs);
  const dims: Dim[] = [];
  if (template.startUs === null) dims.push({ kind: 'time', name: ONSET, loUs: warmUs, hiUs: warmUs + cycleUs + 1, circular: false });
  const phase: TimeDim | null = base.config[KEY.lessorPhase] === 'auto' ? { kind: 'time', name: KEY.lessorPhase, loUs: 0, hiUs: passUs, circular: true } : null;
  if (phase !== null) dims.push(phase);
  const seeds = Array.from({ length: Math.max(1, opts.seeds) }, (_, i) => base.seed + i);
  if (seeds.length > 1) dims.push({ kind: 'choice', name: 'seed', values: seeds });
  const scenario = (p: Point): Scenario => {
    const config = p[KEY.lessorPhase] === undefined ? base.config : { ...base.config, [KEY.lessorPhase]: usToMs(p[KEY.lessorPhase] as number) };
    const placed: Scenario = { ...base, seed: p.seed ?? base.seed, config, faults: [placeFault(template, p[ONSET] ?? (template.startUs as number))] };
    const uppers = METRICS.map((m) => m.bound(placed).upperMs).filter((u): u is number => u !== null);
    const afterUs = msToUs(uppers.length > 0 ? Math.max(...uppers) : s.ttlMs + s.ttlMs) + SECOND_US;
    return { ...placed, untilUs: opts.untilUs ?? wholeSecondsUs((placed.faults[0]?.startUs ?? 0) + afterUs) };
  };
  const grid = (perDim: number): Point[] => {
    const fromUs = template.startUs ?? warmUs;
    const toUs = template.startUs === null ? warmUs + cycleUs + 1 : fromUs + 1;
    return seeds.flatMap((seed) => {
      const onsets: number[] = [];
      const phases: number[] = [];
      if (opts.probe !== undefined) {
        const trace = opts.probe({ ...base, seed, faults: [], untilUs: wholeSecondsUs(toUs + cycleUs) });
        const sent = trace.filter((e) => e.kind === 'net.send' && e.host === 'c1' && e.data?.to === 's1' && e.data?.kind === ETCD.keepAlive).map((e) => e.t);
        const heard = trace.filter((e) => e.kind === 'beat.recv' && e.data?.instance === 'c1').map((e) => e.t);
        sent.forEach((t, k) => {
          if (t + 1 < fromUs || t + 1 >= toUs) return;
          onsets.push(t + 1);
          const h = heard[k] ?? t;
          phases.push((((h + msToUs(s.ttlMs) - 1) % passUs) + passUs) % passUs);
        });
      }
      const local: Dim[] = dims.flatMap((x): Dim[] =>
        x.kind !== 'time'
          ? []
          : [{ kind: 'choice', name: x.name, values: (x.name === ONSET ? onsets : phases).length > 0 ? (x.name === ONSET ? onsets : phases) : [x.loUs] }],
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

export const etcdTarget: BoundTarget = { model: 'etcd', metrics: METRICS, space };
