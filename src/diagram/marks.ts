import type { Expectation } from '../analysis/bounds.js';
import type { RunResult } from '../scenario/run.js';
import type { Micros } from '../sim/time.js';
import type { TraceEvent } from '../sim/trace.js';
import type { DiagramMessage } from './collect.js';

/** Symbols on a host's lane, in legend order (one shape and colour each, `spec.ts`). */
export const MARKS = [
  'message lost',
  'health check answered',
  'health check unanswered',
  'gave up (cut off)',
  'reconnect attempt',
  'connected',
  'probe sent',
  'connection dropped',
  'instance removed',
  'view changed',
] as const;
export type MarkName = (typeof MARKS)[number];

export interface DiagramMark {
  readonly host: string;
  readonly tUs: Micros;
  readonly mark: MarkName;
  readonly detail: string;
}

const MARK_OF: Readonly<Record<string, MarkName>> = {
  'client.detected': 'gave up (cut off)',
  'client.reconnect': 'reconnect attempt',
  'client.connected': 'connected',
  'probe.send': 'probe sent',
  'tcp-check.send': 'probe sent',
  'connection.unregister': 'connection dropped',
  'instance.remove': 'instance removed',
  'view.update': 'view changed',
};

/**
 * A health check is answered when a health-check reply reaches its sender before the sender's
 * next check (or its giving up): the client's RpcClient waits for that reply and nothing else.
 */
const healthCheckMarks = (events: readonly TraceEvent[], messages: readonly DiagramMessage[]): DiagramMark[] => {
  const out: DiagramMark[] = [];
  const byHost = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.kind !== 'health-check.send' && e.kind !== 'client.detected') continue;
    const list = byHost.get(e.host) ?? [];
    list.push(e);
    byHost.set(e.host, list);
  }
  for (const [host, list] of byHost) {
    const replies = messages.filter((m) => m.to === host && m.label === 'health check reply' && m.arriveUs !== null).map((m) => m.arriveUs as Micros);
    list.forEach((e, i) => {
      if (e.kind !== 'health-check.send') return;
      const until = list[i + 1]?.t ?? Number.POSITIVE_INFINITY;
      const answered = replies.some((t) => t > e.t && t <= until);
      out.push({ host, tUs: e.t, mark: answered ? 'health check answered' : 'health check unanswered', detail: `health check, ${e.data?.left} retries left` });
    });
  }
  return out;
};

export const diagramMarks = (events: readonly TraceEvent[], messages: readonly DiagramMessage[]): DiagramMark[] => {
  const out = healthCheckMarks(events, messages);
  for (const e of events) {
    const mark = MARK_OF[e.kind];
    if (mark !== undefined) out.push({ host: e.host, tUs: e.t, mark, detail: `${e.kind} ${JSON.stringify(e.data ?? {})}` });
  }
  return out.sort((a, b) => a.tUs - b.tUs);
};

const sec = (ms: number): string => (ms / 1000).toFixed(3);

/** An analytic window (lower exclusive, upper inclusive) drawn over a state lane, clipped to the horizon. */
export interface AnalyticWindow {
  readonly column: string;
  readonly fromUs: Micros;
  readonly toUs: Micros;
  readonly what: string;
}

/** Where the run's bounds (RunResult.bounds, from the first fault) fall: drawn when they start before the horizon, else said in a note. */
export const analyticWindows = (
  result: RunResult,
  columns: { readonly client: string; readonly server: string; readonly subscribers: readonly string[] },
  untilUs: Micros,
): { windows: AnalyticWindow[]; notes: string[] } => {
  const faultMs = result.metrics.faultAtMs;
  const b = result.bounds as Readonly<Record<string, Expectation>> | null;
  const windows: AnalyticWindow[] = [];
  const notes: string[] = [];
  if (faultMs === null || b === null) return { windows, notes };
  const place = (key: string, column: string, what: string): void => {
    const e = b[key];
    if (e === undefined) return;
    if (e.kind === 'never') notes.push(`${what}: never (${e.why})`);
    if (e.kind !== 'within') return;
    const fromUs = Math.round((faultMs + e.interval.lowerMs) * 1000);
    const toUs = Math.round((faultMs + e.interval.upperMs) * 1000);
    const text = `${what}: (${(fromUs / 1e6).toFixed(3)} s, ${(toUs / 1e6).toFixed(3)} s] of the run (fault + (${sec(e.interval.lowerMs)} s, ${sec(e.interval.upperMs)} s])`;
    if (fromUs >= untilUs) notes.push(`${text}, beyond the horizon`);
    else windows.push({ column, fromUs: Math.max(0, fromUs), toUs: Math.min(toUs, untilUs), what: text });
  };
  place('clientDetectedFromFault', columns.client, 'analytic window, client gives up');
  place('removedFromFault', columns.server, 'analytic window, server removes the instance');
  for (const sub of columns.subscribers) place('staleFromFault', sub, 'analytic window, consumers stop listing it');
  return { windows, notes };
};
