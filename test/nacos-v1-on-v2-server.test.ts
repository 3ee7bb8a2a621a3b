import { describe, expect, it } from 'vitest';
import { InputError } from '../src/scenario/input-error.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

/**
 * nacos-v1 › a 1.x client against a 2.x/3.x server's v1 HTTP path (src/models/nacos-v1/v2-path/server.ts).
 * Every expected time is derived by hand from the Nacos source (tag 2.2.3 unless stated) on a
 * network of fixed 1 ms one-way latency, so each leg is exactly 1 ms:
 * - the 1.4.0 client registers at 0 (SYN 1 ms, SYN-ACK 2 ms, request heard at 3 ms): the server
 *   creates the ip:port client c1#true then, and its ClientBeatCheckTaskV2 runs at 3 ms + 5 s·k
 *   (HealthCheckReactor.scheduleCheck(BeatCheckTask): 5000, 5000 from IpPortBasedClient.init);
 * - the first beat leaves 5 s after start on the register's kept connection (heard 5.001 s, answer
 *   5.002 s), each next one 5 s after the answer: heard at 5.001 s + 5.002 s·k, so the last one
 *   before cut@60s is heard at 55.021 s (the next leaves at 60.022 s, into the cut);
 * - UnhealthyInstanceChecker: the first check with now − 55.021 s > 15 s is 75.003 s;
 *   ExpiredInstanceChecker: the first with > 30 s is 90.003 s, removed at once (deleteIp calls
 *   client.removeServiceInstance, no HTTP DELETE to itself);
 * - the push task runs at the first 100 ms engine tick ≥ removal + 500 ms (PushConfig
 *   pushTaskDelay; NacosDelayTaskExecuteEngine 100 ms): 90.6 s, the UDP push lands 90.601 s;
 * - the ExpiredClientCleaner runs at 5 s·k from the server's start: the first run after the
 *   removal (95 s) finds c1#true with no instance and 95 − 55.021 > 30 s without update: gone;
 * - with the beat check unable to delete, the cleaner's clientExpiredTime clause (2.0.3+, 3 min)
 *   removes c1 at the first run with now − 55.021 s > 180 s: 240 s; pushed at 240.5 s, landing
 *   240.501 s.
 */
const BASE: ScenarioFile = {
  model: 'nacos-v1',
  clientVersion: '1.4.0',
  serverVersion: '2.2.3',
  faults: ['cut@60s'],
  until: '5m',
  seed: 1,
  set: { 'net.latency': 'fixed:1ms' },
};
const run = (over: Partial<ScenarioFile> = {}, set: Record<string, string> = {}) => {
  const input = { ...BASE, ...over, set: { ...BASE.set, ...set } };
  return runScenario(resolveScenario(input));
};
const at = (trace: readonly { t: number; kind: string; host: string; data?: Record<string, unknown> }[], kind: string, key: string, value: string) =>
  trace.filter((e) => e.kind === kind && e.data?.[key] === value).map((e) => e.t / 1000);

describe('nacos-v1 › 1.x client on a 2.2.3 server › cut@60s: unhealthy, removed, pushed, client cleaned up', () => {
  const { result, trace } = run();
  const m = result.metrics;
  it('hears the last beat at 55.021 s and marks c1 unhealthy at the 75.003 s check', () => {
    expect(m.lastHeardAtMs).toBe(55_021);
    expect(m.serverUnhealthyAtMs).toBe(75_003);
  });
  it('removes it at the 90.003 s check, at once, and the consumer drops it at 90.601 s', () => {
    expect(m.serverRemovedAtMs).toBe(90_003);
    expect(m.subscriberUpdatedAtMs).toBe(90_601);
  });
  it('the expired-client cleaner removes the empty c1#true client at its 95 s run', () => {
    expect(at(trace, 'client.expire', 'client', 'c1')).toEqual([95_000]);
  });
  it('the analytic windows of bounds-v1-on-v2.ts hold: removal in (D, D + C] after the last beat, push within 600 ms + dmax', () => {
    const b = result.bounds;
    expect(b?.removedFromLastHeard).toEqual({ kind: 'within', interval: { lowerMs: 30_000, upperMs: 35_000 } });
    expect(b && 'staleFromFault' in b && b.staleFromFault.kind).toBe('within');
  });
});

describe('nacos-v1 › 1.x client › the same cut against a 1.4.8 server (what differs)', () => {
  // 1.x: the service's ClientBeatCheckTask (phase of the service's creation at 3 ms) deletes by an
  // HTTP DELETE to itself 1 ms later (90.004 s) and PushService pushes 1 s after the change.
  const { result } = run({ serverVersion: '1.4.8' });
  it('removes 1 ms later (self-DELETE) and pushes 1 s after, not 0.6 s', () => {
    expect(result.metrics.serverRemovedAtMs).toBe(90_004);
    expect(result.metrics.subscriberUpdatedAtMs).toBe(91_005);
  });
});

