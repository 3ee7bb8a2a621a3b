import { describe, expect, it } from 'vitest';
import { CapacityObserver, capacityMetrics } from '../src/analysis/capacity-metrics.js';
import { parseFault } from '../src/scenario/fault-dsl.js';
import type { TraceEvent } from '../src/sim/trace.js';

// The capacity metrics read a trace (here: hand-written ones) and judge every instance, not only c1.

const S = 1_000_000;
const ev = (tS: number, kind: string, host: string, data?: TraceEvent['data']): TraceEvent =>
  data === undefined ? { t: tS * S, kind, host } : { t: tS * S, kind, host, data };

describe('capacity metrics', () => {
  it("a mark or removal is false when the instance's client was reachable; the DSL's plain faults touch c1 only", () => {
    const faults = [parseFault('cut@10s'), parseFault('rack-cut:c5..c6@10s-20s')];
    const m = capacityMetrics(
      [
        ev(12, 'instance.unhealthy', 's1', { instance: 'c1' }), // c1 is cut: true
        ev(12, 'instance.unhealthy', 's1', { instance: 'c2' }), // the plain cut is c1's: false
        ev(13, 'instance.remove', 's1', { instance: 'c5' }), // in the rack, during the cut: true
        ev(25, 'instance.remove', 's1', { instance: 'c6' }), // in the rack, after it healed: false
        ev(26, 'client.detected', 'c6', { reason: 'health-check' }), // false disconnection
        ev(27, 'client.detected', 'c1', { reason: 'health-check' }), // c1 is still cut: true
      ],
      { faults, fromUs: 0, untilUs: 60 * S },
    );
    expect([m.falseUnhealthy, m.falseRemovals, m.falseDisconnections]).toEqual([1, 1, 1]);
    expect(m.instancesFalselyExpired).toBe(2);
    expect([m.instancesFalselyUnhealthy, m.instancesFalselyRemoved, m.clientsFalselyDisconnected]).toEqual([1, 1, 1]);
    expect([m.firstFalseUnhealthyAtMs, m.firstFalseRemovalAtMs, m.firstFalseDisconnectionAtMs]).toEqual([12_000, 25_000, 26_000]);
    expect(m.perSecond.falseDisconnections[26]).toBe(1);
    expect(m.perSecond.removals[13]).toBe(1);
  });

  it('load counts the window only, per second, by kind (a 2.x request by its type)', () => {
    const events = [
      ev(5, 'beat.recv', 's1', { instance: 'c1' }),
      ev(10, 'beat.recv', 's1', { instance: 'c1' }),
      ev(15, 'beat.recv', 's1', { instance: 'c2' }),
      ev(15, 'request.recv', 's1', { instance: 'c1', type: 'healthCheck' }),
      ev(16, 'request.recv', 's1', { instance: 'c1', type: 'register' }),
      ev(19.9, 'push.send', 's1', { to: 'sub1' }),
      ev(20, 'push.send', 's1', { to: 'sub1' }),
    ];
    const m = capacityMetrics(events, { faults: [], fromUs: 10 * S, untilUs: 20 * S });
    expect(m.loadPerSec).toMatchObject({ beats: 0.2, healthChecks: 0.1, registerRequests: 0.1, pushes: 0.1, probes: 0 });
    // Every second of the run; the push exactly at the horizon (events there still run) opens one more.
    expect(m.perSecond.pushes.length).toBe(21);
    expect([m.perSecond.pushes[19], m.perSecond.pushes[20]]).toEqual([1, 1]);
  });

  it('re-registrations: a second registration of an instance, not a copy synced from another node', () => {
    const m = capacityMetrics(
      [
        ev(1, 'instance.register', 's1', { instance: 'c1' }),
        ev(1, 'instance.register', 's2', { instance: 'c1', via: 'sync' }),
        ev(2, 'instance.register', 's1', { instance: 'c2' }),
        ev(40, 'instance.register', 's1', { instance: 'c1' }),
      ],
      { faults: [], fromUs: 0, untilUs: 60 * S },
    );
    expect(m.reRegistrations).toBe(1);
    expect(m.perSecond.registrations[1]).toBe(2);
  });

  it('queue: the longest wait recorded per pool, and when a pool first waited a second', () => {
    const o = new CapacityObserver({ faults: [], fromUs: 0, untilUs: 60 * S });
    for (const e of [
      ev(3, 'server.queue', 's1', { pool: 'health', waitMs: 1, depth: 3 }),
      ev(4, 'server.queue', 's1', { pool: 'health', waitMs: 1024.5, depth: 900 }),
      ev(5, 'server.queue', 's1', { pool: 'http', waitMs: 2, depth: 1 }),
      ev(9, 'server.queue', 's1', { pool: 'health', waitMs: 0, depth: 0 }),
    ])
      o.observe(e);
    const m = o.result();
    expect(m.peakWaitMs).toEqual({ health: 1024.5, http: 2 });
    expect(m.waitOver1sAtMs).toEqual({ health: 4000 });
  });
});
