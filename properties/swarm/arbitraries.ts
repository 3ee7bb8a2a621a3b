import fc from 'fast-check';
import type { FaultKind } from '../../src/sim/faults.js';

/**
 * Random swarm cases: one scenario with several faults at once, overlapping in time, over Nacos
 * 1.x and 2.x, one server or a cluster of three. A case is what a user could type: the fault
 * DSL's text (src/scenario/fault-dsl.ts), so a failure prints as a `livesim run …` line.
 *
 * The faults share one window: a base onset T after start-up, each fault starting within 20 s of
 * T and lasting 0.5-60 s (or, where the kind allows it, never healing), so two or more are
 * active together in most cases. `pinned` forces two kinds into every case with overlapping
 * windows: the interactions the suite must have covered (cut + pause, flap + server-crash,
 * loss + one-way).
 */
export type SwarmModel = 'nacos-v1' | 'nacos-v2';

export interface SwarmCase {
  readonly model: SwarmModel;
  readonly seed: number;
  readonly servers: 1 | 3;
  readonly clients: number;
  readonly subscribers: number;
  readonly latency: string;
  readonly faults: readonly string[];
}

/** Horizon of every case: long enough for the slowest default removal (1.x: 30 s after the last beat; 2.x cluster: expiry 3 min) after the last fault. */
export const SWARM_UNTIL = '6m';

/** The kinds each model takes (its `faultKinds`), as the generator spells them. */
const KINDS: Record<SwarmModel, readonly FaultKind[]> = {
  'nacos-v1': ['cut', 'oneway', 'crash', 'pause', 'server-pause', 'loss', 'delay', 'flap', 'beat-error', 'server-crash', 'server-cut', 'peer-cut', 'rack-cut'],
  'nacos-v2': [
    'cut',
    'oneway',
    'rst',
    'crash',
    'pause',
    'server-pause',
    'loss',
    'delay',
    'flap',
    'nat-idle',
    'server-crash',
    'server-cut',
    'peer-cut',
    'rack-cut',
  ],
};

/** Kinds that need an end; kinds that happen once (no end). */
const NEEDS_END: ReadonlySet<FaultKind> = new Set(['pause', 'server-pause']);
const INSTANT: ReadonlySet<FaultKind> = new Set(['rst', 'crash', 'beat-error', 'server-crash']);

interface Topology {
  readonly model: SwarmModel;
  readonly servers: 1 | 3;
  readonly clients: number;
  readonly subscribers: number;
}

/** A fault of `kind` starting at `startMs`, healed after `lengthMs` (null: never, where the kind allows it). */
export const faultArb = (kind: FaultKind, topo: Topology, startMs: number, lengthMs: number | null): fc.Arbitrary<string> => {
  const end = INSTANT.has(kind) ? '' : lengthMs === null && !NEEDS_END.has(kind) ? '' : `-${startMs + (lengthMs ?? 10_000)}ms`;
  const at = `@${startMs}ms${end}`;
  const server = topo.servers === 1 ? fc.constantFrom('owner', 's1') : fc.constantFrom('owner', 's1', 's2', 's3');
  switch (kind) {
    case 'cut':
      // Both directions of every path of c1, or one pair (c1 and a server, a subscriber and a server).
      return fc.oneof(
        { weight: 3, arbitrary: fc.constant(`cut${at}`) },
        { weight: 1, arbitrary: server.map((s) => `cut:c1-${s}${at}`) },
        ...(topo.subscribers > 0 ? [{ weight: 1, arbitrary: server.map((s) => `cut:sub1-${s === 'owner' ? 's1' : s}${at}`) }] : []),
      );
    case 'oneway':
      return fc.constantFrom('c2s', 's2c').map((d) => `oneway:${d}${at}`);
    case 'loss':
      return fc.constantFrom('0.05', '0.2', '0.5', '0.9', '1').map((p) => `loss:${p}${at}`);
    case 'delay':
      return fc.constantFrom('50ms', '400ms', '1500ms', '4s').map((d) => `delay:${d}${at}`);
    case 'flap':
      return fc.tuple(fc.constantFrom('500ms', '1s', '2s', '8s'), fc.constantFrom('500ms', '2s', '5s', '8s')).map(([u, d]) => `flap:${u}/${d}${at}`);
    case 'nat-idle':
      // At the window like the others: a box placed after the connection opened refuses its
      // packets at once and records that as its fault.start (README.md, finding 1, fixed).
      return fc.constantFrom('20s', '90s', '350s/rst').map((i) => `nat-idle:${i}${at}`);
    case 'server-crash':
    case 'server-cut':
    case 'peer-cut':
      return server.map((s) => `${kind}:${s}${at}`);
    case 'rack-cut':
      return fc.integer({ min: 1, max: topo.clients }).map((k) => `rack-cut:c1..c${k}${at}`);
    default:
      return fc.constant(`${kind}${at}`);
  }
};

