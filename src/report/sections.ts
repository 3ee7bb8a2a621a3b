import type { Distribution } from '../analysis/distribution.js';
import type { SweepHeader } from '../sweep/plan.js';
import type { PointSummary } from '../sweep/summary.js';
import { loadChart, paretoChart, paretoFront, spreadChart, type VegaLiteSpec } from './charts.js';
import type { Block } from './document.js';
import type { LoadedSweep } from './load.js';

/** The report's sections for one sweep, as blocks; `chart` registers a chart file and returns its block. */
type ChartFn = (name: string, spec: VegaLiteSpec, alt: string) => Block;

const secs = (ms: number | null): string => (ms === null ? 'never' : (ms / 1000).toFixed(3));
const pct = (x: number | null): string => (x === null ? '–' : `${Number((x * 100).toPrecision(4))} %`);
const RIGHT = (n: number): ('left' | 'right')[] => ['left', ...Array.from({ length: n }, () => 'right' as const)];

/** A setting's short name: its varied values (the axis title names the keys). */
export const settingLabel = (set: Readonly<Record<string, string>>): string => Object.values(set).join(' · ');
const axisTitle = (h: SweepHeader): string => h.vary.map((a) => a.key).join(' · ');

/** The `livesim sweep` line that reproduces this plan (the values listed explicitly). */
export const sweepCommandLine = (h: SweepHeader): string => {
  const parts = ['livesim sweep', `--model ${h.model}`];
  if (h.network !== null && h.network !== undefined) parts.push(`--network ${h.network}`);
  for (const [k, v] of Object.entries(h.set)) parts.push(`--set ${k}=${v}`);
  for (const a of h.vary) parts.push(`--vary ${a.key}=${a.values.join(',')}`);
  for (const f of h.faults) parts.push(`--fault ${f}`);
  parts.push(`--runs ${h.runs}`);
  if (h.seedBase !== 1) parts.push(`--seed ${h.seedBase}`);
  if (h.until !== '10m') parts.push(`--until ${h.until}`);
  if (h.clients !== 1) parts.push(`--clients ${h.clients}`);
  if (h.subscribers !== 1) parts.push(`--subscribers ${h.subscribers}`);
  if (h.servers !== 1) parts.push(`--servers ${h.servers}`);
  if (h.clientVersion !== null) parts.push(`--client-version ${h.clientVersion}`);
  if (h.serverVersion !== null) parts.push(`--server-version ${h.serverVersion}`);
  return `${parts.join(' ')} --out FILE.jsonl`;
};

const distRow = (label: string, d: Distribution): string[] => [
  label,
  String(d.n),
  String(d.never),
  secs(d.min),
  secs(d.p50),
  secs(d.p90),
  secs(d.p99),
  secs(d.max),
];
const DIST_HEAD = ['setting', 'runs', 'never', 'min', 'p50', 'p90', 'p99', 'max'];

const legal = (sweep: LoadedSweep): PointSummary[] => sweep.summaries.filter((s) => s.illegal === null && s.runs > 0);

