import { type Dim, gridPoints, type Point, type TimeDim } from '../../bound/search.js';
import { type BoundMetric, type BoundTarget, fromExpectation, type SearchSpace, type SpaceOptions } from '../../bound/target.js';
import { type FaultTemplate, placeFault } from '../../scenario/fault-dsl.js';
import { parseLatency } from '../../scenario/latency-dsl.js';
import type { Scenario } from '../../scenario/run.js';
import { latencyEnvelope } from '../../sim/latency.js';
import { msToUs, usToMs } from '../../sim/time.js';
import type { RegistryBounds } from '../model.js';
import { zkBounds } from './bounds.js';
import { ZK_KEYS as KEY } from './defaults.js';
import { ZK } from './messages.js';
import { zkSettings } from './settings.js';

const envelopeOf = (sc: Scenario) => latencyEnvelope(parseLatency(String(sc.config['net.latency'])));

const boundsOf = (sc: Scenario): RegistryBounds =>
  zkBounds({
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
    title: 'fault → the session expires and the ephemeral node goes',
    value: (m) => m.detectionMs,
    bound: (sc) => fromExpectation(boundsOf(sc).removedFromFault),
  },
  {
    id: 'stale',
    title: "fault → the consumers' watch re-read drops the instance",
    value: (m) => m.staleMs,
    bound: (sc) => fromExpectation(boundsOf(sc).staleFromFault),
  },
];

const SECOND_US = msToUs(1000); // literal-ok: horizons and warm-ups in whole seconds
const wholeSecondsUs = (us: number): number => Math.ceil(us / SECOND_US) * SECOND_US;
const ONSET = 'onset';

/**
 * Where a ZooKeeper worst case hides: the onset within one ping interval after two pings, and the
 * phase of the expiry buckets (a session whose deadline lands exactly on a bucket boundary waits a
 * whole tick more). The grid puts the onset 1 µs after each ping c1 sent in a fault-free probe and
 * the bucket boundary exactly at that ping heard + T.
 */
const space = (base: Scenario, template: FaultTemplate, opts: SpaceOptions): SearchSpace => {
  const s = zkSettings(base.config);
  const P = msToUs(s.pingAfterMs);
  const warmUs = wholeSecondsUs(P + P);
  const dims: Dim[] = [];
  if (template.startUs === null) dims.push({ kind: 'time', name: ONSET, loUs: warmUs, hiUs: warmUs + P + 1, circular: false });
  const phase: TimeDim | null =
    base.config[KEY.tickPhase] === 'auto' ? { kind: 'time', name: KEY.tickPhase, loUs: 0, hiUs: msToUs(s.tickMs), circular: true } : null;
  if (phase !== null) dims.push(phase);
  const seeds = Array.from({ length: Math.max(1, opts.seeds) }, (_, i) => base.seed + i);
  if (seeds.length > 1) dims.push({ kind: 'choice', name: 'seed', values: seeds });
  const scenario = (p: Point): Scenario => {
    const config = p[KEY.tickPhase] === undefined ? base.config : { ...base.config, [KEY.tickPhase]: usToMs(p[KEY.tickPhase] as number) };
    const placed: Scenario = { ...base, seed: p.seed ?? base.seed, config, faults: [placeFault(template, p[ONSET] ?? (template.startUs as number))] };
    const uppers = METRICS.map((m) => m.bound(placed).upperMs).filter((u): u is number => u !== null);
    const afterUs = msToUs(uppers.length > 0 ? Math.max(...uppers) : s.sessionMs + s.sessionMs) + SECOND_US;
    return { ...placed, untilUs: opts.untilUs ?? wholeSecondsUs((placed.faults[0]?.startUs ?? 0) + afterUs) };
  };
  const grid = (perDim: number): Point[] => {
    const fromUs = template.startUs ?? warmUs;
    const toUs = template.startUs === null ? warmUs + P + 1 : fromUs + 1;
    return seeds.flatMap((seed) => {
      const onsets: number[] = [];
      const phases: number[] = [];
      if (opts.probe !== undefined) {
        const trace = opts.probe({ ...base, seed, faults: [], untilUs: wholeSecondsUs(toUs + P) });
        const sent = trace.filter((e) => e.kind === 'net.send' && e.host === 'c1' && e.data?.to === 's1' && e.data?.kind === ZK.ping).map((e) => e.t);
        const heard = trace.filter((e) => e.kind === 'beat.recv' && e.data?.instance === 'c1').map((e) => e.t);
        sent.forEach((t, k) => {
          if (t + 1 < fromUs || t + 1 >= toUs) return;
          onsets.push(t + 1);
          const h = heard[k] ?? t;
          const tick = msToUs(s.tickMs);
          phases.push((((h + msToUs(s.sessionMs)) % tick) + tick) % tick);
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

export const zkTarget: BoundTarget = { model: 'zookeeper', metrics: METRICS, space };
