import type { Distribution } from '../analysis/distribution.js';
import type { SweepHeader } from '../sweep/plan.js';
import type { PointSummary } from '../sweep/summary.js';
import { loadChart, type SpreadInput, spreadChart, spreadScale, type VegaLiteSpec } from './charts.js';
import type { Block } from './document.js';
import { pct, RIGHT, secs } from './format.js';
import { settingLabeller } from './labels.js';
import type { LoadedSweep } from './load.js';
import { paretoBlocks } from './pareto-section.js';
import { qosSection } from './qos-section.js';
import { horizonSeconds, legal } from './sweep-facts.js';

/** The report's sections for one sweep, as blocks; `chart` registers a chart file and returns its block. */
export type ChartFn = (name: string, spec: VegaLiteSpec, alt: string) => Block;

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

export const sweepBlocks = (sweep: LoadedSweep, level: 2 | 3, chart: ChartFn): Block[] => {
  const h = sweep.header;
  const points = legal(sweep);
  const settingLabel = settingLabeller(h.model);
  const labels = points.map((s) => settingLabel(s.set));
  const horizon = horizonSeconds(h);
  const out: Block[] = [
    { kind: 'heading', level, text: 'Sweep' },
    { kind: 'list', items: aboutItems(sweep) },
    { kind: 'code', text: sweepCommandLine(h) },
  ];
  if (h.faults.length > 0) {
    const spreadInput = (
      pick: (s: PointSummary) => Distribution,
      runs: readonly (readonly (number | null)[])[],
      what: string,
      xTitle: string,
    ): SpreadInput => ({
      title: what,
      xTitle,
      labels,
      values: points.map((s) => (runs[s.point] ?? []).flatMap((v) => (v === null ? [] : [v / 1000]))),
      p99: points.map((s) => (pick(s).p99 === null ? null : (pick(s).p99 as number) / 1000)),
      never: points.map((s) => pick(s).never),
      runs: points.map((s) => pick(s).n),
      horizonSeconds: horizon,
    });
    const detection = spreadInput((s) => s.detectionMs, sweep.detectionMs, 'Detection time per setting', 'detection time (s)');
    const stale = spreadInput((s) => s.staleMs, sweep.staleMs, 'Stale time at subscribers per setting', 'stale time (s)');
    const logNote = (i: SpreadInput): string => (spreadScale(i).type === 'log' ? ', on a log axis (the times span more than a decade)' : '');
    out.push(
      { kind: 'heading', level, text: 'Detection time: fault → the server removes the instance' },
      chart(
        'detection',
        spreadChart(detection),
        'Detection time per setting: box from p25 to p75, whiskers at min and max, red tick at p99, black diamond at the horizon for runs never detected (with their count)',
      ),
      {
        kind: 'paragraph',
        text: `Seconds from the fault onset${logNote(detection)}; **never** counts runs where the server had not removed the instance by the horizon (${h.until}), drawn as a diamond at the horizon.`,
      },
      { kind: 'table', head: DIST_HEAD, rows: points.map((s, k) => distRow(labels[k] as string, s.detectionMs)), align: RIGHT(7) },
    );
    out.push(
      ...paretoBlocks(points, labels, level, chart),
      { kind: 'heading', level, text: 'Stale time at subscribers: fault → the last subscriber stops listing the instance' },
      chart(
        'stale',
        spreadChart(stale),
        'Stale time at subscribers per setting: box from p25 to p75, whiskers at min and max, red tick at p99, black diamond at the horizon for runs whose subscribers still listed the instance (with their count)',
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
  out.push(...qosSection(sweep, level, chart));
  return out;
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

/**
 * The QoS section is part of sweepBlocks now (its chart needs `chart`, which this signature does
 * not get); report.ts still calls this after sweepBlocks, so it adds nothing. report.ts can drop the call.
 */
export const qosBlocks = (_sweep: LoadedSweep, _level: 2 | 3): Block[] => [];
