import type { ChalkInstance } from 'chalk';
import type { Expectation, Interval } from '../../src/analysis/bounds.js';
import type { Mechanism } from '../../src/analysis/mechanisms.js';
import { comebacks, lastHeardAt } from '../../src/analysis/metrics.js';
import { removalCause } from '../../src/analysis/removal-cause.js';
import type { RunResult } from '../../src/scenario/run.js';
import { msToUs } from '../../src/sim/time.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { seconds } from './units.js';

const secs = (ms: number): string => seconds(ms);
const interval = (i: Interval): string => `(${secs(i.lowerMs)}, ${secs(i.upperMs)}]`;
const expectation = (e: Expectation): string =>
  e.kind === 'within' ? `bound ${interval(e.interval)}` : e.kind === 'never' ? `bound: never (${e.why})` : `no analytic bound (${e.why})`;

interface Row {
  readonly atMs: number;
  readonly mark: string;
  readonly text: string;
  readonly note?: string;
  /** Continues the row above: no time of its own. */
  readonly continues?: boolean;
}

/**
 * The default terminal view of a run: who the run is, a timeline of the events that decide
 * liveness, the metrics, and the line that replays it.
 */
/** The warning a run without a fault in its horizon deserves (null: a fault started), for stderr. */
export const runWarning = (r: RunResult): string | null => {
  if (r.metrics.faultAtMs !== null) return null;
  if (r.faults.length === 0) return 'warning: no fault given, so there is nothing to detect (add one, e.g. --fault cut@60s)';
  return `warning: no fault starts within the horizon (until ${r.until}): ${r.faults.join(' ')} — nothing to detect (raise --until or start the fault earlier)`;
};

/** What the handler adds to a run: the line saying the horizon was extended, and the mechanisms with their windows. */
export interface RunContext {
  readonly horizonNote: string | null;
  readonly mechanisms: readonly Mechanism[];
}

const APP_ROWS: Readonly<Record<string, string>> = {
  'app.stop-serving': 'c1’s application stops serving (sim.app.onDisconnect)',
  'app.serving': 'c1’s application serves again',
  'app.deregister': 'c1’s application deregisters (sim.app.onDisconnect)',
  'app.exit': 'c1’s application exits (sim.app.onDisconnect)',
};

/**
 * Why a silent instance was not removed within the horizon, mechanism by mechanism: which windows
 * opened inside it (and what they needed), which lie beyond it.
 */
const notRemovedWhy = (e: Expectation | undefined, faultAtMs: number, stopMs: number, ms: readonly Mechanism[]): string => {
  if (e === undefined) return '';
  if (e.kind === 'never') return `: ${e.why}`;
  if (e.kind !== 'within') return '';
  const beyond = faultAtMs + e.interval.lowerMs >= stopMs;
  const parts = ms
    .filter((m) => m.window !== null && m.marksOnly !== true)
    .sort((a, b) => (a.window as Interval).lowerMs - (b.window as Interval).lowerMs)
    .map((m) => {
      const w = m.window as Interval;
      const name = `${m.name.replace(/ \(.*$/, '')} ${interval(w)}`;
      if (beyond) return name;
      return faultAtMs + w.lowerMs >= stopMs ? `${name} beyond it` : `${name} inside it, not reached${m.note === null ? '' : ` (${m.note})`}`;
    });
  const head = ` (the analytic window ${interval(e.interval)} ${beyond ? 'lies beyond the horizon' : 'starts inside the horizon'}`;
  return parts.length === 0 ? `${head})` : `${head}: ${parts.join('; ')})`;
};

