import type { BoundsInput, Expectation, V1Bounds } from '../analysis/bounds.js';
import type { V2Bounds } from '../analysis/bounds-v2.js';
import { type CapacityMetrics, CapacityObserver } from '../analysis/capacity-metrics.js';
import { computeMetrics, followedRetention, type RunMetrics } from '../analysis/metrics.js';
import { finiteCapacity } from '../models/capacity.js';
import type { Config } from '../models/knob.js';
import type { RegistryBounds, World } from '../models/model.js';
import { formatVersion } from '../models/version.js';
import { Endpoint } from '../sim/endpoint.js';
import { type FaultKind, installFaults, PROXY } from '../sim/faults.js';
import { Host } from '../sim/host.js';
import { latencyEnvelope } from '../sim/latency.js';
import { Network, type WireTap } from '../sim/network.js';
import { QuietClients } from '../sim/quiet.js';
import { Simulation, type StopReason } from '../sim/simulation.js';
import { usToMs } from '../sim/time.js';
import type { TraceEvent, TraceListener } from '../sim/trace.js';
import { formatDuration } from './duration.js';
import { parseLatency } from './latency-dsl.js';
import { CLIENT_NAME, proxied, type Scenario, touchesRegistry } from './resolve.js';
import { LIMITS } from './scenario.js';

export { DEFAULT_UNTIL, resolveScenario, type Scenario } from './resolve.js';

/** A run's analytic windows: the Nacos models' own shapes, or what a model's `analysis.bounds` states. */
export type RunBounds = V1Bounds | V2Bounds | RegistryBounds;

export interface RunResult {
  readonly model: string;
  readonly seed: number;
  readonly clientVersion: string;
  readonly serverVersion: string;
  readonly until: string;
  readonly clients: number;
  readonly subscribers: number;
  readonly servers: number;
  readonly config: Config;
  readonly faults: readonly string[];
  readonly metrics: RunMetrics;
  readonly bounds: RunBounds | null;
  /** With a finite server capacity (`sim.server.capacity`, `sim.server.cost.*`): load and false expiry of every instance. */
  readonly capacity?: Omit<CapacityMetrics, 'perSecond'>;
  readonly stop: { readonly reason: StopReason; readonly atMs: number; readonly events: number };
  readonly traceHash: string;
}

export interface RunOutput {
  readonly result: RunResult;
  /** Every event (`trace: 'all'`), or the events about the followed instance c1 (`'followed'`). */
  readonly trace: readonly TraceEvent[];
  /** How many clients were stepped outside the kernel (`quiet.ts`): not part of the result, which is the same either way. */
  readonly quietClients: number;
}

export interface RunOptions {
  /**
   * What the run keeps in memory: every event (the default, for tests and small runs), or only
   * what the metrics and the summary read about c1 — results are the same, memory stays flat
   * however many clients and hours.
   */
  readonly trace?: 'all' | 'followed';
  /** Sees every event as it happens (e.g. `run --trace` streams the lines out). */
  readonly onEvent?: TraceListener;
  /**
   * Step quiet clients outside the kernel where the scenario allows it (`quiet.ts`; default on).
   * Off, every event runs through the kernel: the same result, byte for byte, only slower.
   */
  readonly quiet?: boolean;
  /**
   * A viewer of a few hosts (`run --html`): sees their events as they happen without turning
   * quiet stepping off, because `follow` keeps those clients in the kernel (quiet clients' lines
   * never reach a listener), and `wireTap` sees the kernel's datagrams.
   */
  readonly viewer?: { readonly follow: readonly string[]; readonly onEvent: TraceListener; readonly wireTap: WireTap };
  /** Kernel events after which the run stops (default `LIMITS.maxEvents`; tests lower it). */
  readonly eventBudget?: number;
}

/**
 * For each fault kind, whether clients may still be quiet under it: not when it acts on the server
 * every client talks to, or on flows the stream layer tracks. A Record over FaultKind, so that a
 * new kind forgotten here fails to compile (issue 21 item 3).
 */
