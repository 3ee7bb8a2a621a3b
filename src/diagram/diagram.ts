import { replayCommand } from '../scenario/replay.js';
import { type RunOutput, runScenario, type Scenario } from '../scenario/run.js';
import type { Micros } from '../sim/time.js';
import type { TraceEvent } from '../sim/trace.js';
import { DiagramCollector, type DiagramMessage, type Lanes, laneNames } from './collect.js';
import { analyticWindows, diagramMarks } from './marks.js';
import { type DiagramPage, renderDiagramPage } from './page.js';
import { COLUMN_WIDTH, columnX, diagramSpec, hostX, type Layout } from './spec.js';
import { stateColumns, stateSpans } from './states.js';

/** At most this many servers and subscribers get a lane (the first ones); the rest are named in a note. */
export const MAX_LANES_PER_ROLE = 6;

export interface DiagramOptions {
  /** Clients drawn besides c1 (`--follow c7`), each with its own lane and state lanes. */
  readonly follow?: readonly string[];
  readonly quiet?: boolean;
}

const S = (us: Micros): number => us / 1e6;
const names = (prefix: string, n: number): string[] => Array.from({ length: Math.min(n, MAX_LANES_PER_ROLE) }, (_, i) => `${prefix}${i + 1}`);

/** The fault windows from the followed trace: each `fault.start` to its `fault.end`, or to the horizon. */
const faultBands = (events: readonly TraceEvent[], untilUs: Micros): { fromUs: Micros; toUs: Micros; what: string }[] => {
  const bands: { fromUs: Micros; toUs: Micros; what: string }[] = [];
  for (const e of events) {
    const what = String(e.data?.fault ?? '');
    if (e.kind === 'fault.start') bands.push({ fromUs: e.t, toUs: untilUs, what });
    if (e.kind === 'fault.end') {
      const open = bands.findLast((b) => b.what === what && b.toUs === untilUs);
      if (open !== undefined) open.toUs = e.t;
    }
  }
  return bands;
};

/** The initial time range: around the first fault when the run is long enough for it to matter, else the whole run. */
export const focusDomainS = (faultUs: Micros | null, untilUs: Micros): readonly [number, number] => {
  if (faultUs === null || untilUs <= 180e6) return [0, S(untilUs)];
  return [Math.max(0, S(faultUs) - 15), Math.min(S(untilUs), S(faultUs) + 75)];
};

const messageRows = (layout: Layout, messages: readonly DiagramMessage[]) => {
  const rows: Record<string, unknown>[] = [];
  const heads: Record<string, unknown>[] = [];
  const lost: Record<string, unknown>[] = [];
  for (const m of messages) {
    const x = hostX(layout, m.from);
    const to = hostX(layout, m.to);
    const arrived = m.arriveUs !== null;
    const x2 = arrived ? to : x + (to - x) * 0.55;
    const t2 = S(m.arriveUs ?? m.sentUs);
    const base = { label: m.label, wire: m.wire, from: m.from, to: m.to, sentS: S(m.sentUs) };
    rows.push({ ...base, x, x2, t: S(m.sentUs), t2, fate: arrived ? 'arrived' : 'lost', sending: m.retransmit ? 'retransmission' : 'first transmission' });
    const dir = to > x ? 'right' : 'left';
    if (arrived) heads.push({ label: m.label, dir, x: to - (dir === 'right' ? 0.04 : -0.04), t: t2 });
    else lost.push({ mark: 'message lost', host: m.from, x: x2, t: S(m.sentUs), tS: S(m.sentUs), detail: `${m.label} (${m.wire}) to ${m.to}, lost` });
  }
  return { rows, heads, lost };
};