export const sweepBlocks = (sweep: LoadedSweep, level: 2 | 3, chart: ChartFn): Block[] => {
  const h = sweep.header;
  const points = legal(sweep);
  const labels = points.map((s) => settingLabel(s.set));
  const title = axisTitle(h);
  const out: Block[] = [
    { kind: 'heading', level, text: 'Sweep' },
    { kind: 'list', items: aboutItems(sweep) },
    { kind: 'code', text: sweepCommandLine(h) },
  ];
  if (h.faults.length > 0) {
    const spread = (pick: (s: PointSummary) => Distribution, runs: readonly (readonly (number | null)[])[], what: string, yTitle: string) =>
      spreadChart({
        title: what,
        axisTitle: title,
        yTitle,
        labels,
        values: points.map((s) => (runs[s.point] ?? []).flatMap((v) => (v === null ? [] : [v / 1000]))),
        p99: points.map((s) => (pick(s).p99 === null ? null : (pick(s).p99 as number) / 1000)),
      });
    out.push(
      { kind: 'heading', level, text: 'Detection time: fault → the server removes the instance' },
      chart(
        'detection',
        spread((s) => s.detectionMs, sweep.detectionMs, 'Detection time per setting', 'detection time (s)'),
        'Detection time per setting: box from p25 to p75, whiskers at min and max, red tick at p99',
      ),
      { kind: 'paragraph', text: 'Seconds from the fault onset; **never** counts runs where the server had not removed the instance by the horizon.' },
      { kind: 'table', head: DIST_HEAD, rows: points.map((s, k) => distRow(labels[k] as string, s.detectionMs)), align: RIGHT(7) },
    );
    const p99 = points.map((s) => (s.detectionMs.p99 === null ? null : s.detectionMs.p99 / 1000));
    const frr = points.map((s) => s.falseRemovalRate);
    const front = paretoFront(p99, frr);
    out.push(
      { kind: 'heading', level, text: 'Detection p99 vs false-removal rate (Pareto front)' },
      chart(
        'pareto',
        paretoChart({ labels, p99Seconds: p99, falseRemovalRate: frr, front }),
        'Detection p99 against the share of runs that removed a live instance; the Pareto front in red',
      ),
      {
        kind: 'paragraph',
        text: `On the front (no other setting is both faster at p99 and no worse on false removals): ${front.map((k) => `\`${labels[k]}\` (p99 ${secs(points[k]?.detectionMs.p99 ?? null)} s, false removals ${pct(frr[k] ?? null)})`).join(', ') || 'none'}.${neverNote(labels, p99)}`,
      },
      { kind: 'heading', level, text: 'Stale time at subscribers: fault → the last subscriber stops listing the instance' },
      chart(
        'stale',
        spread((s) => s.staleMs, sweep.staleMs, 'Stale time at subscribers per setting', 'stale time (s)'),
        'Stale time at subscribers per setting',
      ),
      { kind: 'table', head: DIST_HEAD, rows: points.map((s, k) => distRow(labels[k] as string, s.staleMs)), align: RIGHT(7) },
    );
  }
  const clientsAxis = h.vary.some((a) => a.key === 'clients');
  out.push(
    { kind: 'heading', level, text: 'Server load' },
    chart(
      'messages',
      loadChart({
        labels,
        axisTitle: title,
        messagesPerSec: points.map((s) => s.messagesPerSec),
        clients: clientsAxis ? points.map((s) => Number(s.set.clients)) : null,
        series: clientsAxis ? points.map((s) => settingLabel(Object.fromEntries(Object.entries(s.set).filter(([k]) => k !== 'clients'))) || 'all') : null,
      }),
      'Protocol messages per simulated second',
    ),
    {
      kind: 'paragraph',
      text: 'Protocol messages (beats, registrations, requests, health checks, probes, TCP checks, queries, pushes and their acks) and raw datagrams per simulated second, mean over the runs (the whole horizon, fault included).',
    },
    {
      kind: 'table',
      head: ['setting', 'messages/s', 'datagrams/s', 'runs with a false removal', 'false removals'],
      rows: points.map((s, k) => [labels[k] as string, fixed(s.messagesPerSec), fixed(s.datagramsPerSec), pct(s.falseRemovalRate), String(s.falseRemovals)]),
      align: RIGHT(4),
    },
  );
  const illegal = sweep.summaries.filter((s) => s.illegal !== null);
  if (illegal.length > 0) {
    out.push(
      { kind: 'heading', level, text: 'Illegal settings (not run)' },
      { kind: 'list', items: illegal.map((s) => `\`${settingLabel(s.set)}\`: ${s.illegal}`) },
    );
  }
  const worst = points.slice(0, 50).flatMap((s) => {
    const replay = sweep.worstReplay[s.point];
    return replay === null || replay === undefined ? [] : [[settingLabel(s.set), secs(s.detectionMs.max), `\`${replay}\``]];
  });
  if (worst.length > 0 && h.faults.length > 0) {
    out.push(
      { kind: 'heading', level, text: 'Slowest run per setting (replay)' },
      { kind: 'table', head: ['setting', 'detection (s)', 'replay'], rows: worst, align: ['left', 'right', 'left'] },
    );
  }
  return out;
};