const topologyArb = (model: SwarmModel): fc.Arbitrary<Topology> =>
  fc.record({
    model: fc.constant(model),
    servers: fc.constantFrom<1 | 3>(1, 1, 3),
    clients: fc.integer({ min: 1, max: 4 }),
    subscribers: fc.integer({ min: 0, max: 2 }),
  });

/** Kinds that make sense on this topology (peer-cut needs peers). */
const kindsFor = (topo: Topology): readonly FaultKind[] => KINDS[topo.model].filter((k) => k !== 'peer-cut' || topo.servers > 1);

/** One fault inside the shared window: its kind drawn from `kinds`. */
const windowFaultArb = (topo: Topology, baseMs: number, kinds: readonly FaultKind[]): fc.Arbitrary<string> =>
  fc
    .record({
      kind: fc.constantFrom(...kinds),
      offsetMs: fc.integer({ min: 0, max: 20_000 }),
      lengthMs: fc.option(fc.integer({ min: 500, max: 60_000 }), { freq: 8 }),
    })
    .chain(({ kind, offsetMs, lengthMs }) => faultArb(kind, topo, baseMs + offsetMs, lengthMs));

/**
 * Two kinds that overlap for sure: the first starts at T and lasts 5-60 s, the second starts
 * inside it. Then 0-2 more random faults in the same window.
 */
const pinnedFaultsArb = (topo: Topology, baseMs: number, pinned: readonly [FaultKind, FaultKind]): fc.Arbitrary<string[]> =>
  fc
    .record({
      firstLength: fc.integer({ min: 5_000, max: 60_000 }),
      secondFrac: fc.integer({ min: 0, max: 90 }),
      secondLength: fc.option(fc.integer({ min: 500, max: 60_000 }), { freq: 8 }),
    })
    .chain(({ firstLength, secondFrac, secondLength }) =>
      fc.tuple(
        faultArb(pinned[0], topo, baseMs, firstLength),
        faultArb(pinned[1], topo, baseMs + Math.floor((firstLength * secondFrac) / 100), secondLength),
        fc.array(windowFaultArb(topo, baseMs, kindsFor(topo)), { minLength: 0, maxLength: 2 }),
      ),
    )
    .map(([a, b, rest]) => [a, b, ...rest]);

const latencyArb = fc.constantFrom('uniform:200us..1ms', 'uniform:1ms..40ms', 'lognormal:5ms/0.5/200ms', 'fixed:2ms');

/** A swarm case of `model`: 2-4 random overlapping faults, or the `pinned` pair plus 0-2 more. */
export const swarmCaseArb = (model: SwarmModel, pinned?: readonly [FaultKind, FaultKind]): fc.Arbitrary<SwarmCase> =>
  topologyArb(model).chain((topo) =>
    fc
      .record({
        seed: fc.integer({ min: 1, max: 1_000_000 }),
        latency: latencyArb,
        baseMs: fc.integer({ min: 15_000, max: 90_000 }),
      })
      .chain(({ seed, latency, baseMs }) =>
        (pinned === undefined
          ? fc.array(windowFaultArb(topo, baseMs, kindsFor(topo)), { minLength: 2, maxLength: 4 })
          : pinnedFaultsArb(topo, baseMs, pinned)
        ).map((faults) => ({ ...topo, seed, latency, faults })),
      ),
  );