const QUIET_UNDER: Readonly<Record<FaultKind, boolean>> = {
  cut: true,
  oneway: true,
  rst: true,
  crash: true,
  pause: true,
  loss: true,
  delay: true,
  flap: true,
  'beat-error': true,
  'rack-cut': true,
  'server-pause': false,
  'server-crash': false,
  'server-cut': false,
  'peer-cut': false,
  'nat-idle': false,
};

/**
 * Which clients may be stepped outside the kernel (`quiet.ts`), or null when none may: only
 * where nothing could tell — nobody reads other clients' lines, one server of infinite capacity,
 * a lossless network, no fault on a server — and never c1 (the metrics follow it) or a client a
 * fault names (`cut:c7-s1`, `rack-cut:c1..c500`). The model adds its own conditions.
 */
const quietEligibility = (sc: Scenario, opts: RunOptions): ((client: string) => boolean) | null => {
  if (opts.quiet === false || opts.trace !== 'followed' || opts.onEvent !== undefined) return null;
  if (sc.servers !== 1 || sc.clients < 2 || finiteCapacity(sc.config) || Number(sc.config['net.loss']) !== 0) return null;
  if (sc.faults.some((f) => !QUIET_UNDER[f.kind])) return null;
  const named = new Set([...sc.faults.flatMap((f) => f.hosts ?? []), ...(opts.viewer?.follow ?? [])]);
  const racks = sc.faults.flatMap((f) => (f.clients === undefined ? [] : [f.clients]));
  return (client) => {
    if (!CLIENT_NAME.test(client) || client === 'c1' || named.has(client)) return false;
    const i = Number(client.slice(1));
    return !racks.some(([a, b]) => i >= a && i <= b);
  };
};

const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

const NO_BOUND_UNDER_LOAD = 'finite server capacity: queueing delays are outside the analytic bounds (docs/models/nacos-v1.md#capacity, nacos-v2.md#capacity)';

const NO_BOUND_THROUGH_PROXY =
  'a proxy between client and server: its own idle timeout and legs are outside the analytic bounds (docs/models/nacos-v2.md#proxies)';

/** Every window of `bounds` replaced by the same no-bound: same keys in the same order, same type. */
const noBoundEverywhere = <B extends RunBounds>(bounds: B, why: string): B => {
  const none: Expectation = { kind: 'no-bound', why };
  return { ...bounds, ...Object.fromEntries(Object.keys(bounds).map((key) => [key, none])) };
};

const boundsFor = (sc: Scenario, input: BoundsInput): RunBounds | null => {
  const hook = sc.model.analysis?.bounds;
  const bounds = hook === undefined ? null : hook({ ...input, serverVersion: sc.serverVersion });
  const why = finiteCapacity(sc.config) ? NO_BOUND_UNDER_LOAD : proxied(sc.config) ? NO_BOUND_THROUGH_PROXY : null;
  if (bounds === null || why === null) return bounds;
  // A queue can delay any message past any timeout, a proxy's idle timer ends connections the
  // windows know nothing of: claiming a window (or "never") would be wrong.
  return noBoundEverywhere(bounds, why);
};

const withoutSeries = ({ perSecond: _series, ...rest }: CapacityMetrics): Omit<CapacityMetrics, 'perSecond'> => rest;