const neverNote = (labels: readonly string[], p99: readonly (number | null)[]): string => {
  const never = labels.filter((_, k) => p99[k] === null);
  return never.length === 0
    ? ''
    : ` Not on the chart, because their p99 is never (too many runs not detected within the horizon): ${never.map((l) => `\`${l}\``).join(', ')}.`;
};

const fixed = (x: number | null): string => (x === null ? '–' : x.toFixed(3));

const aboutItems = (sweep: LoadedSweep): string[] => {
  const h = sweep.header;
  const onset =
    h.onset === null
      ? ''
      : ` (no @START: onset = ${h.onset.warmupMs} ms warm-up + U[0, ${h.onset.periodMs} ms) — one timer period — drawn from the seed alone, so every setting sees the same onset for a seed)`;
  return [
    `model **${h.model}**${h.network === null || h.network === undefined ? '' : `, network preset ${h.network}`}; horizon ${h.until}; ${h.clients} client(s), ${h.subscribers} subscriber(s), ${h.servers} server(s)`,
    `faults: ${h.faults.length === 0 ? 'none' : h.faults.map((f) => `\`${f}\``).join(', ')}${onset}`,
    `${h.points} settings × ${h.runs} seeds (${h.seedBase}..${h.seedBase + h.runs - 1}) = ${h.total} runs; ${sweep.runs === h.total ? 'complete' : `**incomplete: ${sweep.runs} of ${h.total} runs**`}`,
    `fixed settings: ${
      Object.keys(h.set).length === 0
        ? 'model defaults'
        : Object.entries(h.set)
            .map(([k, v]) => `\`${k}=${v}\``)
            .join(', ')
    }`,
    `files: ${sweep.files.map((f) => `\`${f}\``).join(', ')} (plan ${h.planHash})`,
  ];
};

const duration = (ms: number | null): string => {
  if (ms === null) return '–';
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(2)} h`;
  return `${(ms / 1000).toFixed(3)} s`;
};

export const qosBlocks = (sweep: LoadedSweep, level: 2 | 3): Block[] => {
  const points = legal(sweep);
  const faulted = sweep.header.faults.length > 0;
  const rows = points.map((s) => {
    const q = s.qos;
    const tmr = q.tmrMs === null ? (q.observedMs > 0 ? `> ${duration(q.observedMs)}` : '–') : duration(q.tmrMs);
    return [
      settingLabel(s.set),
      faulted ? secs(q.td.p50) : '–',
      faulted ? secs(q.td.p99) : '–',
      faulted ? secs(q.td.max) : '–',
      tmr,
      duration(q.tmMs),
      q.pA === null ? '–' : String(q.pA),
      q.mistakesPerHour === null ? '–' : String(Number(q.mistakesPerHour.toPrecision(4))),
      duration(q.observedMs),
    ];
  });
  return [
    { kind: 'heading', level, text: 'Failure-detector QoS (Chen, Toueg, Aguilera)' },
    {
      kind: 'paragraph',
      text: "The registry as a failure detector for c1's instance: it *suspects* the instance from the moment it is marked unhealthy or removed, and *trusts* it again when it is healthy or registered again. **T_D** runs from the fault to the last transition to suspect (for Nacos 1.x that is the unhealthy mark, before the removal above); **never** = still trusted, or trusted again, at the horizon. Accuracy comes from the failure-free part of each run (registration → first moment the client is unreachable; loss and delay faults keep it reachable): a mistake is a suspicion of a reachable instance. **E(T_MR)** = failure-free time / mistakes (above the observed time when there were none), **E(T_M)** = mean mistake duration, **P_A** = the fraction of failure-free time the output was right (= 1 − E(T_M)/E(T_MR)), **λ_M** = mistakes per hour. Reference: W. Chen, S. Toueg, M. K. Aguilera, On the Quality of Service of Failure Detectors, IEEE Trans. Computers 51(5), 2002.",
    },
    {
      kind: 'table',
      head: ['setting', 'T_D p50 (s)', 'T_D p99 (s)', 'T_D max (s)', 'E(T_MR)', 'E(T_M)', 'P_A', 'λ_M (per h)', 'failure-free time'],
      rows,
      align: RIGHT(8),
    },
  ];
};
