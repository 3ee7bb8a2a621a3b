import type { Micros } from '../sim/time.js';
import type { TraceEvent } from '../sim/trace.js';
import type { Lanes } from './collect.js';

/** Every state a state lane can show, in legend order (one colour each, `spec.ts`). */
export const STATES = [
  'connecting',
  'connected',
  'cut off, reconnecting',
  'beating',
  'paused',
  'crashed',
  'beat loop dead',
  'not registered',
  'registered, healthy',
  'unhealthy',
  'removed',
  'connection held',
  'no view yet',
  'lists the instance',
  'does not list it',
] as const;
export type StateName = (typeof STATES)[number];

/** One stretch of a state lane: `column` is the lane's title, `slot`/`slots` split it for overlapping connections. */
export interface StateSpan {
  readonly column: string;
  readonly fromUs: Micros;
  readonly toUs: Micros;
  readonly state: StateName;
  readonly slot: number;
  readonly slots: number;
  readonly detail: string;
}

/** Turns (time, state) changes into spans up to the horizon; a repeated state extends its span. */
const spansOf = (column: string, start: StateName, changes: readonly (readonly [Micros, StateName, string])[], untilUs: Micros): StateSpan[] => {
  const out: StateSpan[] = [];
  let from = 0;
  let state = start;
  let detail = '';
  for (const [t, next, why] of changes) {
    if (next === state) continue;
    if (t > from) out.push({ column, fromUs: from, toUs: t, state, slot: 0, slots: 1, detail });
    from = t;
    state = next;
    detail = why;
  }
  if (untilUs > from) out.push({ column, fromUs: from, toUs: untilUs, state, slot: 0, slots: 1, detail });
  return out;
};

/** The client process and its connection: v2's RpcClient states, v1's beat loop; a pause or crash overrides either. */
const clientLane = (c: string, events: readonly TraceEvent[], untilUs: Micros, streams: boolean): StateSpan[] => {
  let base: StateName = streams ? 'connecting' : 'beating';
  let process: StateName | null = null;
  const changes: [Micros, StateName, string][] = [];
  for (const e of events) {
    if (e.host !== c) continue;
    if (e.kind === 'client.connected') base = 'connected';
    else if (e.kind === 'client.detected') base = 'cut off, reconnecting';
    else if (e.kind === 'client.beat-loop-dead') base = 'beat loop dead';
    else if (e.kind === 'process.pause') process = 'paused';
    else if (e.kind === 'process.resume') process = null;
    else if (e.kind === 'process.crash') process = 'crashed';
    else continue;
    changes.push([e.t, process ?? base, `${e.kind} ${JSON.stringify(e.data ?? {})}`]);
  }
  return spansOf(`${c} ${streams ? 'connection' : 'process'}`, streams ? 'connecting' : 'beating', changes, untilUs);
};

const VIEW: Readonly<Record<string, StateName>> = {
  'instance.register': 'registered, healthy',
  'instance.publish': 'registered, healthy',
  'instance.healthy': 'registered, healthy',
  'instance.unhealthy': 'unhealthy',
  'instance.remove': 'removed',
};

/** The server's view of the client's instance. */
const serverLane = (s: string, c: string, events: readonly TraceEvent[], untilUs: Micros): StateSpan[] => {
  const changes: [Micros, StateName, string][] = [];
  for (const e of events) {
    const state = VIEW[e.kind];
    if (e.host === s && state !== undefined && e.data?.instance === c) changes.push([e.t, state, `${e.kind} ${JSON.stringify(e.data)}`]);
  }
  return spansOf(`${s}: ${c}`, 'not registered', changes, untilUs);
};

/** The connections the server holds for the client, side by side when more than one is open at once. */
const connectionLane = (s: string, c: string, events: readonly TraceEvent[], untilUs: Micros): StateSpan[] => {
  const open = new Map<number, { readonly fromUs: Micros; readonly slot: number }>();
  const raw: { fromUs: Micros; toUs: Micros; slot: number; conn: number; why: string }[] = [];
  for (const e of events) {
    if (e.host !== s || e.data?.client !== c) continue;
    const conn = Number(e.data.connection);
    if (e.kind === 'connection.register') {
      const used = new Set([...open.values()].map((o) => o.slot));
      let slot = 0;
      while (used.has(slot)) slot++;
      open.set(conn, { fromUs: e.t, slot });
    } else if (e.kind === 'connection.unregister') {
      const o = open.get(conn);
      if (o === undefined) continue;
      open.delete(conn);
      raw.push({ fromUs: o.fromUs, toUs: e.t, slot: o.slot, conn, why: `unregistered: ${e.data.reason}` });
    }
  }
  for (const [conn, o] of [...open.entries()].sort((a, b) => a[0] - b[0]))
    raw.push({ fromUs: o.fromUs, toUs: untilUs, slot: o.slot, conn, why: 'still held at the horizon' });
  const slots = Math.max(1, ...raw.map((r) => r.slot + 1));
  return raw
    .sort((a, b) => a.fromUs - b.fromUs || a.conn - b.conn)
    .map((r) => ({
      column: `${s}: ${c}'s connections`,
      fromUs: r.fromUs,
      toUs: Math.max(r.toUs, r.fromUs),
      state: 'connection held',
      slot: r.slot,
      slots,
      detail: `connection ${r.conn}, ${r.why}`,
    }));
};

/** A consumer's usable list: does it still list the client's instance? */
const subscriberLane = (sub: string, c: string, events: readonly TraceEvent[], untilUs: Micros): StateSpan[] => {
  const changes: [Micros, StateName, string][] = [];
  for (const e of events) {
    if (e.host !== sub || e.kind !== 'view.update') continue;
    const listed = String(e.data?.instances ?? '')
      .split(',')
      .includes(c);
    changes.push([e.t, listed ? 'lists the instance' : 'does not list it', `view.update ${JSON.stringify(e.data)}`]);
  }
  return spansOf(`${sub} sees ${c}`, 'no view yet', changes, untilUs);
};

/** Every state lane, in drawing order: per followed client its own, each server's view and connections, each subscriber's view. */
export const stateSpans = (lanes: Lanes, events: readonly TraceEvent[], untilUs: Micros): StateSpan[] => {
  const streams = events.some((e) => e.kind.startsWith('client.') || e.kind.startsWith('connection.'));
  const out: StateSpan[] = [];
  for (const c of lanes.clients) {
    out.push(...clientLane(c, events, untilUs, streams));
    for (const s of lanes.servers) {
      out.push(...serverLane(s, c, events, untilUs));
      out.push(...connectionLane(s, c, events, untilUs));
    }
    for (const sub of lanes.subscribers) out.push(...subscriberLane(sub, c, events, untilUs));
  }
  return out;
};

/** The lanes' titles in drawing order (a lane with no span, e.g. no connections in 1.x, is left out). */
export const stateColumns = (spans: readonly StateSpan[]): string[] => [...new Set(spans.map((s) => s.column))];
