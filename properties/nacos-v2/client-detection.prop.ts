import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { V2Bounds } from '../../src/analysis/bounds-v2.js';
import { v2Settings } from '../../src/models/nacos-v2/settings.js';
import { resolveScenario, runScenario } from '../../src/scenario/run.js';
import { assertProperty, claim, propsRuns, suiteTitle } from '../harness.js';

/**
 * Claim: over random client health-check settings (idle keep-alive, attempt timeout, retries),
 * client releases (single attempt and fixed 3 s before 2.1.2, jitter from 2.2.4), latencies,
 * fault kinds that kill the path for good (cut, oneway either way) and onsets after the
 * health-check rhythm has settled, clientDetectedAtMs − faultAtMs lies in the window
 * src/analysis/bounds-v2.ts derives: the last good check ended ≤ one latency after the fault,
 * the next starts one keep-alive later, sleeps ≤ 499 ms per early attempt (2.2.4+), and gives
 * up after attempts × timeout — or, with a one-way c2s cut, when the server's FIN arrives.
 */
const RUNS = propsRuns(40);

const caseArb = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  clientVersion: fc.constantFrom('2.0.4', '2.1.1', '2.1.2', '2.2.3', '2.2.4', '2.3.0', '2.5.1'),
  serverVersion: fc.constantFrom('2.1.2', '2.2.3', '2.5.1'),
  // 2 × keep-alive + sleep + round trip < 20 s: the ejector never probes the live client (bounds-v2 silentCaveat).
  keepAliveMs: fc.integer({ min: 1000, max: 9_500 }),
  healthTimeoutMs: fc.integer({ min: 100, max: 5000 }),
  healthRetry: fc.integer({ min: 0, max: 5 }),
  latency: fc.constantFrom('uniform:200us..1ms', 'uniform:1ms..20ms', 'fixed:5ms'),
  fault: fc.constantFrom('cut', 'oneway:c2s', 'oneway:s2c'),
  phaseMs: fc.integer({ min: 1, max: 30_000 }),
});

describe(suiteTitle('nacos-v2 › client detection › clientDetectedAtMs − faultAtMs lies in the window the client settings imply', RUNS), () => {
  it('cut and one-way cuts, random health timeouts and retries', () => {
    assertProperty(
      fc.property(caseArb, (c) => {
        const base = {
          model: 'nacos-v2',
          seed: c.seed,
          clientVersion: c.clientVersion,
          serverVersion: c.serverVersion,
          set: {
            'nacos.remote.client.grpc.connect.keep.alive': c.keepAliveMs,
            'nacos.remote.client.grpc.health.timeout': c.healthTimeoutMs,
            'nacos.remote.client.grpc.health.retry': c.healthRetry,
            'net.latency': c.latency,
          },
        };
        // What the release makes of those settings (before 2.1.2 they are fixed).
        const plain = resolveScenario(base);
        const s = v2Settings(plain.config, { client: plain.clientVersion, server: plain.serverVersion });
        // After the start-up phase (connect ≤ 3 s, the first check skipped: ≤ 2 keep-alives, a
        // ≤ 499 ms sleep and round trips; 1.5 s covers the sleep and this suite's latencies).
        const faultAtMs = 2 * s.keepAliveMs + 3000 + 1500 + c.phaseMs;
        const worstMs = s.keepAliveMs + (s.healthRetry + 1) * (s.healthTimeoutMs + 499) + 50;
        const sc = resolveScenario({ ...base, until: `${faultAtMs + worstMs + 2000}ms`, faults: [`${c.fault}@${faultAtMs}ms`] });
        const { result } = runScenario(sc);
        const e = (result.bounds as V2Bounds).clientDetectedFromFault;
        const m = result.metrics;
        claim(e.kind === 'within', `the bounds give no window (${e.kind === 'within' ? '' : e.why})`, sc);
        if (e.kind !== 'within') return;
        claim(m.clientDetectedAtMs !== null, 'the client never noticed', sc);
        const sinceMs = Math.round(((m.clientDetectedAtMs as number) - (m.faultAtMs as number)) * 1000) / 1000;
        claim(
          sinceMs > e.interval.lowerMs && sinceMs <= e.interval.upperMs,
          `clientDetectedAtMs − faultAtMs = ${sinceMs} ms, outside (${e.interval.lowerMs}, ${e.interval.upperMs}]`,
          sc,
        );
      }),
      RUNS,
    );
  });
});
