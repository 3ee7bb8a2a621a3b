import { clientReachable, type Fault } from '../sim/faults.js';
import { type Micros, usToMs } from '../sim/time.js';
import type { TraceEvent } from '../sim/trace.js';

/**
 * The per-run metrics of the design, computed from the trace alone (plus the fault schedule
 * the run was given). All times in simulated milliseconds; null when it never happened.
 */
export interface RunMetrics {
  readonly faultAtMs: number | null;
  readonly lastHeardAtMs: number | null;
  readonly clientDetectedAtMs: number | null;
  readonly serverUnhealthyAtMs: number | null;
  readonly serverRemovedAtMs: number | null;
  readonly subscriberUpdatedAtMs: number | null;
  readonly detectionMs: number | null;
  readonly staleMs: number | null;
  readonly falseRemovals: number;
  readonly reRegistrations: number;
  readonly flaps: number;
  readonly messages: Readonly<Record<string, number>>;
  /** Only with several servers: when each node stopped listing the instance. */
  readonly perServer?: readonly ServerMetrics[];
}

/**
 * One node of a cluster. With several servers `serverRemovedAtMs` is when no live node lists the
 * instance any more (a crashed node lists nothing), `flaps` counts the times it came back after
 * that, and `reRegistrations` leaves out the copies nodes receive from each other (`via: sync`).
 */
export interface ServerMetrics {
  readonly server: string;
  /** The node's first removal of the instance at or after the fault (null: never). */
  readonly removedAtMs: number | null;
  /** The node's process died (null: it did not). */
  readonly crashedAtMs: number | null;
}

/** Trace kinds that mean "the server received something from the client". */
const HEARD = new Set(['beat.recv', 'request.recv', 'probe.reply']);

/** When a server last heard from `instance` at or before `atUs` (null: never). */
export const lastHeardAt = (events: readonly TraceEvent[], instance: string, atUs: Micros): Micros | null =>
  events.findLast((e) => e.t <= atUs && HEARD.has(e.kind) && instanceOf(e) === instance)?.t ?? null;

/** Message counts reported, by the trace kind that counts them: the load the server carries. */
const MESSAGE_KINDS: readonly (readonly [string, string])[] = [
  ['beats', 'beat.recv'],
  ['registrations', 'instance.register'],
  ['requests', 'request.recv'],
  ['healthChecks', 'health-check.send'],
  ['probes', 'probe.send'],
  ['reconnectAttempts', 'client.reconnect'],
  ['tcpChecks', 'tcp-check.send'],
  ['queries', 'query.recv'],
  ['pushes', 'push.send'],
  ['pushAcks', 'push.ack'],
  ['datagrams', 'net.send'],
];

const instanceOf = (e: TraceEvent): unknown => e.data?.instance;

export interface MetricsInput {
  /** The whole trace, or the part `followedRetention` kept of it (the metrics come out the same). */
  readonly events: readonly TraceEvent[];
  /** Events per trace kind over the whole run (`countKinds`); counted from `events` when absent. */
  readonly kindCounts?: ReadonlyMap<string, number>;
  readonly faults: readonly Fault[];
  /** The instance the metrics follow (c1). */
  readonly instance: string;
  readonly subscribers: readonly string[];
  /** s1…sN; with more than one, the cluster rules above apply. */
  readonly servers?: readonly string[];
}

export const computeMetrics = ({ events, kindCounts, faults, instance, subscribers, servers = [] }: MetricsInput): RunMetrics => {
  const faultAt = events.find((e) => e.kind === 'fault.start')?.t ?? null;
  const from = faultAt ?? 0;
  const mine = events.filter((e) => instanceOf(e) === instance);
  const cluster = servers.length > 1 ? clusterView(events, instance, servers, from) : null;
  const removed = cluster !== null ? cluster.removedAt : (mine.find((e) => e.kind === 'instance.remove' && e.t >= from)?.t ?? null);
  const unhealthy = mine.find((e) => e.kind === 'instance.unhealthy' && e.t >= from)?.t ?? null;
  const lastHeard = lastHeardAt(mine, instance, removed ?? Number.POSITIVE_INFINITY);
  const detected = events.find((e) => e.host === instance && e.kind === 'client.detected' && e.t >= from)?.t ?? null;
  const updated = subscriberUpdatedAt(events, instance, subscribers, from);
  // A cluster node that already lists the instance (a copy) records the client's own registration as a publish.
  const registers = (e: TraceEvent): boolean => e.kind === 'instance.register' || (cluster !== null && e.kind === 'instance.publish');
  const registrations = mine.filter((e) => registers(e) && e.data?.via !== SYNC).length;
  const removals = mine.filter((e) => e.kind === 'instance.remove');
  const messages: Record<string, number> = {};
  const counts = kindCounts ?? countKinds(events);
  for (const [name, kind] of MESSAGE_KINDS) messages[name] = counts.get(kind) ?? 0;
  const since = (t: Micros | null): number | null => (t === null || faultAt === null ? null : usToMs(t - faultAt));
  const metrics: RunMetrics = {
    faultAtMs: faultAt === null ? null : usToMs(faultAt),
    lastHeardAtMs: lastHeard === null ? null : usToMs(lastHeard),
    clientDetectedAtMs: detected === null ? null : usToMs(detected),
    serverUnhealthyAtMs: unhealthy === null ? null : usToMs(unhealthy),
    serverRemovedAtMs: removed === null ? null : usToMs(removed),
    subscriberUpdatedAtMs: updated === null ? null : usToMs(updated),
    detectionMs: since(removed),
    staleMs: since(updated),
    falseRemovals: removals.filter((e) => clientReachable(faults, e.t, instance)).length,
    reRegistrations: Math.max(0, registrations - 1),
    flaps: cluster !== null ? cluster.flaps : comebacks(mine, instance).length,
    messages,
  };
  if (cluster === null) return metrics;
  const ms = (t: Micros | null): number | null => (t === null ? null : usToMs(t));
  const perServer = servers.map((server) => ({
    server,
    removedAtMs: ms(mine.find((e) => e.host === server && e.kind === 'instance.remove' && e.t >= from)?.t ?? null),
    crashedAtMs: ms(events.find((e) => e.host === server && e.kind === 'process.crash')?.t ?? null),
  }));
  return { ...metrics, perServer };
};