export const formatRunText = (
  r: RunResult,
  trace: readonly TraceEvent[],
  replay: string,
  c: ChalkInstance,
  ctx: RunContext = { horizonNote: null, mechanisms: [] },
): string => {
  const m = r.metrics;
  const b = r.bounds;
  const rows: Row[] = [];
  const reg = trace.find((e) => e.kind === 'instance.register' && e.data?.instance === 'c1');
  if (reg !== undefined) rows.push({ atMs: reg.t / 1000, mark: c.green('+'), text: `c1's instance registered at ${reg.host}` });
  if (m.lastHeardAtMs !== null) rows.push({ atMs: m.lastHeardAtMs, mark: c.cyan('●'), text: `last message from c1 heard by the server` });
  for (const e of trace.filter((x) => x.kind === 'fault.start')) rows.push({ atMs: e.t / 1000, mark: c.red('✖'), text: `fault ${e.data?.fault}` });
  for (const e of trace.filter((x) => x.kind === 'fault.end')) rows.push({ atMs: e.t / 1000, mark: c.green('✔'), text: `fault ${e.data?.fault} ends` });
  if (m.clientDetectedAtMs !== null) rows.push({ atMs: m.clientDetectedAtMs, mark: c.yellow('◇'), text: 'c1 notices it is cut off' });
  for (const e of trace.filter((x) => x.host === 'c1' && APP_ROWS[x.kind] !== undefined))
    rows.push({ atMs: e.t / 1000, mark: c.yellow('◇'), text: APP_ROWS[e.kind] as string });
  if (m.serverUnhealthyAtMs !== null) {
    // Heard before the mark, not the run's last message: after a fault that heals, c1 is heard again later.
    const heardUs = lastHeardAt(trace, 'c1', msToUs(m.serverUnhealthyAtMs));
    const since = heardUs === null ? [] : [`${secs(m.serverUnhealthyAtMs - heardUs / 1000)} after last heard`];
    const note = [...since, ...(b === null ? [] : [expectation(b.unhealthyFromLastHeard)])].join('; ');
    rows.push({ atMs: m.serverUnhealthyAtMs, mark: c.yellow('▲'), text: 'instance marked unhealthy', note });
  }
  // Why an instance on a flapping link is never removed: it came back. (One server: in a cluster
  // nodes also list copies, and `flaps` follows other rules.)
  const back = r.servers === 1 && m.faultAtMs !== null ? comebacks(trace, 'c1', msToUs(m.faultAtMs))[0] : undefined;
  if (back !== undefined) {
    const how = back.kind === 'instance.healthy' ? 'healthy again' : 're-registered';
    const note = `c1 got through again${m.flaps > 1 ? `; ${m.flaps} flaps in all` : ''}`;
    rows.push({ atMs: back.t / 1000, mark: c.green('△'), text: `instance back: ${how}`, note });
  }
  if (m.serverRemovedAtMs !== null) {
    const note = m.detectionMs === null ? undefined : `detection ${secs(m.detectionMs)}${b === null ? '' : `; ${expectation(b.removedFromFault)}`}`;
    rows.push({ atMs: m.serverRemovedAtMs, mark: c.magenta('■'), text: 'instance removed by the server', note });
    const cause = removalCause(trace, 'c1', msToUs(m.serverRemovedAtMs));
    if (cause !== null) rows.push({ atMs: m.serverRemovedAtMs, mark: ' ', text: c.dim(`  because ${cause}`), continues: true });
  }
  // Without a fault there is nothing for the subscribers to stop seeing (the metric then holds
  // the moment before registration): no row, and the handler prints a warning instead.
  if (m.subscriberUpdatedAtMs !== null && m.faultAtMs !== null) {
    rows.push({
      atMs: m.subscriberUpdatedAtMs,
      mark: c.blue('◆'),
      text: 'last subscriber stops seeing c1',
      note: m.staleMs === null ? undefined : `stale ${secs(m.staleMs)}`,
    });
  }
  rows.sort((x, y) => x.atMs - y.atMs);

  const lines: string[] = [];
  lines.push(c.bold(`livesim run · ${r.model} (client ${r.clientVersion}, server ${r.serverVersion}) · seed ${r.seed} · until ${r.until}`));
  lines.push(
    c.dim(`faults: ${r.faults.length === 0 ? 'none' : r.faults.join(' ')} · clients ${r.clients} · subscribers ${r.subscribers} · servers ${r.servers}`),
  );
  if (ctx.horizonNote !== null) lines.push(c.dim(ctx.horizonNote));
  lines.push('');
  for (const row of rows) {
    lines.push(
      `  ${(row.continues === true ? '' : secs(row.atMs)).padStart(12)}  ${row.mark} ${row.text}${row.note === undefined ? '' : c.dim(`  — ${row.note}`)}`,
    );
  }
  if (m.faultAtMs !== null && m.serverRemovedAtMs === null) {
    const why = notRemovedWhy(b?.removedFromFault, m.faultAtMs, r.stop.atMs, ctx.mechanisms);
    lines.push(`  ${'never'.padStart(12)}  ${c.red('■')} ${c.red(`instance NOT removed within ${r.until}`)}${why}`);
  }
  // The seed question is the consumers': say so when they still call c1 at the end of the run
  // (not when c1 got through again: then it is alive and rightly listed).
  if (m.faultAtMs !== null && m.staleMs === null && r.subscribers > 0 && back === undefined) {
    lines.push(
      `  ${'never'.padStart(12)}  ${c.red('◆')} ${c.red(`subscribers still see c1 at ${r.until}`)}${c.dim(`  — because ${staleWhy(m.serverRemovedAtMs, b?.staleFromFault)}`)}`,
    );
  }
  lines.push('');
  const fmt = (v: number | null): string => (m.faultAtMs === null ? '–' : v === null ? 'never' : secs(v));
  lines.push(
    `detection ${c.bold(fmt(m.detectionMs))} · stale ${c.bold(fmt(m.staleMs))} · false removals ${m.falseRemovals} · re-registrations ${m.reRegistrations} · flaps ${m.flaps}`,
  );
  const msgs = Object.entries(m.messages)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(' · ');
  lines.push(c.dim(`messages: ${msgs}`));
  lines.push(c.dim(`trace ${r.traceHash.slice(0, 16)} (${r.stop.events} events, stopped at ${r.stop.reason})`));
  lines.push(c.dim(`replay: ${replay}`));
  return `${lines.join('\n')}\n`;
};

/** Why the subscribers still list c1 at the end: the server kept it, or the bound's own reason. */
const staleWhy = (removedAtMs: number | null, stale: Expectation | undefined): string => {
  if (stale !== undefined && stale.kind === 'never') return stale.why;
  if (removedAtMs === null) return 'the server never removed it';
  return 'no update reached them after the removal';
};
