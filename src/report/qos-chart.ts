import type { Distribution } from '../analysis/distribution.js';
import { BLUE, CONFIG, DARK, ORANGE, ROW, SCHEMA, settingY } from './chart-style.js';
import { neverLayers, type VegaLiteSpec } from './charts.js';
import { type AxisScale, linearScale, timeScale, vegaScale } from './scale.js';

/**
 * The failure-detector QoS of Chen, Toueg and Aguilera (IEEE Trans. Computers 51(5), 2002) as one
 * chart: four panels, two by two, one row per setting. Speed is T_D (detection time); accuracy is
 * λ_M (mistake rate), E(T_M) (mean mistake duration) and P_A (query accuracy probability), each
 * measured over the failure-free part of the runs (src/analysis/qos.ts).
 */
export interface QosInput {
  readonly labels: readonly string[];
  /** Whether the runs had a fault: without one there is no T_D panel. */
  readonly faulted: boolean;
  /** Per setting, T_D over the runs in ms. */
  readonly td: readonly Distribution[];
  readonly mistakesPerHour: readonly (number | null)[];
  /** E(T_M) in ms, null when there was no mistake. */
  readonly tmMs: readonly (number | null)[];
  readonly pA: readonly (number | null)[];
  readonly horizonSeconds: number;
}

const s = (ms: number | null): number | null => (ms === null ? null : ms / 1000);
const panelWidth = 200;
const TD_WIDTH = 300;

/** A bar panel from zero (or dots for P_A), the value written beside each. */
const valuePanel =
  (labels: readonly string[], name: string, title: string, values: readonly (number | null)[], scale: AxisScale, none: string, bar: boolean) => (y: object) => {
    const rows = labels.map((setting, k) => {
      const v = values[k] ?? null;
      return {
        setting,
        v,
        shown: v ?? scale.domain[0],
        text: v === null ? none : String(Number(v.toPrecision(4))),
        what: `${title}: ${v === null ? none : v}`,
      };
    });
    const sc = vegaScale(scale);
    const x = { field: 'shown', type: 'quantitative', title, ...sc, axis: { ...sc.axis, labelFlush: true } };
    return {
      width: panelWidth,
      height: { step: ROW },
      layer: [
        {
          name,
          data: { values: rows.filter((r) => r.v !== null) },
          mark: bar ? { type: 'bar', color: BLUE, height: 12 } : { type: 'point', filled: true, size: 60, color: BLUE, opacity: 1 },
          encoding: { x, y, description: { field: 'what' } },
        },
        {
          name: `${name}_value`,
          data: { values: rows },
          mark: { type: 'text', align: 'left', dx: 5, fontSize: 10, color: DARK },
          encoding: { x, y, text: { field: 'text' } },
        },
      ],
    };
  };

/** T_D per setting: a line from p50 to max, a dot at p50, the p99 as a red tick, never at the horizon. */
const tdPanel = (q: QosInput) => (y: object) => {
  const rows = q.labels.flatMap((setting, k) => {
    const d = q.td[k];
    if (d === undefined || d.p50 === null || d.max === null) return [];
    return [{ setting, p50: s(d.p50), p99: s(d.p99), max: s(d.max), what: `T_D p50 ${s(d.p50)} s, p99 ${s(d.p99) ?? 'never'}, max ${s(d.max)} s` }];
  });
  const never = q.td.map((d) => d.never);
  const values = [
    ...rows.flatMap((r) => [r.p50, r.max, r.p99]).filter((v): v is number => v !== null),
    ...(never.some((n) => n > 0) ? [q.horizonSeconds] : []),
  ];
  const sc = vegaScale(timeScale(values, TD_WIDTH));
  const x = (field: string) => ({ field, type: 'quantitative', title: 'detection time T_D (s)', scale: sc.scale, axis: sc.axis });
  return {
    width: TD_WIDTH,
    height: { step: ROW },
    layer: [
      { name: 'td_range', data: { values: rows }, mark: { type: 'rule', color: '#999' }, encoding: { x: x('p50'), x2: { field: 'max' }, y } },
      {
        name: 'td_p50',
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 50, color: BLUE, opacity: 1 },
        encoding: { x: x('p50'), y, description: { field: 'what' } },
      },
      {
        name: 'td_p99',
        data: { values: rows.filter((r) => r.p99 !== null) },
        mark: { type: 'tick', color: ORANGE, thickness: 2, size: 16 },
        encoding: { x: x('p99'), y },
      },
      ...neverLayers(
        q.labels,
        never,
        q.td.map((d) => d.n),
        q.horizonSeconds,
        { ...x('seconds') },
        y,
      ).map((l) => ({ ...l, name: `td_${l.name}` })),
    ],
  };
};

/** The domain of P_A: [0, 1] when every setting is always right (nothing to tell apart), else from a nice value below the lowest. */
const accuracyScale = (pA: readonly (number | null)[]): AxisScale => {
  const seen = pA.filter((v): v is number => v !== null);
  const lo = Math.min(1, ...seen);
  return lo >= 1 ? linearScale(0, 1, 2, true) : linearScale(lo, 1, 3);
};

export const qosChart = (q: QosInput): VegaLiteSpec => {
  const rate = q.mistakesPerHour;
  const tm = q.tmMs.map(s);
  const fromZero = (v: readonly (number | null)[]): AxisScale => {
    const max = Math.max(0, ...v.filter((x): x is number => x !== null));
    return linearScale(0, max > 0 ? max : 1, 2, true);
  };
  const panels = [
    ...(q.faulted ? [tdPanel(q)] : []),
    valuePanel(q.labels, 'mistake_rate', 'mistake rate λ_M (per h)', rate, fromZero(rate), '–', true),
    valuePanel(q.labels, 'mistake_duration', 'mistake duration E(T_M) (s)', tm, fromZero(tm), 'no mistake', true),
    valuePanel(q.labels, 'query_accuracy', 'query accuracy P_A', q.pA, accuracyScale(q.pA), '–', false),
  ];
  // Two panels a row: the left one names the settings, the right one shares its rows.
  const rows: object[] = [];
  for (let k = 0; k < panels.length; k += 2) {
    const pair = panels.slice(k, k + 2).map((panel, j) => panel(settingY(q.labels, j === 0)));
    rows.push({ spacing: 30, hconcat: pair });
  }
  return {
    $schema: SCHEMA,
    title: 'Failure-detector QoS: speed (T_D) and accuracy (λ_M, E(T_M), P_A)',
    config: CONFIG,
    spacing: 20,
    vconcat: rows,
  };
};
