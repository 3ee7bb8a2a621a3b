import { clientReachable, type Fault } from '../sim/faults.js';
import { type Micros, US_PER_S, usToMs } from '../sim/time.js';
import type { TraceEvent } from '../sim/trace.js';

/**
 * What a run says about the server's capacity, from its trace alone (design rule: metrics come
 * from the trace), for every instance rather than the followed one (`metrics.ts` follows c1):
 *
 *   - the load: server messages per second by kind, over [fromUs, untilUs);
 *   - false expiries: unhealthy marks and removals of an instance whose client was alive and
 *     reachable at that moment, and in 2.x the clients that gave up a working connection
 *     (`client.detected` while reachable) — the false disconnections. The DSL's plain faults act
 *     on c1 alone; rack cuts, pair cuts and server faults on the clients they name or all;
 *   - re-registrations: an instance registered again after its first registration;
 *   - the longest queue wait per pool (`server.queue`, which records each doubling, so the true
 *     peak lies within 2× above it);
 *   - per-second counts of pushes, removals, registrations and false disconnections: the push
 *     burst after a mass disconnect.
 *
 * Streaming: feed events one by one to `observe` (a trace listener) and read `result()` at the
 * end, so a 100,000-client run need not keep its trace. Times in ms; null when it never happened.
 */
export interface CapacityMetrics {
  /** The window the load and the false expiries are counted over (ms). */
  readonly fromMs: number;
  readonly untilMs: number;
  /** Server messages per second in the window, by kind (see LOAD_KINDS). */
  readonly loadPerSec: Readonly<Record<string, number>>;
  readonly falseUnhealthy: number;
  readonly falseRemovals: number;
  readonly falseDisconnections: number;
  /** Distinct instances with a false unhealthy mark, removal or disconnection. */
  readonly instancesFalselyExpired: number;
  /** Distinct instances falsely marked unhealthy, falsely removed; distinct clients falsely disconnected. */
  readonly instancesFalselyUnhealthy: number;
  readonly instancesFalselyRemoved: number;
  readonly clientsFalselyDisconnected: number;
  readonly firstFalseUnhealthyAtMs: number | null;
  readonly firstFalseRemovalAtMs: number | null;
  readonly firstFalseDisconnectionAtMs: number | null;
  readonly reRegistrations: number;
  /** Longest recorded queue wait per pool (ms) over the whole run; pools that never waited 1 ms are absent. */
  readonly peakWaitMs: Readonly<Record<string, number>>;
  /** When each pool first recorded a wait of at least 1 s (ms), if it did. */
  readonly waitOver1sAtMs: Readonly<Record<string, number>>;
  /** Counts per simulated second over the whole run (index k: [k s, k+1 s)). */
  readonly perSecond: {
    readonly pushes: readonly number[];
    readonly removals: readonly number[];
    readonly registrations: readonly number[];
    readonly falseDisconnections: readonly number[];
  };
}

export interface CapacityInput {
  readonly faults: readonly Fault[];
  /** Count load and false expiries from here (after start-up). */
  readonly fromUs: Micros;
  /** The horizon. */
  readonly untilUs: Micros;
}

/**
 * Load kinds: the name reported, and the trace kind (with, for `request.recv`, its type) that counts
 * one message the server handled or sent.
 */
export const LOAD_KINDS: readonly (readonly [string, string, string?])[] = [
  ['beats', 'beat.recv'],
  ['healthChecks', 'request.recv', 'healthCheck'],
  ['registerRequests', 'request.recv', 'register'],
  ['deregisterRequests', 'request.recv', 'deregister'],
  ['subscribeRequests', 'request.recv', 'subscribe'],
  ['queryRequests', 'request.recv', 'query'],
  ['queries', 'query.recv'],
  ['registrations', 'instance.register'],
  ['removals', 'instance.remove'],
  ['pushes', 'push.send'],
  ['probes', 'probe.send'],
];

/** LOAD_KINDS by trace kind: one lookup per event. */
const LOAD_BY_KIND = new Map<string, (readonly [string, string | undefined])[]>();
for (const [name, kind, type] of LOAD_KINDS) {
  const list = LOAD_BY_KIND.get(kind) ?? [];
  list.push([name, type]);
  LOAD_BY_KIND.set(kind, list);
}

const ONE_SECOND_MS = US_PER_S / 1000;

export class CapacityObserver {
  private readonly load = new Map<string, number>();
  private falseUnhealthy = 0;
  private falseRemovals = 0;
  private falseDisconnections = 0;
  private readonly falselyExpired = new Set<string>();
  private readonly falselyUnhealthy = new Set<string>();
  private readonly falselyRemoved = new Set<string>();
  private readonly falselyDisconnected = new Set<string>();
  private firstUnhealthy: Micros | null = null;
  private firstRemoval: Micros | null = null;
  private firstDisconnection: Micros | null = null;
  private readonly registered = new Set<string>();
  private reRegistrations = 0;
  private readonly peakWait = new Map<string, number>();
  private readonly overSecond = new Map<string, Micros>();
  private readonly series = { pushes: [] as number[], removals: [] as number[], registrations: [] as number[], falseDisconnections: [] as number[] };

  /** The faults that touch clients other than c1 (the DSL's plain faults act on c1 alone). */
  private readonly othersFaults: readonly Fault[];

  constructor(private readonly input: CapacityInput) {
    this.othersFaults = input.faults.filter((f) => !FOLLOWED_ONLY.has(f.kind) || f.hosts !== undefined);
  }

