import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/run.js';
import type { SwarmCase } from './arbitraries.js';
import { metricsVsTrace, swarmScenario } from './checks.js';

/**
 * The swarm suite's metrics check can fail: on a real run it holds, and each tampered figure —
 * a removal moved by 1 ms, a message count off by one, a detection before the fault — is caught
 * with a sentence that names it.
 */
const CASE: SwarmCase = {
  model: 'nacos-v1',
  seed: 3,
  servers: 1,
  clients: 2,
  subscribers: 1,
  latency: 'uniform:200us..1ms',
  faults: ['cut@40s', 'pause@45s-50s'],
};

describe('swarm checks', () => {
  const sc = swarmScenario(CASE);
  const out = runScenario(sc, { trace: 'all', quiet: false });
  const m = out.result.metrics;
  const tampered = (metrics: object) => ({ ...out, result: { ...out.result, metrics: { ...m, ...metrics } } });

  it('a real run: the metrics agree with the trace (c1 cut at 40 s is removed: 1.x deletes it ~30 s after its last beat)', () => {
    expect(m.serverRemovedAtMs).not.toBeNull();
    expect(metricsVsTrace(sc, out)).toBeNull();
  });

  it('catches a removal with no trace event, a wrong message count, a detection before the fault', () => {
    expect(metricsVsTrace(sc, tampered({ serverRemovedAtMs: (m.serverRemovedAtMs ?? 0) + 1, detectionMs: (m.detectionMs ?? 0) + 1 }))).toMatch(
      /no instance\.remove of c1 then/,
    );
    expect(metricsVsTrace(sc, tampered({ messages: { ...m.messages, beats: (m.messages.beats ?? 0) + 1 } }))).toMatch(/messages\.beats .* beat\.recv events/);
    expect(metricsVsTrace(sc, tampered({ clientDetectedAtMs: 1000 }))).toMatch(/clientDetectedAtMs 1000 ms is before the fault/);
    expect(metricsVsTrace(sc, tampered({ faultAtMs: 39_000 }))).toMatch(/faultAtMs 39000 is not the first fault\.start/);
  });
});