/** Runs the scenario with the diagram's listener and tap, and returns the run and the page. */
export const runDiagram = async (sc: Scenario, opts: DiagramOptions = {}): Promise<{ output: RunOutput; html: string }> => {
  const clients = [...new Set(['c1', ...(opts.follow ?? [])])];
  const lanes: Lanes = { clients, servers: names('s', sc.servers), subscribers: names('sub', sc.subscribers) };
  const collector = new DiagramCollector(lanes);
  const output = runScenario(sc, {
    trace: 'followed',
    quiet: opts.quiet !== false,
    viewer: { follow: clients, onEvent: collector.onEvent, wireTap: collector.onWire },
  });
  const { events, messages } = collector;
  const spans = stateSpans(lanes, events, sc.untilUs);
  const marks0 = diagramMarks(events, messages);
  const used = new Set<string>([...spans.map((s) => s.state), ...messages.map((m) => m.label), ...marks0.map((m) => m.mark)]);
  if (messages.some((m) => m.arriveUs === null)) used.add('message lost');
  const layout: Layout = { hosts: laneNames(lanes), columns: stateColumns(spans), untilS: S(sc.untilUs), used };
  const xEnd = columnX(layout, layout.columns.at(-1) ?? '') + COLUMN_WIDTH;
  const windows = analyticWindows(
    output.result,
    { client: 'c1 connection', server: `${lanes.servers[0]}: c1`, subscribers: lanes.subscribers.map((s) => `${s} sees c1`) },
    sc.untilUs,
  );
  const bands = [
    ...faultBands(events, sc.untilUs).map((b) => ({ kind: 'fault', x: -0.5, x2: xEnd + 0.1, t: S(b.fromUs), t2: S(b.toUs), what: b.what })),
    ...windows.windows
      .filter((w) => layout.columns.includes(w.column))
      .map((w) => ({
        kind: 'analytic window',
        x: columnX(layout, w.column) - 0.05,
        x2: columnX(layout, w.column) + COLUMN_WIDTH + 0.05,
        t: S(w.fromUs),
        t2: S(w.toUs),
        what: w.what,
      })),
  ];
  const states = spans.map((s) => {
    const x = columnX(layout, s.column) + (s.slot * COLUMN_WIDTH) / s.slots;
    return { column: s.column, state: s.state, detail: s.detail, x, x2: x + COLUMN_WIDTH / s.slots, t: S(s.fromUs), t2: S(s.toUs), from: S(s.fromUs) };
  });
  const msg = messageRows(layout, messages);
  const marks = marks0.map((m) => ({ mark: m.mark, host: m.host, detail: m.detail, x: hostX(layout, m.host), t: S(m.tUs), tS: S(m.tUs) }));
  const focus = focusDomainS(output.result.metrics.faultAtMs === null ? null : output.result.metrics.faultAtMs * 1000, sc.untilUs);
  const vl = await import('vega-lite');
  const compile = (d: readonly [number, number]) => vl.compile(diagramSpec(layout, d) as unknown as Parameters<typeof vl.compile>[0]).spec;
  const omitted = [
    sc.servers > MAX_LANES_PER_ROLE ? `servers s${MAX_LANES_PER_ROLE + 1}…s${sc.servers}` : null,
    sc.subscribers > MAX_LANES_PER_ROLE ? `subscribers sub${MAX_LANES_PER_ROLE + 1}…sub${sc.subscribers}` : null,
    sc.clients > clients.length ? `${sc.clients - clients.length} other clients (add lanes with --follow c7,c8)` : null,
  ].filter((x): x is string => x !== null);
  const page: DiagramPage = {
    result: output.result,
    replay: replayCommand(sc),
    lanes: layout.hosts,
    notes: [...windows.notes, ...(omitted.length > 0 ? [`not drawn: ${omitted.join('; ')}`] : [])],
    views: {
      focus: { label: 'around the fault', domainS: focus, spec: compile(focus) },
      whole: { label: 'whole run', domainS: [0, layout.untilS], spec: compile([0, layout.untilS]) },
    },
    data: {
      lanes: layout.hosts.map((h) => ({ x: hostX(layout, h), name: h })),
      bands,
      states,
      messages: msg.rows,
      heads: msg.heads,
      marks: [...msg.lost, ...marks],
    },
  };
  return { output, html: renderDiagramPage(page) };
};