  /** Sees one trace event (in trace order). */
  observe(e: TraceEvent): void {
    const inWindow = e.t >= this.input.fromUs && e.t < this.input.untilUs;
    if (inWindow) this.countLoad(e);
    switch (e.kind) {
      case 'push.send':
        bump(this.series.pushes, e.t);
        break;
      case 'instance.register':
        this.onRegister(e);
        break;
      case 'instance.unhealthy':
        if (inWindow && this.reachable(instanceOf(e), e.t)) {
          this.falseUnhealthy++;
          this.falselyExpired.add(instanceOf(e));
          this.falselyUnhealthy.add(instanceOf(e));
          this.firstUnhealthy ??= e.t;
        }
        break;
      case 'instance.remove':
        bump(this.series.removals, e.t);
        if (inWindow && this.reachable(instanceOf(e), e.t)) {
          this.falseRemovals++;
          this.falselyExpired.add(instanceOf(e));
          this.falselyRemoved.add(instanceOf(e));
          this.firstRemoval ??= e.t;
        }
        break;
      case 'client.detected':
        // Recorded on the client's own host: it gave up its connection.
        if (inWindow && this.reachable(e.host, e.t)) {
          this.falseDisconnections++;
          this.falselyExpired.add(e.host);
          this.falselyDisconnected.add(e.host);
          this.firstDisconnection ??= e.t;
          bump(this.series.falseDisconnections, e.t);
        }
        break;
      case 'server.queue':
        this.onQueue(e);
        break;
    }
  }

  result(): CapacityMetrics {
    const seconds = Math.max(0, this.input.untilUs - this.input.fromUs) / US_PER_S;
    const loadPerSec: Record<string, number> = {};
    for (const [name] of LOAD_KINDS) loadPerSec[name] = seconds > 0 ? round3((this.load.get(name) ?? 0) / seconds) : 0;
    const ms = (t: Micros | null): number | null => (t === null ? null : usToMs(t));
    const buckets = Math.ceil(this.input.untilUs / US_PER_S);
    const pad = (xs: number[]): number[] => Array.from({ length: Math.max(buckets, xs.length) }, (_, i) => xs[i] ?? 0);
    return {
      fromMs: usToMs(this.input.fromUs),
      untilMs: usToMs(this.input.untilUs),
      loadPerSec,
      falseUnhealthy: this.falseUnhealthy,
      falseRemovals: this.falseRemovals,
      falseDisconnections: this.falseDisconnections,
      instancesFalselyExpired: this.falselyExpired.size,
      instancesFalselyUnhealthy: this.falselyUnhealthy.size,
      instancesFalselyRemoved: this.falselyRemoved.size,
      clientsFalselyDisconnected: this.falselyDisconnected.size,
      firstFalseUnhealthyAtMs: ms(this.firstUnhealthy),
      firstFalseRemovalAtMs: ms(this.firstRemoval),
      firstFalseDisconnectionAtMs: ms(this.firstDisconnection),
      reRegistrations: this.reRegistrations,
      peakWaitMs: Object.fromEntries(this.peakWait),
      waitOver1sAtMs: Object.fromEntries([...this.overSecond].map(([pool, t]) => [pool, usToMs(t)])),
      perSecond: {
        pushes: pad(this.series.pushes),
        removals: pad(this.series.removals),
        registrations: pad(this.series.registrations),
        falseDisconnections: pad(this.series.falseDisconnections),
      },
    };
  }

  private countLoad(e: TraceEvent): void {
    const counted = LOAD_BY_KIND.get(e.kind);
    if (counted === undefined) return;
    for (const [name, type] of counted) {
      if (type !== undefined && e.data?.type !== type) continue;
      this.load.set(name, (this.load.get(name) ?? 0) + 1);
    }
  }

  private onRegister(e: TraceEvent): void {
    bump(this.series.registrations, e.t);
    // A node's copy of another node's client (a cluster's Distro sync) is not the client registering.
    if (e.data?.via === 'sync') return;
    const id = instanceOf(e);
    if (this.registered.has(id)) this.reRegistrations++;
    else this.registered.add(id);
  }

  private onQueue(e: TraceEvent): void {
    const pool = String(e.data?.pool ?? '');
    const wait = Number(e.data?.waitMs ?? 0);
    if (wait > (this.peakWait.get(pool) ?? 0)) this.peakWait.set(pool, wait);
    if (wait >= ONE_SECOND_MS && !this.overSecond.has(pool)) this.overSecond.set(pool, e.t);
  }

  private reachable(client: string, t: Micros): boolean {
    return clientReachable(client === FOLLOWED ? this.input.faults : this.othersFaults, t, client);
  }
}

/** Capacity metrics of a whole trace at once. */
export const capacityMetrics = (events: Iterable<TraceEvent>, input: CapacityInput): CapacityMetrics => {
  const o = new CapacityObserver(input);
  for (const e of events) o.observe(e);
  return o.result();
};

const instanceOf = (e: TraceEvent): string => String(e.data?.instance ?? '');

/** The client the DSL's plain faults (`cut@…`, `crash@…` …) act on. */
const FOLLOWED = 'c1';
const FOLLOWED_ONLY: ReadonlySet<string> = new Set(['cut', 'oneway', 'rst', 'crash', 'pause', 'loss', 'delay', 'flap', 'beat-error', 'nat-idle']);

const bump = (xs: number[], t: Micros): void => {
  const k = Math.floor(t / US_PER_S);
  while (xs.length <= k) xs.push(0);
  xs[k] = (xs[k] as number) + 1;
};

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
