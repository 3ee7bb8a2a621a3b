import { describe, expect, it } from 'vitest';
import { observeDetector } from '../src/analysis/qos.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';
import { formatTraceLine } from '../src/sim/trace.js';

/**
 * A large run keeps only the events about the followed instance (`trace: 'followed'`). That is a
 * memory saving, not a different run: the hash covers every event either way, and the metrics and
 * detector QoS computed from the kept part must equal those from the whole trace. The scenarios
 * cover what the metrics read: removals and re-registrations, client-side detection, subscriber
 * views (pushes and polls), cluster nodes that crash, flaps.
 */
const CASES: readonly ScenarioFile[] = [
  { model: 'nacos-v1', until: '3m', clients: 3, subscribers: 2, faults: ['cut@60s'] },
  { model: 'nacos-v1', until: '3m', clients: 2, faults: ['flap:8s/8s@30s-150s'] },
  { model: 'nacos-v1', until: '3m', clients: 3, servers: 3, faults: ['server-crash:s2@50s'] },
  { model: 'nacos-v2', until: '3m', clients: 3, subscribers: 2, faults: ['cut@60s'] },
  { model: 'nacos-v2', until: '2m', clients: 2, faults: ['cut@40s-70s'] },
  { model: 'nacos-v2', until: '3m', clients: 3, servers: 3, faults: ['server-crash:owner@50s'] },
];

describe('followed-instance trace retention', () => {
  for (const file of CASES) {
    it(`${file.model} ${file.faults?.join(' ')} (${file.servers ?? 1} server(s)): same hash, metrics and QoS as the whole trace`, () => {
      const sc = resolveScenario(file);
      const all = runScenario(sc);
      const followed = runScenario(sc, { trace: 'followed' });
      expect(followed.result).toEqual(all.result);
      expect(followed.trace.length).toBeLessThan(all.trace.length);
      const qos = (events: typeof all.trace) => observeDetector({ events, faults: sc.faults, instance: 'c1', horizonUs: sc.untilUs });
      expect(qos(followed.trace)).toEqual(qos(all.trace));
    });
  }

  it('a listener sees every event, in order, with its canonical line', () => {
    const sc = resolveScenario({ model: 'nacos-v1', until: '1m', clients: 2, faults: ['cut@20s'] });
    const lines: string[] = [];
    const all = runScenario(sc, { trace: 'followed', onEvent: (_e, line) => lines.push(line) });
    const reference = runScenario(sc).trace.map(formatTraceLine);
    expect(lines).toEqual(reference);
    expect(all.result.stop.events).toBeGreaterThan(0);
  });
});
