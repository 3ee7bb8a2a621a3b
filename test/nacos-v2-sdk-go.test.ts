import { describe, expect, it } from 'vitest';
import { MODELS } from '../src/models/registry.js';
import { GO_SDK } from '../src/models/sdk/defaults.js';
import { type RunOutput, resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';
import type { TraceEvent } from '../src/sim/trace.js';

/**
 * nacos-sdk-go v2 as the provider (`--client-sdk go`). Every expected time below is derived by
 * hand from github:nacos-group/nacos-sdk-go (v2.3.5 unless stated; paths from the repository
 * root) with a fixed one-way latency d = 1 ms, never read off a run:
 *
 * Start-up (common/remote/rpc/rpc_client.go Start, grpc_client.go connectToServer): the timer
 * starts (NewTimer(5 s)); TCP handshake 0 → 2 ms, ServerCheckRequest 2 → 4 ms, the setup request
 * at 4 ms (the server registers the connection at 5 ms), time.Sleep(100 ms) → connected at
 * 104 ms; the application's RegisterInstance reaches the server at 105 ms, its answer at 106 ms
 * sets lastActiveTimestamp.
 * Health checks (healthCheck): at 5 s, 5 − 0.106 < KEEP_ALIVE_TIME (5 s) → skipped, timer reset to
 * 5 s → the first check at 10.000 s; a check takes one round trip (2 ms) and the timer is reset
 * after it (defer timer.Reset), so check k starts at 10.000 + k · 5.002 s: …, 55.018, 60.020.
 * After cut@60s the 60.020 check is lost; sendHealthCheck sends ONE request with
 * DEFAULT_TIMEOUT_MILLS = 3000 → UNHEALTHY at 63.020 s (the Java client 2.1.2+ tries 4 × 3 s).
 * Reconnect (reconnect): each connect fails after the 3 s server-check timeout; with one server
 * retryTurns is 0 after the first failure and then i − 1 after the i-th, and the sleep is
 * min(retryTurns, 50) × 100 ms: attempts at 63.020, 66.020 (+3 s + 0), 69.120 (+0.1 s), 72.320
 * (+0.2 s), 75.620 (+0.3 s). (Java sleeps min(retryTurns + 1, 50) × 100 ms.)
 * The server (Java 2.5.1, unchanged): the ejector runs at 1 s + 3 s · k and probes a connection
 * idle for more than 20 s; the probe times out after 5 s.
 */

const run = (over: Omit<ScenarioFile, 'model'>): RunOutput =>
  runScenario(resolveScenario({ model: 'nacos-v2', clientSdk: 'go', ...over, set: { 'net.latency': 'fixed:1ms', ...(over.set ?? {}) } }));
const at = (trace: readonly TraceEvent[], kind: string, host = 'c1'): number[] =>
  trace.filter((e) => e.kind === kind && e.host === host).map((e) => e.t / 1000);
const recv = (trace: readonly TraceEvent[], type: string): number[] =>
  trace.filter((e) => e.kind === 'request.recv' && e.data?.instance === 'c1' && e.data?.type === type).map((e) => e.t / 1000);

describe('nacos-v2 › Go SDK › cut at 60 s', () => {
  const o = run({ until: '90s', faults: ['cut@60s'] });

  it('registers at 105 ms and health-checks every 5 s + one round trip from 10 s', () => {
    expect(recv(o.trace, 'register')).toEqual([105]);
    const checks = at(o.trace, 'health-check.send').filter((t) => t <= 60_020);
    expect(checks).toEqual(Array.from({ length: 11 }, (_, k) => 10_000 + k * 5_002));
  });

  it('notices the cut at 63.020 s: one 3 s attempt of the check sent at 60.020 s', () => {
    expect(at(o.trace, 'client.detected')).toEqual([63_020]);
    expect(o.result.metrics.clientDetectedAtMs).toBe(63_020);
  });

  it('reconnects at once, then 100, 200, 300 ms after each failed 3 s attempt', () => {
    expect(at(o.trace, 'client.reconnect').slice(0, 5)).toEqual([63_020, 66_020, 69_120, 72_320, 75_620]);
  });

  it('the server removes the instance at 81 s: idle since 55.019 s, probed at the 76 s run, probe timed out', () => {
    expect(o.result.metrics.serverRemovedAtMs).toBe(81_000);
  });

  it('the Java client notices later: at least four 3 s attempts after its last good check', () => {
    const java = runScenario(resolveScenario({ model: 'nacos-v2', until: '90s', faults: ['cut@60s'], set: { 'net.latency': 'fixed:1ms' } }));
    expect(java.result.metrics.clientDetectedAtMs as number).toBeGreaterThanOrEqual(60_000 + 4 * 3_000);
  });
});

describe('nacos-v2 › Go SDK › cut healed at 70 s', () => {
  const o = run({ until: '90s', faults: ['cut@60s-70s'] });

  it('the attempt started at 69.120 s connects after the heal, within its 3 s budget + the 100 ms setup sleep', () => {
    const connected = at(o.trace, 'client.connected');
    expect(connected.length).toBe(2);
    expect(connected[1] as number).toBeGreaterThan(70_000);
    expect(connected[1] as number).toBeLessThanOrEqual(69_120 + 3_000 + GO_SDK.setupSleepMs);
  });

  it('re-registers on the CONNECTED event itself (no redo task): the server has it one latency later', () => {
    const connected = at(o.trace, 'client.connected')[1] as number;
    expect(at(o.trace, 'client.redo')).toEqual([connected]);
    expect(recv(o.trace, 'register')).toEqual([105, connected + 1]);
  });
});

describe('nacos-v2 › Go SDK › one-way partitions at 60 s', () => {
  it('s2c: the lost answer times out at 63.020 s; the server heard the check at 60.021 s and removes at 87 s (probe at the 82 s run)', () => {
    const o = run({ until: '100s', faults: ['oneway:s2c@60s'] });
    expect(o.result.metrics.clientDetectedAtMs).toBe(63_020);
    expect(recv(o.trace, 'healthCheck').at(-1)).toBe(60_021);
    expect(at(o.trace, 'probe.send', 's1')).toEqual([82_000]);
    expect(o.result.metrics.serverRemovedAtMs).toBe(87_000);
  });

  it('c2s: the client notices at 63.020 s; the server, silent since 55.019 s, probes at 76 s and removes at 81 s', () => {
    const o = run({ until: '100s', faults: ['oneway:c2s@60s'] });
    expect(o.result.metrics.clientDetectedAtMs).toBe(63_020);
    expect(at(o.trace, 'probe.send', 's1')).toEqual([76_000]);
    expect(o.result.metrics.serverRemovedAtMs).toBe(81_000);
  });
});

/**
 * nacos-sdk-go #587 (and #736): the provider registers and subscribes to itself (the #581 bench),
 * ClientConfig.TimeoutMs = 2 s, the connection is reset at 60 s and the path is slow (+1.1 s each
 * way for what is sent in [60.05 s, 64 s)).
 *   60.001  the reset reaches both ends: the server removes the instance; the client reconnects
 *   60.105  connected (2 round trips + 100 ms); CONNECTED → OnConnected → redoSubscribe first; the
 *           timer that fired at 60.020 during the reconnect waits in its channel, so a health check
 *           goes out too (idle since 55.020 s). Both reach the server at 61.206, answers at 62.307.
 *   62.105  the subscribe's 2 s try times out; waitReconnect 100 ms; the window is spent → at 62.205
 *           RUNNING → UNHEALTHY, switchServerAsync(onRequestFail = true) queued (the goroutine is in
 *           the health check); redoRegisterEachService: "client not connected, UNHEALTHY" at 62.205,
 *           62.305, 62.405 (3 tries) → failed at 62.505, only logged: the register is never sent
 *   62.307  the health check passes; the queued reconnect(onRequestFail) re-checks: sent at 62.307,
 *           at the server 63.408, answered 64.509 → RUNNING
 *   v2.2.6  … and return: no CONNECTED event, nothing re-registers the instance
 *   v2.2.7  + notifyConnectionChange(CONNECTED) (a0c848a, PR #737): OnConnected again at 64.509
 *           (the slow window is over): subscribe 64.509 → 64.511, register 64.511 → at the server 64.512
 */
describe('nacos-v2 › Go SDK › #587: re-registration lost while UNHEALTHY', () => {
  const scenario = (clientVersion: string): RunOutput =>
    run({
      until: '90s',
      clientVersion,
      faults: ['rst@60s', 'delay:1100ms@60050ms-64s'],
      set: { 'sim.client.subscribeSelf': true, 'go.ClientConfig.TimeoutMs': '2s' },
    });

  it('v2.2.6: the failed subscribe makes the client UNHEALTHY, the register redo fails without being sent, and nothing retries it', () => {
    const o = scenario('2.2.6');
    expect(at(o.trace, 'client.connected')).toEqual([104, 60_105]);
    expect(at(o.trace, 'client.detected')).toEqual([60_001, 62_205]);
    expect(recv(o.trace, 'subscribe')).toEqual([107, 61_206]);
    expect(at(o.trace, 'client.redo')).toEqual([60_105, 62_205]);
    expect(recv(o.trace, 'register')).toEqual([105]);
    expect(o.result.metrics.serverRemovedAtMs).toBe(60_001);
    expect(o.trace.filter((e) => e.kind === 'instance.register').length).toBe(1);
  });

  it('v2.2.7: the healthy re-check notifies CONNECTED and the redo registers the instance again at 64.512 s', () => {
    const o = scenario('2.2.7');
    expect(at(o.trace, 'client.redo')).toEqual([60_105, 62_205, 64_509, 64_511]);
    expect(recv(o.trace, 'register')).toEqual([105, 64_512]);
    expect(o.trace.filter((e) => e.kind === 'instance.register').map((e) => e.t / 1000)).toEqual([105, 64_512]);
  });

  it('the Java client has no such gap: its redo task retries every 3 s while connected (NamingGrpcRedoService)', () => {
    const java = runScenario(
      resolveScenario({ model: 'nacos-v2', until: '90s', faults: ['rst@60s', 'delay:1100ms@60050ms-64s'], set: { 'net.latency': 'fixed:1ms' } }),
    );
    expect(java.trace.filter((e) => e.kind === 'instance.register').length).toBe(2);
  });
});

describe('nacos-v2 › Go SDK › settings', () => {
  it('--client-version names the Go release: 2.3.5 by default, refused past it', () => {
    expect(resolveScenario({ model: 'nacos-v2', clientSdk: 'go' }).clientVersion).toEqual([2, 3, 5]);
    expect(resolveScenario({ model: 'nacos-v2' }).clientVersion).toEqual([2, 5, 1]);
    expect(() => resolveScenario({ model: 'nacos-v2', clientSdk: 'go', clientVersion: '2.5.1' })).toThrow(/nacos-sdk-go release, modelled from 2.0.0 to 2.3.5/);
    expect(() => resolveScenario({ model: 'nacos-v2', set: { 'sim.client.subscribeSelf': true } })).toThrow(/--client-sdk go only/);
    expect(() => resolveScenario({ model: 'nacos-v1', clientSdk: 'go' })).toThrow(/Java client only/);
  });

  it('the table of defaults has the Go rows, each citing nacos-sdk-go and its tag', () => {
    const v2 = MODELS.find((m) => m.id === 'nacos-v2');
    const rows = v2?.constants.filter((c) => c.name.startsWith('go: ')) ?? [];
    expect(rows.map((r) => r.name)).toContain('go: health check timeout');
    for (const r of rows) expect(r.source).toMatch(/nacos-sdk-go@v2\.\d+\.\d+ /);
    expect(rows.find((r) => r.name === 'go: gRPC keepalive Time')?.value).toBe(60_000);
  });
});

describe('nacos-v2 › Go SDK › the analytic windows hold for the Go client and consumer', () => {
  // The windows of src/analysis/bounds-v2.ts read the providers' settings (one 3 s attempt, no
  // jitter, 5 s keep-alive) and the consumers' (a Go consumer keeps its last non-empty list).
  const inside = (value: number | null, e: { kind: string; interval?: { lowerMs: number; upperMs: number } }, what: string): void => {
    expect(e.kind, what).toBe('within');
    expect(value, what).not.toBeNull();
    expect(value as number, what).toBeGreaterThan(e.interval?.lowerMs as number);
    expect(value as number, what).toBeLessThanOrEqual(e.interval?.upperMs as number);
  };
  for (const fault of ['cut@60s', 'oneway:c2s@60s', 'oneway:s2c@60s']) {
    it(`${fault}: the client notices and the server removes within their windows (4 seeds, 2 latencies)`, () => {
      for (const seed of [1, 2, 3, 4]) {
        for (const latency of ['uniform:200us..1ms', 'uniform:5ms..40ms']) {
          const o = runScenario(resolveScenario({ model: 'nacos-v2', clientSdk: 'go', seed, until: '2m', faults: [fault], set: { 'net.latency': latency } }));
          const b = o.result.bounds as unknown as Record<string, { kind: string; interval?: { lowerMs: number; upperMs: number } }>;
          const m = o.result.metrics;
          inside(m.detectionMs, b.removedFromFault as never, `${fault} seed ${seed} ${latency}: removal`);
          inside((m.clientDetectedAtMs as number) - 60_000, b.clientDetectedFromFault as never, `${fault} seed ${seed} ${latency}: client notices`);
        }
      }
    });
  }

  it('a Go consumer keeps the removed last instance (UpdateCacheWhenEmpty=false): stale never, and the bound says so', () => {
    const o = runScenario(resolveScenario({ model: 'nacos-v2', consumerSdk: 'go', until: '3m', faults: ['cut@60s'] }));
    expect(o.result.metrics.serverRemovedAtMs).not.toBeNull();
    expect(o.result.metrics.staleMs).toBeNull();
    expect((o.result.bounds as unknown as Record<string, { kind: string }>).staleFromFault?.kind).toBe('never');
    const fixed = runScenario(
      resolveScenario({ model: 'nacos-v2', consumerSdk: 'go', until: '3m', faults: ['cut@60s'], set: { 'go.ClientConfig.UpdateCacheWhenEmpty': true } }),
    );
    // The removal's push: pushTaskDelay 500 ms after the removal, plus one latency.
    expect((fixed.result.metrics.staleMs as number) - (fixed.result.metrics.detectionMs as number)).toBeGreaterThanOrEqual(500);
    expect((fixed.result.metrics.staleMs as number) - (fixed.result.metrics.detectionMs as number)).toBeLessThanOrEqual(500 + 100 + 1);
  });
});

/**
 * A Go consumer on v2.2.2, where the ServiceInfoUpdater always runs (naming_client.go
 * NewNamingClient; from v2.2.3 only with AsyncUpdateService): passes at 0, 1, 2, … s
 * (service_info_updater.go: time.Sleep(1 s)); a service is queried when its list was stored more
 * than cacheMillis (10 s, the server's defaultPushCacheMillis) ago. With 1 ms links the first
 * push (pushTaskDelay 500 ms after the subscribe at 0.105 s, + the 100 ms engine tick) is stored
 * at 0.701 s → query at the 11 s pass (10.299 s > 10 s), stored at 11.002 → 22 s (10.998 s) → 33,
 * 44, 55, 66, 77 s. The removal at 81 s is pushed at 81.5 s with no hosts: dropped
 * (UpdateCacheWhenEmpty false), so the list stays from 77.002 s and every pass from 88 s
 * (10.998 s) queries again, and the empty answers are dropped too: 88, 89, …, 94 s.
 */
describe('nacos-v2 › Go SDK › consumer: the updater of v2.2.2', () => {
  it('queries every 11 s while pushes and answers are stored, then every second once only empty lists come', () => {
    const o = run({ until: '95s', clientVersion: '2.2.2', consumerSdk: 'go', faults: ['cut@60s'] });
    const queries = o.trace.filter((e) => e.kind === 'request.recv' && e.data?.instance === 'sub1' && e.data?.type === 'query').map((e) => e.t / 1000);
    expect(queries).toEqual([11_001, 22_001, 33_001, 44_001, 55_001, 66_001, 77_001, 88_001, 89_001, 90_001, 91_001, 92_001, 93_001, 94_001]);
    expect(o.result.metrics.staleMs).toBeNull();
  });

  it('v2.2.3: no updater unless AsyncUpdateService', () => {
    const quiet = run({ until: '95s', clientVersion: '2.2.3', consumerSdk: 'go', faults: ['cut@60s'] });
    expect(quiet.trace.some((e) => e.kind === 'request.recv' && e.data?.type === 'query')).toBe(false);
    const on = run({ until: '95s', clientVersion: '2.2.3', consumerSdk: 'go', faults: ['cut@60s'], set: { 'go.ClientConfig.AsyncUpdateService': true } });
    expect(on.trace.filter((e) => e.kind === 'request.recv' && e.data?.type === 'query').length).toBe(14);
  });
});
