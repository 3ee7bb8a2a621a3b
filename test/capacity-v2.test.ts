import { describe, expect, it } from 'vitest';
import { v2HealthRoundUs, v2OnsetClients } from '../src/analysis/capacity-bounds.js';
import { type CapacityMetrics, capacityMetrics } from '../src/analysis/capacity-metrics.js';
import { V2_CONSTANTS, V2_KNOBS } from '../src/models/nacos-v2/defaults.js';
import { v2Settings } from '../src/models/nacos-v2/settings.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

// nacos-v2 › capacity: the clients' health checks wait in the server's gRPC queue; once one round
// of N checks takes longer than keep-alive + health timeout, attempts time out, the retries wait
// in the same queue behind them, and the clients give their connections up (false
// disconnections). The onset comes from src/analysis/capacity-bounds.ts, never from a run.

const N = 100;
const knob = (key: string): number => V2_KNOBS.find((k) => k.key === key)?.default as number;
const KEEP_ALIVE_MS = knob('nacos.remote.client.grpc.connect.keep.alive');
const HEALTH_TIMEOUT_MS = knob('nacos.remote.client.grpc.health.timeout');

// One gRPC worker; every check (and the connect's ServerCheck) costs c. The clients come up over
// 60 s so that their connects do not pile up at the start (that storm is another story).
const scenario = (costMs: number): ScenarioFile => ({
  model: 'nacos-v2',
  clients: N,
  subscribers: 0,
  until: '3m',
  set: { 'sim.server.threads': 1, 'sim.server.cost.health': `${costMs}ms`, 'sim.clientStartSpread': '60s' },
});

const run = (file: ScenarioFile): CapacityMetrics => {
  const sc = resolveScenario(file);
  const { trace } = runScenario(sc);
  return capacityMetrics(trace, { faults: sc.faults, fromUs: 0, untilUs: sc.untilUs });
};

/** The check cost at which one round of N checks takes keep-alive + health timeout (8 s). */
const onsetCostMs = (KEEP_ALIVE_MS + HEALTH_TIMEOUT_MS) / N;

describe('nacos-v2 › capacity › health checks in the gRPC queue', () => {
  it('the analytic onset is where a round of checks outlasts keep-alive + health timeout', () => {
    const sc = resolveScenario(scenario(onsetCostMs));
    const cap = v2Settings(sc.config, { client: sc.clientVersion, server: sc.serverVersion }).capacity;
    expect(v2HealthRoundUs(N, cap)).toBe((KEEP_ALIVE_MS + HEALTH_TIMEOUT_MS) * 1000);
    expect(v2OnsetClients(cap, KEEP_ALIVE_MS, HEALTH_TIMEOUT_MS)).toBe(N + 1);
  });

  it('a round 10 % under it: every check waits seconds for its answer, and no client gives up', () => {
    // The round (7.2 s) exceeds the keep-alive: the loop is saturated and each client waits
    // round − keep-alive − sleep ≈ 2 s for its answer, under the 3 s timeout.
    const m = run(scenario(onsetCostMs * 0.9));
    expect(m.peakWaitMs.grpc).toBeGreaterThanOrEqual(1024);
    expect(m.falseDisconnections).toBe(0);
    expect(m.falseRemovals).toBe(0);
  });

  it('a round 10 % over it: the clients give their connections up, and the server stays saturated', () => {
    const below = run(scenario(onsetCostMs * 0.9));
    const m = run(scenario(onsetCostMs * 1.1));
    expect(m.falseDisconnections).toBeGreaterThanOrEqual(N * 0.9);
    // Timed-out attempts are still served and their retries queue behind them; reconnects add
    // ServerChecks that time out too: fewer useful health checks get through than below the onset.
    expect(m.loadPerSec.healthChecks).toBeLessThan((below.loadPerSec.healthChecks as number) / 2);
  });
});

// nacos-v2 › capacity › answers in the gRPC queue: a push ack or probe answer is handled on the
// gRPC executor like any call's message (BaseGrpcServer: .executor(getRpcExecutor())). The probe's
// request completes only when its answer has been served, so an answer that needs longer than the
// probe timeout fails its probe although it arrived at once: the live connection is ejected.
// With the client's keep-alive at 60 s the connection is silent for the ejector's 20 s, so the
// server probes this healthy client; the LAN's round trip is a few ms.
describe('nacos-v2 › capacity › probe answers in the gRPC queue', () => {
  const PROBE_TIMEOUT_MS = V2_CONSTANTS.probeTimeoutMs;
  const probed = (ackMs: number) => {
    const sc = resolveScenario({
      model: 'nacos-v2',
      subscribers: 0,
      until: '2m',
      set: { 'nacos.remote.client.grpc.connect.keep.alive': '60s', 'sim.server.threads': 1, 'sim.server.cost.ack': `${ackMs}ms` },
    });
    const { trace } = runScenario(sc);
    const at = (kind: string) => trace.filter((e) => e.kind === kind).map((e) => e.t);
    const ejected = trace.filter((e) => e.kind === 'connection.unregister' && e.data?.reason === 'ejected').map((e) => e.t);
    return { sent: at('probe.send'), replies: at('probe.reply'), ejected };
  };

  it('answers served within the probe timeout keep the connection: every probe is answered, none ejects', () => {
    for (const ackMs of [0, PROBE_TIMEOUT_MS - 1000]) {
      const r = probed(ackMs);
      expect(r.sent.length, `ack ${ackMs} ms`).toBeGreaterThanOrEqual(3);
      expect(r.replies.length, `ack ${ackMs} ms`).toBe(r.sent.length);
      expect(r.ejected, `ack ${ackMs} ms`).toEqual([]);
    }
  });

  it('an answer that needs longer than the probe timeout: the first probe fails and the live connection is ejected when it times out', () => {
    const r = probed(PROBE_TIMEOUT_MS + 1);
    expect(r.replies).toEqual([]);
    const first = r.sent[0] as number;
    expect(r.ejected[0]).toBe(first + PROBE_TIMEOUT_MS * 1000);
  });
});
