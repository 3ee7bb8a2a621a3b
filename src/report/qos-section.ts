import type { Block } from './document.js';
import { RIGHT, secs } from './format.js';
import { settingLabeller } from './labels.js';
import type { LoadedSweep } from './load.js';
import { qosChart } from './qos-chart.js';
import type { ChartFn } from './sections.js';
import { horizonSeconds, legal } from './sweep-facts.js';

const duration = (ms: number | null): string => {
  if (ms === null) return '–';
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(2)} h`;
  return `${(ms / 1000).toFixed(3)} s`;
};

/** The QoS section of one sweep: the chart (qos-chart.ts), what each measure means, and the numbers. */
export const qosSection = (sweep: LoadedSweep, level: 2 | 3, chart: ChartFn): Block[] => {
  const points = legal(sweep);
  const h = sweep.header;
  const settingLabel = settingLabeller(h.model);
  const labels = points.map((s) => settingLabel(s.set));
  const faulted = h.faults.length > 0;
  const spec = qosChart({
    labels,
    faulted,
    td: points.map((s) => s.qos.td),
    mistakesPerHour: points.map((s) => s.qos.mistakesPerHour),
    tmMs: points.map((s) => s.qos.tmMs),
    pA: points.map((s) => s.qos.pA),
    horizonSeconds: horizonSeconds(h),
  });
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
    chart(
      'qos',
      spec,
      'Failure-detector QoS per setting: detection time T_D (dot at p50, line to max, red tick at p99, diamond at the horizon for never), mistake rate λ_M, mean mistake duration E(T_M), query accuracy P_A',
    ),
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
