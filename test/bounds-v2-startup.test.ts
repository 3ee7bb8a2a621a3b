import { describe, expect, it } from 'vitest';
import { resolveScenario, runScenario } from '../src/scenario/run.js';

/**
 * Found by the deep bounds property (PROPS_RUNS=100000): a cut 10.454 s into the run, with a 5 s
 * keep-alive and the 2.2.4 client's 0–499 ms sleep, came before the client's first health check
 * (registration + two keep-alives + the sleep), so the last message heard was the registration and
 * the removal came 10.6 s after the fault — below the steady-state window. The start-up guard now
 * covers the whole start gap; every fault time around it must be either inside the window or
 * declared unbounded.
 */
describe('v2 bounds at the end of the start-up phase', () => {
  const base = {
    model: 'nacos-v2',
    seed: 520126131,
    until: '40s',
    clientVersion: '2.2.4',
    serverVersion: '2.0.2',
    set: { 'nacos.remote.client.grpc.server.check.timeout': 200, 'sim.ejectorPhase': 2100, 'net.latency': 'uniform:0us..0us' },
  };
  for (const atMs of [10_200, 10_454, 10_600, 10_700, 11_500]) {
    it(`cut at ${atMs} ms: the removal is inside the claimed window, or none is claimed`, () => {
      const { result } = runScenario(resolveScenario({ ...base, faults: [`cut@${atMs}ms`] }));
      const claim = result.bounds?.removedFromFault;
      const detection = result.metrics.detectionMs;
      if (claim?.kind !== 'within') return;
      expect(detection).not.toBeNull();
      expect(detection as number).toBeGreaterThan(claim.interval.lowerMs);
      expect(detection as number).toBeLessThanOrEqual(claim.interval.upperMs);
    });
  }
});
