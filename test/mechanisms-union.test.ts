import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { v2Bounds } from '../src/analysis/bounds-v2.js';
import { span } from '../src/analysis/mechanisms.js';
import { v2Mechanisms } from '../src/analysis/mechanisms-v2.js';
import { parseLatency } from '../src/scenario/latency-dsl.js';
import { resolveScenario } from '../src/scenario/run.js';
import { latencyEnvelope } from '../src/sim/latency.js';

/**
 * The mechanisms diagnose names, each with its own window, make up the analytic bound: the lowest
 * lower end and the highest upper end of those that apply are the bound's ends (bounds-v2.ts,
 * whose figures the other suites pin against the simulation). A mechanism left out, or a window
 * drawn wider than the bound allows, fails here.
 */
const VERSIONS = ['2.0.3', '2.1.2', '2.2.0', '2.2.1', '2.2.3', '2.2.4', '2.3.0', '2.4.3', '2.5.1'];
const FAULTS = ['cut@120s', 'oneway:c2s@120s', 'oneway:s2c@120s', 'pause@120s-100h', 'crash@120s', 'rst@120s'];
const LATENCIES = ['fixed:1ms', 'uniform:1ms..5ms', 'uniform:100us..40ms', 'uniform:20ms..200ms'];

const config = fc.record({
  serverVersion: fc.constantFrom(...VERSIONS),
  fault: fc.constantFrom(...FAULTS),
  latency: fc.constantFrom(...LATENCIES),
  keepAliveS: fc.integer({ min: 20, max: 9000 }),
  keepAliveTimeoutS: fc.integer({ min: 1, max: 1200 }),
  tcpKeepaliveS: fc.integer({ min: 10, max: 9000 }),
  intvlS: fc.integer({ min: 1, max: 120 }),
  probes: fc.integer({ min: 1, max: 12 }),
  retries2: fc.integer({ min: 3, max: 15 }),
  clientKeepAliveMs: fc.integer({ min: 1000, max: 6000 }),
  healthRetry: fc.integer({ min: 0, max: 4 }),
});

describe('nacos-v2 › mechanisms › the union of their windows is the removal bound', () => {
  it('for random server, kernel and client settings and every silent or closing fault', () => {
    let windows = 0;
    fc.assert(
      fc.property(config, (c) => {
        const sc = resolveScenario({
          model: 'nacos-v2',
          serverVersion: c.serverVersion,
          faults: [c.fault],
          set: {
            'net.latency': c.latency,
            'nacos.remote.server.grpc.sdk.keep-alive-time': `${c.keepAliveS}s`,
            'nacos.remote.server.grpc.sdk.keep-alive-timeout': `${c.keepAliveTimeoutS}s`,
            'sim.server.net.ipv4.tcp_keepalive_time': `${c.tcpKeepaliveS}s`,
            'sim.server.net.ipv4.tcp_keepalive_intvl': `${c.intvlS}s`,
            'sim.server.net.ipv4.tcp_keepalive_probes': c.probes,
            'sim.server.net.ipv4.tcp_retries2': c.retries2,
            'nacos.remote.client.grpc.connect.keep.alive': `${c.clientKeepAliveMs}ms`,
            'nacos.remote.client.grpc.health.retry': c.healthRetry,
          },
        });
        const input = {
          config: sc.config,
          clientVersion: sc.clientVersion,
          serverVersion: sc.serverVersion,
          latency: latencyEnvelope(parseLatency(String(sc.config['net.latency']))),
          faults: sc.faults,
        };
        const bound = v2Bounds(input).removedFromFault;
        const m = v2Mechanisms(input);
        expect(m.removal).toEqual(bound);
        if (bound.kind !== 'within') {
          expect(m.mechanisms.every((x) => x.window === null)).toBe(true);
          return;
        }
        windows++;
        expect(span(m.mechanisms)).toEqual(bound.interval);
        // A mechanism that does not apply says why.
        for (const x of m.mechanisms) if (x.window === null) expect(x.note).toBeTruthy();
      }),
      { seed: 16, numRuns: 400 },
    );
    // Most draws must have a window, or the property proves little.
    expect(windows).toBeGreaterThan(200);
  });

  it('2.2.3 with defaults: no ejector, the PING at 2 h, and tcp_retries2 only for an answer caught in flight', () => {
    const sc = resolveScenario({ model: 'nacos-v2', serverVersion: '2.2.3', faults: ['cut@60s'] });
    const m = v2Mechanisms({
      config: sc.config,
      clientVersion: sc.clientVersion,
      serverVersion: sc.serverVersion,
      latency: latencyEnvelope(parseLatency(String(sc.config['net.latency']))),
      faults: sc.faults,
    });
    const by = Object.fromEntries(m.mechanisms.map((x) => [x.id, x]));
    expect(by.ejector?.window).toBeNull();
    expect(by.ejector?.note).toMatch(/no ejector in 2\.2\.3/);
    // PING 7200 s + timeout 20 s after the last request heard, which lands at most one latency (LAN: ≤ 1 ms) after the cut.
    expect(by['grpc-keepalive']?.window?.upperMs).toBe(7_220_000 + 1);
    expect(by['so-keepalive']?.window).toBeNull();
    // tcp_retries2 = 15: 924.6 s of model timeout after the first RTO, from the caught answer (tcp-giveup.ts).
    expect(by['tcp-retries2']?.window?.lowerMs).toBeGreaterThan(924_600);
  });
});
