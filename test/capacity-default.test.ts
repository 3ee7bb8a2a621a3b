import { describe, expect, it } from 'vitest';
import { capacityMetrics } from '../src/analysis/capacity-metrics.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

// Capacity is off unless asked for: by default every cost is 0, and work of cost 0 at an idle pool
// runs the instant it arrives, inside the call that brought it — not one event more or less. So
// the default, an explicit `infinite` profile, explicit zero costs and any worker counts give the
// same trace hash. (test/cluster-regression.test.ts pins the default hashes of older code.)

const V1_ZERO = {
  'sim.server.capacity': 'infinite',
  'sim.server.threads': 1,
  'com.alibaba.nacos.naming.health.thread.num': 1,
  'sim.server.cost.beat': '0',
  'sim.server.cost.beatProcess': '0',
  'sim.server.cost.scanPer1000': '0',
  'sim.server.cost.register': '0',
  'sim.server.cost.query': '0',
  'sim.server.cost.push': '0',
  'sim.server.cost.serializePer1000': '0',
};
const V2_ZERO = {
  'sim.server.capacity': 'infinite',
  'sim.server.threads': 1,
  'sim.server.cost.health': '0',
  'sim.server.cost.register': '0',
  'sim.server.cost.query': '0',
  'sim.server.cost.push': '0',
  'sim.server.cost.probe': '0',
  'sim.server.cost.ack': '0',
  'sim.server.cost.serializePer1000': '0',
};

const CASES: readonly ScenarioFile[] = [
  { model: 'nacos-v1', until: '2m', clients: 5, subscribers: 3, faults: ['cut@40s'] },
  { model: 'nacos-v1', until: '2m', clients: 6, subscribers: 2, faults: ['rack-cut:c1..c3@30s-70s'] },
  { model: 'nacos-v1', until: '2m', clients: 3, servers: 3, faults: ['server-crash:owner@40s'] },
  { model: 'nacos-v2', until: '2m', clients: 5, subscribers: 3, faults: ['cut@40s'] },
  { model: 'nacos-v2', until: '2m', clients: 6, subscribers: 2, faults: ['rack-cut:c1..c3@30s-70s'] },
  { model: 'nacos-v2', until: '2m', clients: 3, servers: 3, faults: ['server-crash:owner@40s'] },
];

const hashOf = (f: ScenarioFile): string => runScenario(resolveScenario(f)).result.traceHash;

describe('capacity › infinite by default › nothing changes', () => {
  for (const c of CASES) {
    it(`${c.model} ${c.servers ?? 1} server(s) ${(c.faults ?? []).join(' ')}: the default, 'infinite' and zero costs on one worker give one trace`, () => {
      const zero = c.model === 'nacos-v1' ? V1_ZERO : V2_ZERO;
      const base = hashOf(c);
      expect(hashOf({ ...c, set: zero })).toBe(base);
      expect(hashOf({ ...c, set: { 'sim.server.capacity': 'infinite', 'sim.server.threads': 64 } })).toBe(base);
    });
  }

  it('a run without costs records no queue', () => {
    for (const c of CASES.slice(0, 1).concat(CASES.slice(3, 4))) {
      const { trace } = runScenario(resolveScenario(c));
      expect(trace.some((e) => e.kind === 'server.queue')).toBe(false);
    }
  });

  it('a few clients on the reference server: every wait stays under 1 ms, and nobody is expired by mistake', () => {
    for (const model of ['nacos-v1', 'nacos-v2']) {
      const sc = resolveScenario({ model, until: '2m', clients: 20, subscribers: 2, set: { 'sim.server.capacity': 'reference-8c' } });
      const { result, trace } = runScenario(sc);
      const m = capacityMetrics(trace, { faults: sc.faults, fromUs: 0, untilUs: sc.untilUs });
      expect(m.peakWaitMs, model).toEqual({});
      expect(m.falseUnhealthy + m.falseRemovals + m.falseDisconnections, model).toBe(0);
      // The costs are real: the trace is not the infinite one.
      expect(result.traceHash).not.toBe(hashOf({ model, until: '2m', clients: 20, subscribers: 2 }));
    }
  });
});