describe('nacos-v1 › 1.x client on a 2.x server › the client expiry overrides the switches (2.0.3+)', () => {
  it('expireInstance=false: a 2.2.3 server still removes c1 at the 240 s cleaner run (55.021 s + 3 min), a 2.0.2 server never', () => {
    const v223 = run({}, { 'nacos.naming.expireInstance': 'false' }).result.metrics;
    expect(v223.serverUnhealthyAtMs).toBe(75_003);
    expect(v223.serverRemovedAtMs).toBe(240_000);
    expect(v223.subscriberUpdatedAtMs).toBe(240_501);
    const v202 = run({ serverVersion: '2.0.2' }, { 'nacos.naming.expireInstance': 'false' }).result.metrics;
    expect(v202.serverRemovedAtMs).toBeNull();
  });
  it('healthCheckEnabled=false: 2.2.3 removes at 240 s unmarked; 2.0.0 ignores the switch (removed at 90.003 s); 2.0.2 never', () => {
    const off = { healthCheckEnabled: 'false' };
    const v223 = run({}, off).result.metrics;
    expect([v223.serverUnhealthyAtMs, v223.serverRemovedAtMs]).toEqual([null, 240_000]);
    expect(run({ serverVersion: '2.0.0' }, off).result.metrics.serverRemovedAtMs).toBe(90_003);
    expect(run({ serverVersion: '2.0.2' }, off).result.metrics.serverRemovedAtMs).toBeNull();
  });
  it('nacos.naming.client.expired.time bounds it: 20 s → the 80 s cleaner run (55.021 s + 20 s < 80 s)', () => {
    const m = run({}, { 'nacos.naming.expireInstance': 'false', 'nacos.naming.client.expired.time': '20s' }).result.metrics;
    expect(m.serverRemovedAtMs).toBe(80_000);
  });
});

describe('nacos-v1 › 1.x client on a 2.x server › after the instance expired, only the re-register brings it back (20404)', () => {
  // cut@60s-120s: removed at 90.003 s. The beat due at 60.022 s waits out the cut on TCP and is
  // answered after it heals; a light beat for a client without the instance gets 20404 (handleBeat),
  // and the reply still carries lightBeatEnabled=true (InstanceController.beat puts it after
  // handleBeat returns), so the client keeps light beats; a 1.x server's 20404 reply has no
  // lightBeatEnabled, so the client's next beat is full (BeatReactor: absent → false).
  const lightAfterReregister = (serverVersion: string) => {
    const { trace } = run({ serverVersion, faults: ['cut@60s-120s'] });
    const rereg = trace.find((e) => e.kind === 'client.reregister');
    const next = trace.find((e) => e.kind === 'beat.recv' && rereg !== undefined && e.t > rereg.t);
    return next?.data?.light;
  };
  it('2.2.3 keeps light beats after the 20404; 1.4.8 sends the next beat full', () => {
    expect(lightAfterReregister('2.2.3')).toBe(true);
    expect(lightAfterReregister('1.4.8')).toBe(false);
  });
});

describe('nacos-v1 › 1.x client on a 2.x server › pushEnabled=false freezes the list answers', () => {
  // ServiceStorage.getData builds the data on the first query and only PushExecuteTask rebuilds it;
  // PushDelayTaskExecuteEngine.processTasks returns while pushEnabled=false. A consumer subscribing
  // at 10 s (after the 3 ms registration) keeps c1 in its view after the 90.003 s removal; a 1.x
  // server's polls (cacheMillis 10 s) drop it within one poll cycle.
  const views = (serverVersion: string) =>
    run({ serverVersion }, { pushEnabled: 'false', 'sim.subscriberStart': '10s' })
      .trace.filter((e) => e.kind === 'view.update')
      .map((e) => e.data?.instances);
  it('2.2.3: the consumer lists c1 from its first query and never drops it; 1.4.8: it drops it', () => {
    expect(views('2.2.3')).toEqual(['c1']);
    expect(views('1.4.8')).toEqual(['c1', '']);
  });
});

