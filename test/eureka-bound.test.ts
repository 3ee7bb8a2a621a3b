import { describe, expect, it } from 'vitest';
import { prepareBound, searchMetrics } from '../src/bound/report.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

/**
 * eureka › bound › tight by construction. The windows (src/models/eureka/bounds.ts) are reached
 * when every timer just misses: the fault right after a renewal's request left (heard a leg
 * later), an eviction run exactly at that renewal + 2·D (isExpired is strict, so it cannot act and
 * the next run is E later), the readOnly update at that next run (it runs first at a tie), and a
 * consumer fetch heard just before the update after it. Every one of those is a searched phase
 * (onset, sim.server.evictionPhase, sim.server.responseCachePhase, sim.subscriberStartPhase), so
 * the search must come within 2 % of both upper ends, and never beyond them.
 */
const OFF = { 'eureka.server.enable-self-preservation': 'false' };

const tightness = (input: ScenarioFile) => {
  const p = prepareBound(input, undefined);
  return searchMetrics(p, p.target.metrics, { seeds: 2 });
};

describe('eureka › bound › the search reaches both windows’ upper ends', () => {
  for (const [name, input] of [
    ['defaults, self-preservation off', { model: 'eureka', set: OFF }],
    [
      'renewal 10 s, lease 30 s, eviction 15 s, cache 5 s, fetch 10 s, latency 1–5 ms',
      {
        model: 'eureka',
        set: {
          ...OFF,
          'eureka.instance.lease-renewal-interval-in-seconds': '10',
          'eureka.instance.lease-expiration-duration-in-seconds': '30',
          'eureka.server.eviction-interval-timer-in-ms': '15s',
          'eureka.server.response-cache-update-interval-ms': '5s',
          'eureka.client.registry-fetch-interval-seconds': '10',
          'net.latency': 'uniform:1ms..5ms',
        },
      },
    ],
  ] as const) {
    it(name, () => {
      for (const r of tightness(input as ScenarioFile)) {
        expect(r.bound.kind, r.metric).toBe('within');
        expect(r.worst.valueMs as number, r.metric).toBeLessThanOrEqual(r.bound.upperMs as number);
        expect(r.tightness as number, `${r.metric}: worst ${r.worst.valueMs} of ${r.bound.upperMs}`).toBeGreaterThanOrEqual(0.98);
      }
    });
  }

  it('with self-preservation on and one client the bound is "never", and the search finds no removal', () => {
    const p = prepareBound({ model: 'eureka' }, undefined);
    const [r] = searchMetrics(p, [p.metric], { seeds: 1, grid: 2, climbs: 1 });
    expect(r?.bound.kind).toBe('never');
    expect(r?.worst.valueMs).toBeNull();
  });
});
