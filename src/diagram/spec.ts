import type { VegaLiteSpec } from '../report/charts.js';
import { MESSAGE_LABELS, type MessageLabel } from './collect.js';
import { MARKS, type MarkName } from './marks.js';
import { STATES, type StateName } from './states.js';

/**
 * The diagram as Vega-Lite: one layered chart whose y is simulated time (seconds, downwards),
 * whose x holds a vertical lane per host and, right of them, the state lanes. Everything shares
 * one y scale, so zooming (wheel) and panning (drag) move arrows and states together. The data
 * sets are named, not inlined: the page hands them to the view once (`page.ts`).
 */

export const HOST_STEP = 1;
export const COLUMN_WIDTH = 0.7;
export const COLUMN_STEP = 0.8;
const PX_PER_UNIT = 120;
export const DETAIL_HEIGHT = 760;

/** Colours keyed by name: a `Record` over each list, so that a new label, state or mark forgotten here fails tsc. */
const MESSAGE_COLOURS: Readonly<Record<MessageLabel, string>> = {
  'health check': '#1f77b4',
  'health check reply': '#17becf',
  request: '#9467bd',
  reply: '#c5b0d5',
  push: '#2ca02c',
  'push ack': '#98df8a',
  probe: '#ff7f0e',
  connect: '#8c564b',
  close: '#e377c2',
  ping: '#bcbd22',
  'TCP ack': '#b8b8b8',
};

const STATE_COLOURS: Readonly<Record<StateName, string>> = {
  connecting: '#dadaeb',
  connected: '#74c476',
  'cut off, reconnecting': '#fd8d3c',
  beating: '#74c476',
  paused: '#9e9ac8',
  crashed: '#252525',
  'beat loop dead': '#a50f15',
  'not registered': '#f0f0f0',
  'registered, healthy': '#31a354',
  unhealthy: '#fdae6b',
  removed: '#de2d26',
  'connection held': '#6baed6',
  'no view yet': '#f0f0f0',
  'lists the instance': '#a1d99b',
  'does not list it': '#fcbba1',
};

const MARK_STYLE: Readonly<Record<MarkName, readonly [shape: string, colour: string]>> = {
  'message lost': ['cross', '#d62728'],
  'health check answered': ['diamond', '#2ca02c'],
  'health check unanswered': ['diamond', '#d62728'],
  'gave up (cut off)': ['square', '#d62728'],
  'reconnect attempt': ['circle', '#ff7f0e'],
  connected: ['triangle-up', '#2ca02c'],
  'probe sent': ['triangle-down', '#ff7f0e'],
  'connection dropped': ['wedge', '#7f7f7f'],
  'instance removed': ['square', '#000000'],
  'view changed': ['triangle-left', '#2ca02c'],
};

export const BAND_KINDS = ['fault', 'analytic window'] as const;

export interface Layout {
  readonly hosts: readonly string[];
  readonly columns: readonly string[];
  readonly untilS: number;
  /** The labels, states and marks this run has: the legends list only those (colours stay fixed per name). */
  readonly used: ReadonlySet<string>;
}

export const hostX = (layout: Layout, host: string): number => layout.hosts.indexOf(host) * HOST_STEP;
export const columnX = (layout: Layout, column: string): number => layout.hosts.length - 0.3 + layout.columns.indexOf(column) * COLUMN_STEP;
const xMax = (l: Layout): number => l.hosts.length - 0.3 + l.columns.length * COLUMN_STEP;

const scale = <K extends string>(domain: readonly K[], range: (k: K) => string, used?: ReadonlySet<string>) => {
  const d = used === undefined ? [...domain] : domain.filter((k) => used.has(k));
  return { domain: d, range: d.map(range) };
};

/** Axis labels at lane centres: Vega expressions have no map literal, so a chain of tests. */
const laneLabels = (l: Layout): { values: number[]; labelExpr: string } => {
  const at: [number, string][] = [
    ...l.hosts.map((h): [number, string] => [hostX(l, h), h]),
    ...l.columns.map((c): [number, string] => [Math.round((columnX(l, c) + COLUMN_WIDTH / 2) * 1000) / 1000, c]),
  ];
  const labelExpr = at.reduceRight((rest, [x, name]) => `abs(datum.value - ${x}) < 0.001 ? ${JSON.stringify(name)} : ${rest}`, "''");
  return { values: at.map(([x]) => x), labelExpr };
};

const T = { field: 't', type: 'quantitative' } as const;
const T2 = { field: 't2' } as const;

const bandsLayer = (legend: boolean) => ({
  data: { name: 'bands' },
  mark: { type: 'rect', clip: true, fillOpacity: 0.22, strokeDash: [4, 3], strokeWidth: 1 },
  encoding: {
    y: T,
    y2: T2,
    x2: { field: 'x2' },
    fill: {
      field: 'kind',
      type: 'nominal',
      title: 'windows',
      ...(legend ? {} : { legend: null }),
      scale: scale(BAND_KINDS, (k) => (k === 'fault' ? '#d62728' : '#6a51a3')),
    },
    stroke: { field: 'kind', type: 'nominal', legend: null, scale: scale(BAND_KINDS, (k) => (k === 'fault' ? '#ffffff00' : '#6a51a3')) },
    tooltip: [{ field: 'what', title: 'window' }],
  },
  name: 'bands',
});

