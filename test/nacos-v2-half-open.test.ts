import { describe, expect, it } from 'vitest';
import type { Expectation } from '../src/analysis/bounds.js';
import { type V2Bounds, v2SilentRemoval } from '../src/analysis/bounds-v2.js';
import { V2_CONSTANTS } from '../src/models/nacos-v2/defaults.js';
import { v2Settings } from '../src/models/nacos-v2/settings.js';
import { parseVersion, type Version } from '../src/models/version.js';
import { type RunOutput, resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

// cut@60s blackholes both directions without a FIN or RST: the gRPC connection is half-open and
// nobody is told. Only the server's ejector (a ClientDetectionRequest to connections silent for
// 20 s, reference §B3) or, in 2.2.0-2.2.4 where that ejector does nothing (#10773), the gRPC
// server keep-alive ends it. Expected windows come from src/analysis/bounds-v2.ts; the first
// test pins that module to the reference's numbers.

const run = (over: Omit<ScenarioFile, 'model'>): RunOutput => runScenario(resolveScenario({ model: 'nacos-v2', ...over }));
const boundsOf = (o: RunOutput): V2Bounds => o.result.bounds as V2Bounds;
const diffMs = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Math.round((a - b) * 1000) / 1000);
const expectWithin = (value: number | null, e: Expectation, what: string): void => {
  if (e.kind !== 'within') throw new Error(`${what}: the bound is ${e.kind} (${e.why})`);
  expect(value, what).not.toBeNull();
  expect(value as number, `${what} > ${e.interval.lowerMs}`).toBeGreaterThan(e.interval.lowerMs);
  expect(value as number, `${what} ≤ ${e.interval.upperMs}`).toBeLessThanOrEqual(e.interval.upperMs);
};
const v = (text: string): Version => parseVersion(text) as Version;
const settingsFor = (server: string, set: Record<string, number> = {}) => {
  const config = Object.fromEntries(resolveScenario({ model: 'nacos-v2' }).model.knobs.map((k) => [k.key, k.default]));
  return v2Settings({ ...config, ...set }, { client: v('2.5.1'), server: v(server) });
};

/** Version families of the server side, with the probe timeout the reference gives for each. */
const FAMILIES = [
  { server: '2.0.4', probeMs: 1000 },
  { server: '2.1.2', probeMs: 1000 },
  { server: '2.3.0', probeMs: 5000 },
  { server: '2.5.1', probeMs: 5000 },
];

describe('nacos-v2 › half-open › server removes after keep-alive + probe', () => {
  it('the bounds module says what the reference says: [20 s + P, 20 s + 3 s + P) after the last message heard', () => {
    for (const { server, probeMs } of FAMILIES) {
      const e = v2SilentRemoval(settingsFor(server), { minUs: 200, maxUs: 1000 });
      expect(e).toEqual({ kind: 'within', interval: { lowerMs: 20_000 + probeMs - 0.001, upperMs: 23_000 + probeMs } });
    }
    expect(V2_CONSTANTS.idleLimitMs).toBe(20_000);
    expect(V2_CONSTANTS.ejectorPeriodMs).toBe(3_000);
  });

  for (const { server } of FAMILIES) {
    for (const client of ['2.0.4', '2.5.1']) {
      it(`server ${server}, client ${client}: removal − lastHeard and removal − fault lie in their windows`, () => {
        for (const seed of [1, 2, 3, 4]) {
          for (const latency of ['uniform:200us..1ms', 'uniform:5ms..40ms']) {
            const o = run({ seed, until: '3m', faults: ['cut@60s'], clientVersion: client, serverVersion: server, set: { 'net.latency': latency } });
            const m = o.result.metrics;
            const b = boundsOf(o);
            expectWithin(diffMs(m.serverRemovedAtMs, m.lastHeardAtMs), b.removedFromLastHeard, 'removal after last heard');
            expectWithin(m.detectionMs, b.removedFromFault, 'removal after the cut');
            expectWithin(m.staleMs, b.staleFromFault, 'subscriber view after the cut');
            // The ejector's probe is the only message the server sends to c1 after the cut.
            expect(o.trace.filter((e) => e.kind === 'probe.send' && e.data?.instance === 'c1').length).toBe(1);
            expect(o.trace.some((e) => e.kind === 'probe.reply' && e.data?.instance === 'c1')).toBe(false);
          }
        }
      });
    }
  }
});

describe('nacos-v2 › half-open › 2.2.0-2.2.4 never eject (#10773)', () => {
  it('server 2.2.3: the instance is not removed within an hour, while the client noticed long ago', () => {
    for (const client of ['2.2.3', '2.5.1']) {
      const o = run({ until: '1h', faults: ['cut@60s'], clientVersion: client, serverVersion: '2.2.3' });
      const m = o.result.metrics;
      expect(m.serverRemovedAtMs).toBeNull();
      expect(m.subscriberUpdatedAtMs).toBeNull();
      expect(m.staleMs).toBeNull();
      expect(m.clientDetectedAtMs).not.toBeNull();
      expect(o.trace.some((e) => e.kind === 'probe.send')).toBe(false);
      // The bound names the ways out: the gRPC server keep-alive, 2 h + 20 s after the last message,
      // or, sooner, when the cut caught the answer to the last request unacknowledged, the kernel's
      // retransmission limit after that answer left: tcp_model_timeout(15) = 924.6 s after the first
      // RTO retransmission, itself ≥ 200 ms after the send — and no later than the real kernel's
      // 938.6 s at a sub-millisecond RTT (real-tcp.md §1), which the window must contain.
      const b = boundsOf(o);
      const w = b.removedFromLastHeard;
      expect(w.kind === 'within' && w.interval.upperMs).toBe(7_220_000);
      const lowerMs = w.kind === 'within' ? w.interval.lowerMs : Number.NaN;
      expect(lowerMs).toBeGreaterThanOrEqual(924_800 - 0.001);
      expect(lowerMs).toBeLessThan(938_600);
    }
  });

  it('server 2.2.3 with the gRPC server keep-alive set to 10 min: removed exactly keep-alive + timeout after the last message', () => {
    for (const seed of [1, 2]) {
      const o = run({ seed, until: '20m', faults: ['cut@60s'], serverVersion: '2.2.3', set: { 'nacos.remote.server.grpc.sdk.keep-alive-time': '10m' } });
      const m = o.result.metrics;
      const b = boundsOf(o);
      expect(b.removedFromLastHeard).toEqual({ kind: 'within', interval: { lowerMs: 620_000 - 0.001, upperMs: 620_000 } });
      expectWithin(diffMs(m.serverRemovedAtMs, m.lastHeardAtMs), b.removedFromLastHeard, 'removal after last heard');
      expect(o.trace.some((e) => e.kind === 'stream.ping-timeout' && e.host === 's1')).toBe(true);
    }
  });

  it('server 2.2.0 (before 2.2.1) ignores that setting: the keep-alive is the grpc default', () => {
    const s = settingsFor('2.2.0', { 'nacos.remote.server.grpc.sdk.keep-alive-time': 600_000 });
    expect(s.serverKeepAliveMs).toBe(V2_CONSTANTS.grpcServerKeepAliveMs);
    expect(s.ejection).toBe(false);
  });
});