describe('nacos-v1 › an open-API script on a 2.3.1 server › beat JSON naming another service (#12161)', () => {
  // The script (sim.beatSender) registers at 0 (heard 3 ms) and beats every 5 s after each answer on
  // a new connection (4 legs): heard at 5.003 s + 5.004 s·k. ClientBeatProcessorV2 looks the
  // instance up under the JSON's service: null, so lastHeartBeatTime stays the registration's. The
  // ip:port client's checks run at 3 ms + 5 s·k: removed at the first with now − 3 ms > 30 s,
  // 35.003 s; the next beat (35.027 s) re-registers it from its JSON (handleBeat, URL service);
  // removed at the first check > 35.027 + 30 s: 70.003 s; re-registered at 70.055 s; removed at
  // 105.003 s (> 100.055 s); re-registered at 105.083 s. Its beats keep lastUpdatedTime fresh, so the
  // client itself never expires. A 1.x server's ClientBeatProcessor uses the URL's service: no removal.
  const times = (serverVersion: string, sender: string) => {
    const { trace, result } = run({ serverVersion, faults: [], until: '2m' }, { 'sim.beatSender': sender });
    return { removed: at(trace, 'instance.remove', 'instance', 'c1'), falseRemovals: result.metrics.falseRemovals, trace };
  };
  it('2.3.1: removed at 35.003, 70.003 and 105.003 s and re-created by the beats at 35.027, 70.055 and 105.083 s', () => {
    const t = times('2.3.1', 'openapi-other-service');
    expect(t.removed).toEqual([35_003, 70_003, 105_003]);
    expect(t.falseRemovals).toBe(3);
    expect(t.trace.filter((e) => e.kind === 'instance.register' && e.data?.via === 'beat').map((e) => e.t / 1000)).toEqual([35_027, 70_055, 105_083]);
  });
  it('1.4.8 keeps it; 2.3.1 keeps it when the JSON names the URL’s service', () => {
    expect(times('1.4.8', 'openapi-other-service').removed).toEqual([]);
    expect(times('2.3.1', 'openapi').removed).toEqual([]);
  });
});

describe('nacos-v1 › 1.x client on a 3.x server', () => {
  it('3.0.3 behaves as 2.2.3 on the v1 path: the same trace, byte for byte', () => {
    expect(run({ serverVersion: '3.0.3' }).result.traceHash).toBe(run().result.traceHash);
  });
  it('nacos.core.api.compatibility.client.enabled=false: every v1 request gets HTTP 410, nothing is ever registered', () => {
    const { trace } = run({ serverVersion: '3.0.3' }, { 'nacos.core.api.compatibility.client.enabled': 'false' });
    expect(trace.filter((e) => e.kind === 'instance.register')).toEqual([]);
  });
});

describe('nacos-v1 › 1.x client on a 2.x server › input', () => {
  const reject =
    (over: Partial<ScenarioFile>, set: Record<string, string> = {}) =>
    () =>
      resolveScenario({ ...BASE, ...over, set: { ...BASE.set, ...set } });
  it('rejects a cluster, a 2.x client and releases past 3.0.3', () => {
    expect(reject({ servers: 3 })).toThrow(InputError);
    expect(reject({ clientVersion: '2.2.3' })).toThrow(/client releases 1.0.0 to 1.4.8/);
    expect(reject({ serverVersion: '3.0.4' })).toThrow(/server releases 1.0.0 to 3.0.3/);
  });
  it('keeps a persistent instance: the ip:port#false client is never expired (isExpireClient asks isEphemeral first)', () => {
    expect(run({}, { ephemeral: 'false' }).result.metrics.serverRemovedAtMs).toBeNull();
  });
  it('runs twice to the same trace hash (determinism)', () => {
    expect(run().result.traceHash).toBe(run().result.traceHash);
  });
});

describe('nacos-v2 › releases up to 3.0.3', () => {
  // `git diff 2.5.1 3.0.3` on the gRPC liveness files (RpcClient, GrpcClient, NamingGrpcRedoService,
  // NacosRuntimeConnectionEjector, ConnectionBasedClientManager, the push tasks) changes log text,
  // metrics and fuzzy-watch wiring only: a 3.0.3 client and server run exactly as 2.5.1's.
  const v2 = (version: string) =>
    runScenario(resolveScenario({ model: 'nacos-v2', clientVersion: version, serverVersion: version, faults: ['cut@60s'], until: '3m', seed: 3 })).result;
  it('3.0.3 gives the trace of 2.5.1 for a cut, byte for byte', () => {
    expect(v2('3.0.3').traceHash).toBe(v2('2.5.1').traceHash);
  });
  it('rejects 3.0.4 (no such tag in the mirror)', () => {
    expect(() => resolveScenario({ model: 'nacos-v2', serverVersion: '3.0.4' })).toThrow(/2.0.0 to 3.0.3/);
  });
});
