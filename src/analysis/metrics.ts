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
}

/** Trace kinds that mean "the server received something from the client". */
const HEARD = new Set(['beat.recv', 'request.recv', 'probe.reply']);

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
  readonly events: readonly TraceEvent[];
  readonly faults: readonly Fault[];
  /** The instance the metrics follow (c1). */
  readonly instance: string;
  readonly subscribers: readonly string[];
}

export const computeMetrics = ({ events, faults, instance, subscribers }: MetricsInput): RunMetrics => {
  const faultAt = events.find((e) => e.kind === 'fault.start')?.t ?? null;
  const from = faultAt ?? 0;
  const mine = events.filter((e) => instanceOf(e) === instance);
  const removed = mine.find((e) => e.kind === 'instance.remove' && e.t >= from)?.t ?? null;
  const unhealthy = mine.find((e) => e.kind === 'instance.unhealthy' && e.t >= from)?.t ?? null;
  const heardBefore = removed ?? Number.POSITIVE_INFINITY;
  const lastHeard = mine.filter((e) => HEARD.has(e.kind) && e.t <= heardBefore).at(-1)?.t ?? null;
  const detected = events.find((e) => e.host === instance && e.kind === 'client.detected' && e.t >= from)?.t ?? null;
  const updated = subscriberUpdatedAt(events, instance, subscribers, from);
  const registrations = mine.filter((e) => e.kind === 'instance.register').length;
  const removals = mine.filter((e) => e.kind === 'instance.remove');
  const messages: Record<string, number> = {};
  for (const [name, kind] of MESSAGE_KINDS) messages[name] = events.filter((e) => e.kind === kind).length;
  const since = (t: Micros | null): number | null => (t === null || faultAt === null ? null : usToMs(t - faultAt));
  return {
    faultAtMs: faultAt === null ? null : usToMs(faultAt),
    lastHeardAtMs: lastHeard === null ? null : usToMs(lastHeard),
    clientDetectedAtMs: detected === null ? null : usToMs(detected),
    serverUnhealthyAtMs: unhealthy === null ? null : usToMs(unhealthy),
    serverRemovedAtMs: removed === null ? null : usToMs(removed),
    subscriberUpdatedAtMs: updated === null ? null : usToMs(updated),
    detectionMs: since(removed),
    staleMs: since(updated),
    falseRemovals: removals.filter((e) => clientReachable(faults, e.t)).length,
    reRegistrations: Math.max(0, registrations - 1),
    flaps: countFlaps(mine),
    messages,
  };
};

const contains = (e: TraceEvent, instance: string): boolean =>
  String(e.data?.instances ?? '')
    .split(',')
    .includes(instance);

/**
 * When the last subscriber's usable view stopped listing the instance: for each subscriber,
 * the first view change at or after `from` that drops it (or `from` itself if its view did
 * not list it then); the latest of those; null if some subscriber never drops it.
 */
const subscriberUpdatedAt = (events: readonly TraceEvent[], instance: string, subscribers: readonly string[], from: Micros): Micros | null => {
  if (subscribers.length === 0) return null;
  let latest = 0;
  for (const sub of subscribers) {
    const views = events.filter((e) => e.host === sub && e.kind === 'view.update');
    const before = views.filter((e) => e.t < from).at(-1);
    const listedAtFrom = before !== undefined && contains(before, instance);
    const drop = listedAtFrom ? views.find((e) => e.t >= from && !contains(e, instance))?.t : from;
    if (drop === undefined) return null;
    latest = Math.max(latest, drop);
  }
  return latest;
};

/** Times the server's record of the instance came back: healthy after unhealthy, or registered after removal. */
const countFlaps = (mine: readonly TraceEvent[]): number => {
  let flaps = 0;
  let down = false;
  for (const e of mine) {
    if (e.kind === 'instance.unhealthy' || e.kind === 'instance.remove') down = true;
    else if ((e.kind === 'instance.healthy' || e.kind === 'instance.register') && down) {
      flaps++;
      down = false;
    }
  }
  return flaps;
};
