import type { VegaLiteSpec } from '../../report/charts.js';
import { parseDuration } from '../../scenario/duration.js';
import { type CapacityRunJson, int, type Onsets, totalMsgs } from './facts.js';
import { type CapacityPlan, MODELS } from './plan.js';

/**
 * The charts of results/capacity/README.md (Vega-Lite specs, drawn to SVG by src/report/render.ts):
 * load, false expiry and queue waits against the client count; pushes, removals and registrations
 * per second through the burst.
 */
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = { background: 'white', font: 'Helvetica, Arial, sans-serif', view: { stroke: '#ddd' } };
const xClients = { field: 'clients', type: 'quantitative', title: 'clients', scale: { type: 'log' } };
const lineChart = (title: string, rows: readonly object[], y: object, extra: readonly object[] = []): VegaLiteSpec => ({
  $schema: SCHEMA,
  title,
  width: 560,
  height: 300,
  config: CONFIG,
  layer: [
    { data: { values: rows }, mark: { type: 'line', point: true }, encoding: { x: xClients, y, color: { field: 'series', type: 'nominal', title: null } } },
    ...extra,
  ],
});
const rule = (clients: number, label: string): object => ({
  data: { values: [{ clients, label }] },
  layer: [
    { mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { x: { field: 'clients', type: 'quantitative' } } },
    {
      mark: { type: 'text', angle: 270, dx: -6, align: 'right', baseline: 'bottom', color: '#555', fontSize: 10, y: 4 },
      encoding: { x: { field: 'clients', type: 'quantitative' }, text: { field: 'label' } },
    },
  ],
});

export interface ChartInput {
  readonly plan: CapacityPlan;
  readonly runs: readonly CapacityRunJson[];
  readonly v1: readonly CapacityRunJson[];
  readonly v2: readonly CapacityRunJson[];
  readonly ns: readonly number[];
  readonly onsets: Onsets;
  readonly burst: (model: string, capacity: string) => CapacityRunJson | undefined;
}

export const capacityCharts = (c: ChartInput): Record<string, VegaLiteSpec> => {
  const { v1: V1, v2: V2, ns, onsets, plan } = c;
  const inRange = (n: number | null): n is number => n !== null && n >= (ns[0] ?? 0) && n <= (ns.at(-1) ?? 0);
  const charts: Record<string, VegaLiteSpec> = {};
  {
    const rows: { clients: number; rate: number; series: string }[] = [];
    for (const r of V1)
      rows.push(
        { clients: r.clients, rate: r.loadPerSec.beats ?? 0, series: '1.x beats' },
        { clients: r.clients, rate: totalMsgs(r), series: '1.x every message' },
      );
    for (const r of V2)
      rows.push(
        { clients: r.clients, rate: r.loadPerSec.healthChecks ?? 0, series: '2.x health checks' },
        { clients: r.clients, rate: totalMsgs(r), series: '2.x every message' },
      );
    charts.load = lineChart(
      `Server messages per second (steady, ${plan.steady.capacity})`,
      rows.filter((x) => x.rate > 0),
      { field: 'rate', type: 'quantitative', title: 'messages per second', scale: { type: 'log' } },
    );
  }
  {
    const rows: object[] = [];
    for (const r of V1)
      rows.push(
        { clients: r.clients, share: (100 * r.instancesFalselyUnhealthy) / r.clients, series: '1.x marked unhealthy' },
        { clients: r.clients, share: (100 * r.instancesFalselyRemoved) / r.clients, series: '1.x removed' },
      );
    for (const r of V2)
      rows.push(
        { clients: r.clients, share: (100 * r.clientsFalselyDisconnected) / r.clients, series: '2.x disconnected' },
        { clients: r.clients, share: (100 * r.instancesFalselyRemoved) / r.clients, series: '2.x removed' },
      );
    const extra: object[] = [];
    if (inRange(onsets.unhealthy)) extra.push(rule(onsets.unhealthy, '1.x unhealthy onset (analytic)'));
    if (inRange(onsets.removed)) extra.push(rule(onsets.removed, '1.x removal onset (analytic)'));
    if (inRange(onsets.v2)) extra.push(rule(onsets.v2, '2.x disconnection onset (analytic)'));
    const minutes = parseDuration(plan.steady.until, 'until') / 60e6;
    charts.expiry = lineChart(
      `Live instances falsely expired in a ${minutes}-minute run (%)`,
      rows,
      { field: 'share', type: 'quantitative', title: '% of live instances' },
      extra,
    );
  }
  {
    const rows: object[] = [];
    for (const [label, rs] of [
      ['1.x', V1],
      ['2.x', V2],
    ] as const)
      for (const r of rs) for (const [pool, ms] of Object.entries(r.peakWaitMs)) rows.push({ clients: r.clients, wait: ms / 1000, series: `${label} ${pool}` });
    charts.wait = lineChart('Longest queue wait per pool (s; ≥ 1 ms recorded, true peak < 2× this)', rows, {
      field: 'wait',
      type: 'quantitative',
      title: 'seconds',
      scale: { type: 'log' },
    });
  }
  // The burst charts start 10 s before the cut.
  const fromS = parseDuration(plan.burst.at, 'at') / 1e6 - 10;
  const series = (kind: 'pushes' | 'removals' | 'registrations'): { t: number; n: number; series: string }[] => {
    const rows: { t: number; n: number; series: string }[] = [];
    for (const model of MODELS)
      for (const cap of plan.burst.capacities) {
        const b = c.burst(model, cap);
        if (b?.perSecond == null) continue;
        b.perSecond[kind].forEach((n, s) => {
          rows.push({ t: s, n, series: `${model === 'nacos-v1' ? '1.x' : '2.x'} ${cap}` });
        });
      }
    return rows;
  };
  const timeChart = (title: string, kind: 'pushes' | 'removals' | 'registrations', yTitle: string): VegaLiteSpec => ({
    $schema: SCHEMA,
    title,
    width: 640,
    height: 260,
    config: CONFIG,
    data: { values: series(kind).filter((r) => r.t >= fromS) },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'simulated time (s)' },
      y: { field: 'n', type: 'quantitative', title: yTitle },
      color: { field: 'series', type: 'nominal', title: null },
    },
  });
  if (c.runs.some((r) => r.kind === 'burst')) {
    const b = plan.burst;
    charts['burst-pushes'] = timeChart(
      `Pushes per second: ${int(b.clients)} clients, ${b.subscribers} subscribers, ${b.rackPercent} % cut ${b.at}-${b.heal}`,
      'pushes',
      'pushes sent per second',
    );
    charts['burst-churn'] = timeChart('Removals per second (the rack expiring, then any false expiry)', 'removals', 'instances removed per second');
    charts['burst-registrations'] = timeChart('Registrations per second (the rack coming back after the heal)', 'registrations', 'registrations per second');
  }
  return charts;
};