/** Events per kind: the load figures need only these counts, not the events themselves. */
export const countKinds = (events: Iterable<TraceEvent>): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  return counts;
};

/**
 * The part of a trace that the metrics, the detector QoS (qos.ts) and the run summary read about
 * one followed instance: its own events (by `data.instance` or on its host), faults, process
 * events, and each subscriber's view reduced to whether it lists the instance. A run of 100,000
 * clients keeps these few thousand events instead of hundreds of millions; metrics computed from
 * them equal those from the whole trace (a test checks it), given the kind counts (`countKinds`).
 */
export const followedRetention = (instance: string, subscribers: readonly string[]): ((e: TraceEvent) => TraceEvent | null) => {
  const subs = new Set(subscribers);
  return (e) => {
    if (e.kind === 'view.update' || e.kind === FRAMEWORK_VIEW) {
      if (!subs.has(e.host)) return null;
      // The view as seen by the followed instance: listed or not (a 100k-entry list is not kept).
      return { t: e.t, kind: e.kind, host: e.host, data: { instances: contains(e, instance) ? instance : '' } };
    }
    if (e.host === instance || instanceOf(e) === instance) return e;
    return e.kind.startsWith('fault.') || e.kind.startsWith('process.') ? e : null;
  };
};

/** What a node records when it takes over another node's data (a Distro copy), not the client's own act. */
const SYNC = 'sync';

/**
 * The cluster as one registry: the instance is listed while some live node lists it. Removal is
 * the first moment at or after `from` when that stops; a flap is each time it starts again, or an
 * instance marked unhealthy by its judging node turns healthy again.
 */
const clusterView = (events: readonly TraceEvent[], instance: string, servers: readonly string[], from: Micros) => {
  const nodes = new Set(servers);
  const listed = new Set<string>();
  let removedAt: Micros | null = null;
  let flaps = 0;
  let gone = false;
  let unhealthy = false;
  for (const e of events) {
    if (!nodes.has(e.host)) continue;
    const before = listed.size > 0;
    if (e.kind === 'process.crash') listed.delete(e.host);
    else if (instanceOf(e) !== instance) continue;
    else if (e.kind === 'instance.register') listed.add(e.host);
    else if (e.kind === 'instance.remove') listed.delete(e.host);
    else if (e.data?.via === SYNC) continue;
    else if (e.kind === 'instance.unhealthy') unhealthy = true;
    else if (e.kind === 'instance.healthy' && unhealthy) {
      unhealthy = false;
      flaps++;
    }
    const now = listed.size > 0;
    if (before && !now) {
      gone = true;
      if (removedAt === null && e.t >= from) removedAt = e.t;
    } else if (!before && now && gone) {
      gone = false;
      unhealthy = false;
      flaps++;
    }
  }
  return { removedAt, flaps };
};

const contains = (e: TraceEvent, instance: string): boolean =>
  String(e.data?.instances ?? '')
    .split(',')
    .includes(instance);

/** A consumer framework's own list (src/models/framework/view.ts): what its consumer routes by. */
const FRAMEWORK_VIEW = 'framework.view';

/**
 * When the last subscriber stopped routing to the instance — by its framework's list when it has
 * one (`framework.view`), else by the Nacos client's usable view: for each subscriber,
 * the first view change at or after `from` that drops it (or `from` itself if its view did
 * not list it then); the latest of those; null if some subscriber never drops it.
 */
const subscriberUpdatedAt = (events: readonly TraceEvent[], instance: string, subscribers: readonly string[], from: Micros): Micros | null => {
  if (subscribers.length === 0) return null;
  let latest = 0;
  for (const sub of subscribers) {
    const kind = events.some((e) => e.host === sub && e.kind === FRAMEWORK_VIEW) ? FRAMEWORK_VIEW : 'view.update';
    const views = events.filter((e) => e.host === sub && e.kind === kind);
    const before = views.filter((e) => e.t < from).at(-1);
    const listedAtFrom = before !== undefined && contains(before, instance);
    const drop = listedAtFrom ? views.find((e) => e.t >= from && !contains(e, instance))?.t : from;
    if (drop === undefined) return null;
    latest = Math.max(latest, drop);
  }
  return latest;
};

/** Times the server's record of the instance came back: healthy after unhealthy, or registered after removal. */
/**
 * The events at which `instance` came back (healthy again, or registered again) after a server
 * marked it unhealthy or removed it, counting only what happened from `fromUs` on: one per flap.
 */
export const comebacks = (events: readonly TraceEvent[], instance: string, fromUs: Micros = 0): TraceEvent[] => {
  const back: TraceEvent[] = [];
  let down = false;
  for (const e of events) {
    if (e.t < fromUs || instanceOf(e) !== instance) continue;
    if (e.kind === 'instance.unhealthy' || e.kind === 'instance.remove') down = true;
    else if (down && (e.kind === 'instance.healthy' || e.kind === 'instance.register')) {
      back.push(e);
      down = false;
    }
  }
  return back;
};