const statesLayer = (used: ReadonlySet<string>, legend: boolean) => ({
  data: { name: 'states' },
  mark: { type: 'rect', clip: true, stroke: '#ffffff', strokeWidth: 0.5 },
  encoding: {
    y: T,
    y2: T2,
    x2: { field: 'x2' },
    color: { field: 'state', type: 'nominal', title: 'state lanes', ...(legend ? {} : { legend: null }), scale: scale(STATES, (s) => STATE_COLOURS[s], used) },
    tooltip: [{ field: 'column', title: 'lane' }, { field: 'state' }, { field: 'from', title: 'from' }, { field: 'detail' }],
  },
  name: 'states',
});

type Layer = { readonly name: string; readonly encoding: object } & Record<string, unknown>;

/**
 * Gives every layer the one x and y definition (a layer's channel replaces its parent's whole,
 * axis and scale included, so they are not inherited): the lanes' rules have no time and span the height.
 */
const withAxes = (x: object, y: object, layers: readonly Layer[]) =>
  layers.map((l) => ({ ...l, encoding: l.name === 'lanes' ? { ...l.encoding, x } : { ...l.encoding, x, y } }));

/** The whole chart; `domainS` is the initial time range of the zoomable diagram. */
export const diagramSpec = (layout: Layout, domainS: readonly [number, number]): VegaLiteSpec => {
  const labels = laneLabels(layout);
  const width = Math.round(PX_PER_UNIT * (xMax(layout) + 0.5));
  const x = {
    field: 'x',
    type: 'quantitative',
    scale: { domain: [-0.5, xMax(layout)] },
    axis: { orient: 'top', title: '', grid: false, ...labels, labelAngle: -25, labelAlign: 'left', labelLimit: 200 },
  };
  const y = {
    ...T,
    axis: { title: 'simulated time (s)', grid: true, gridOpacity: 0.35 },
    scale: { domain: [...domainS], reverse: true, zero: false, nice: false },
  };
  const detail = {
    width,
    height: DETAIL_HEIGHT,
    resolve: { scale: { color: 'independent', shape: 'independent', fill: 'independent', stroke: 'independent', strokeDash: 'independent' } },
    layer: withAxes(x, y, [
      {
        data: { name: 'lanes' },
        mark: { type: 'rule', color: '#444', strokeWidth: 1.5 },
        encoding: {},
        name: 'lanes',
      },
      bandsLayer(true),
      // The zoom lives on a layer that always has rows and a y field: every run has a client lane.
      { ...statesLayer(layout.used, true), params: [{ name: 'zoom', select: { type: 'interval', encodings: ['y'] }, bind: 'scales' }] },
      {
        data: { name: 'messages' },
        mark: { type: 'rule', clip: true, strokeWidth: 1.4 },
        encoding: {
          y: T,
          y2: T2,
          x2: { field: 'x2' },
          color: { field: 'label', type: 'nominal', title: 'messages', scale: scale(MESSAGE_LABELS, (m) => MESSAGE_COLOURS[m], layout.used) },
          strokeDash: {
            field: 'sending',
            type: 'nominal',
            title: 'line',
            scale: {
              domain: ['first transmission', 'retransmission'],
              range: [
                [1, 0],
                [4, 3],
              ],
            },
          },
          tooltip: [
            { field: 'label' },
            { field: 'wire' },
            { field: 'from' },
            { field: 'to' },
            { field: 'sentS', title: 'sent (s)' },
            { field: 'fate' },
            { field: 'sending' },
          ],
        },
        name: 'messages',
      },
      {
        data: { name: 'heads' },
        mark: { type: 'point', clip: true, filled: true, size: 45, opacity: 1 },
        encoding: {
          y: T,
          color: { field: 'label', type: 'nominal', legend: null, scale: scale(MESSAGE_LABELS, (m) => MESSAGE_COLOURS[m], layout.used) },
          shape: { field: 'dir', type: 'nominal', legend: null, scale: { domain: ['right', 'left'], range: ['triangle-right', 'triangle-left'] } },
        },
        name: 'heads',
      },
      {
        data: { name: 'marks' },
        mark: { type: 'point', clip: true, filled: true, size: 90, opacity: 1, strokeWidth: 2 },
        encoding: {
          y: T,
          shape: { field: 'mark', type: 'nominal', title: 'events', scale: scale(MARKS, (m) => MARK_STYLE[m][0], layout.used) },
          color: { field: 'mark', type: 'nominal', title: 'events', scale: scale(MARKS, (m) => MARK_STYLE[m][1], layout.used) },
          tooltip: [{ field: 'mark', title: 'event' }, { field: 'host' }, { field: 'tS', title: 'at (s)' }, { field: 'detail' }],
        },
        name: 'marks',
      },
    ]),
  };
  const overview = {
    width: Math.max(60, 28 * layout.columns.length),
    height: DETAIL_HEIGHT,
    title: { text: 'whole run', fontSize: 11 },
    resolve: { scale: { fill: 'independent', stroke: 'independent' } },
    layer: withAxes(
      { field: 'x', type: 'quantitative', axis: null, scale: { domain: [layout.hosts.length - 0.3, xMax(layout)] } },
      { ...T, axis: { title: '' }, scale: { domain: [0, layout.untilS], reverse: true, zero: false, nice: false } },
      [bandsLayer(false), statesLayer(layout.used, false)],
    ),
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { legend: { orient: 'right' }, view: { stroke: null } },
    hconcat: [{ ...overview, layer: overview.layer.map((l) => ({ ...l, name: `overview-${l.name}` })) }, detail],
  } as unknown as VegaLiteSpec;
};
