import { describe, expect, it } from 'vitest';
import type { Expectation } from '../src/analysis/bounds.js';
import type { V2Bounds } from '../src/analysis/bounds-v2.js';
import { type RunOutput, resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';
import type { TraceEvent } from '../src/sim/trace.js';

// A close that reaches the server ends the instance at once: the crashed client's OS sends a
// FIN, an injected reset reaches both ends; AddressTransportFilter.transportTerminated
// unregisters the connection on arrival (reference §B3). Expected windows come from
// src/analysis/bounds-v2.ts, never from a run.

const run = (over: Omit<ScenarioFile, 'model'>): RunOutput => runScenario(resolveScenario({ model: 'nacos-v2', ...over }));
const boundsOf = (o: RunOutput): V2Bounds => o.result.bounds as V2Bounds;
/** Difference of two ms timestamps, exact to the µs. */
const diffMs = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Math.round((a - b) * 1000) / 1000);

const expectWithin = (value: number | null, e: Expectation, what: string): void => {
  if (e.kind !== 'within') throw new Error(`${what}: the bound is ${e.kind} (${e.why})`);
  expect(value, what).not.toBeNull();
  expect(value as number, `${what} > ${e.interval.lowerMs}`).toBeGreaterThan(e.interval.lowerMs);
  expect(value as number, `${what} ≤ ${e.interval.upperMs}`).toBeLessThanOrEqual(e.interval.upperMs);
};

const firstAfter = (trace: readonly TraceEvent[], kind: string, host: string, fromUs: number): TraceEvent | undefined =>
  trace.find((e) => e.kind === kind && e.host === host && e.t >= fromUs);

const LATENCIES = ['uniform:200us..1ms', 'uniform:5ms..40ms'];

describe('nacos-v2 › crash › the OS closes the socket', () => {
  for (const version of ['2.0.2', '2.2.3', '2.5.1']) {
    for (const latency of LATENCIES) {
      it(`removes the instance within one one-way latency and the subscribers follow within the push delay (${version}, ${latency})`, () => {
        // Crash times spread over the 100 ms push-engine grid.
        for (const [seed, at] of [
          [1, '60s'],
          [2, '60310ms'],
          [3, '60770ms'],
        ] as const) {
          const o = run({ seed, until: '2m', faults: [`crash@${at}`], clientVersion: version, serverVersion: version, set: { 'net.latency': latency } });
          const m = o.result.metrics;
          const b = boundsOf(o);
          // The FIN leaves at 60 s and lands one one-way latency later: removal ∈ (dmin, dmax].
          expectWithin(m.detectionMs, b.removedFromFault, 'removal after the crash');
          // ServiceChangedEvent → PushDelayTask(500 ms) → first 100 ms engine tick → one latency to the subscriber.
          expectWithin(diffMs(m.subscriberUpdatedAtMs, m.serverRemovedAtMs), b.staleFromRemoval, 'subscriber view after the removal');
          expect(m.clientDetectedAtMs).toBeNull();
          expect(m.reRegistrations).toBe(0);
          expect(m.falseRemovals).toBe(0);
        }
      });
    }
  }
});

describe('nacos-v2 › rst › the process lives on', () => {
  for (const version of ['2.0.2', '2.0.3', '2.5.1']) {
    it(`the server removes at once, the client reconnects and its redo re-registers within the redo period (${version})`, () => {
      for (const seed of [1, 2, 3]) {
        for (const latency of LATENCIES) {
          const o = run({ seed, until: '2m', faults: ['rst@60s'], clientVersion: version, serverVersion: version, set: { 'net.latency': latency } });
          const m = o.result.metrics;
          const b = boundsOf(o);
          expectWithin(m.detectionMs, b.removedFromFault, 'removal after the reset');
          expectWithin(diffMs(m.clientDetectedAtMs, m.faultAtMs), b.clientDetectedFromFault, 'client notices the reset');
          expect(m.reRegistrations).toBeGreaterThanOrEqual(1);
          // Redo: 2.0.3+ the next redo tick (≤ redoDelayTime) after CONNECTED; before, at CONNECTED itself.
          const fromUs = 60_000_000;
          const connected = firstAfter(o.trace, 'client.connected', 'c1', fromUs);
          const registered = o.trace.find((e) => e.kind === 'instance.register' && e.data?.instance === 'c1' && e.t >= fromUs);
          expect(connected).toBeDefined();
          expect(registered).toBeDefined();
          expectWithin(((registered as TraceEvent).t - (connected as TraceEvent).t) / 1000, b.reRegisteredFromReconnect, 're-registration after reconnect');
          expect(m.flaps).toBe(1);
        }
      }
    });
  }

  it('a shorter redoDelayTime (2.3+) shortens the window accordingly', () => {
    const o = run({ until: '2m', faults: ['rst@60s'], set: { redoDelayTime: '1s' } });
    const b = boundsOf(o);
    expect(b.reRegisteredFromReconnect.kind === 'within' && b.reRegisteredFromReconnect.interval.upperMs).toBe(1001);
    const connected = firstAfter(o.trace, 'client.connected', 'c1', 60_000_000) as TraceEvent;
    const registered = o.trace.find((e) => e.kind === 'instance.register' && e.t >= 60_000_000) as TraceEvent;
    expectWithin((registered.t - connected.t) / 1000, b.reRegisteredFromReconnect, 're-registration after reconnect');
  });
});