/** Builds the world, runs it to the horizon, and computes metrics and bounds from the trace. */
export const runScenario = (sc: Scenario, opts: RunOptions = {}): RunOutput => {
  const subscriberNames = names('sub', sc.subscribers);
  const sim = new Simulation(sc.seed, opts.trace === 'followed' ? followedRetention('c1', subscriberNames) : 'all');
  const quietAllowed = quietEligibility(sc, opts);
  if (quietAllowed !== null) sim.quiet = new QuietClients(sim.trace, quietAllowed);
  if (opts.onEvent !== undefined) sim.trace.listen(opts.onEvent);
  if (opts.viewer !== undefined) sim.trace.listen(opts.viewer.onEvent);
  const capacity = finiteCapacity(sc.config) ? new CapacityObserver({ faults: sc.faults, fromUs: 0, untilUs: sc.untilUs }) : null;
  if (capacity !== null) sim.trace.listen((e) => capacity.observe(e));
  const latency = parseLatency(String(sc.config['net.latency']));
  const net = new Network(sim, { latency, loss: Number(sc.config['net.loss']) });
  net.tap = opts.viewer?.wireTap ?? null;
  const endpoints = new Map<Host, Endpoint>();
  const hosts = (prefix: string, n: number): Host[] => names(prefix, n).map((name) => new Host(sim, name));
  const clients = hosts('c', sc.clients);
  const servers = hosts('s', sc.servers);
  const subscribers = hosts('sub', sc.subscribers);
  let resolveOwner = (): string | null => null;
  const world: World = {
    sim,
    net,
    clients,
    servers,
    subscribers,
    faults: sc.faults,
    endpoint: (host) => {
      let ep = endpoints.get(host);
      if (ep === undefined) {
        ep = new Endpoint(host, net);
        endpoints.set(host, ep);
      }
      return ep;
    },
    setOwnerResolver: (resolve) => {
      resolveOwner = resolve;
    },
  };
  const gateway = proxied(sc.config) ? { gateway: PROXY } : {};
  installFaults(sim, net, sc.faults, { client: clients[0] as Host, servers, owner: () => resolveOwner(), ...gateway });
  sc.model.build(world, sc.config, { client: sc.clientVersion, server: sc.serverVersion });
  const budget = opts.eventBudget ?? LIMITS.maxEvents;
  const kernel = sim.run(sc.untilUs, budget);
  const quiet = sim.quiet;
  // Quiet clients keep beating to the horizon: a kernel with nothing else left is not idle.
  const outcome =
    quiet === null || quiet.size === 0
      ? kernel
      : { reason: kernel.reason === 'idle' ? ('horizon' as const) : kernel.reason, endUs: sc.untilUs, events: kernel.events + quiet.finish(sc.untilUs) };
  // Event by event, the run would have stopped at the budget somewhere inside the quiet clients'
  // steps (the kernel stops once it has run the budget's last event): run it that way.
  if (quiet !== null && quiet.size > 0 && outcome.events >= budget) return runScenario(sc, { ...opts, quiet: false });
  const trace = sim.trace.events;
  const metrics = computeMetrics({
    events: trace,
    kindCounts: sim.trace.kindCounts,
    faults: sc.faults,
    instance: 'c1',
    subscribers: subscribers.map((h) => h.name),
    servers: servers.map((h) => h.name),
  });
  const boundsInput: BoundsInput = {
    config: sc.config,
    clientVersion: sc.clientVersion,
    serverVersion: sc.serverVersion,
    latency: latencyEnvelope(latency),
    // A pair cut that touches no server (e.g. cut:c1-sub1, consumers cut from the provider)
    // leaves the registry's view of c1 alone: for the bounds it is no fault at all.
    faults: sc.faults.filter(touchesRegistry),
    instances: sc.clients,
    servers: sc.servers,
    subscribers: sc.subscribers,
  };
  const result: RunResult = {
    model: sc.model.id,
    seed: sc.seed,
    clientVersion: formatVersion(sc.clientVersion),
    serverVersion: formatVersion(sc.serverVersion),
    until: formatDuration(sc.untilUs),
    clients: sc.clients,
    subscribers: sc.subscribers,
    servers: sc.servers,
    config: sc.config,
    faults: sc.faults.map((f) => f.text),
    metrics,
    bounds: boundsFor(sc, boundsInput),
    ...(capacity === null ? {} : { capacity: withoutSeries(capacity.result()) }),
    stop: { reason: outcome.reason, atMs: usToMs(outcome.endUs), events: outcome.events },
    traceHash: sim.trace.digest(),
  };
  return { result, trace, quietClients: quiet?.size ?? 0 };
};
