import { describe, expect, it } from 'vitest';
import type { Knob } from '../src/models/knob.js';
import { V2_CONSTANTS, V2_KEYS, V2_KNOBS } from '../src/models/nacos-v2/defaults.js';
import { PROXY_PRODUCTS } from '../src/models/proxy/defaults.js';
import { InputError } from '../src/scenario/input-error.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

/**
 * nacos-v2 › proxy: an L4 proxy host between the clients and the server (issue 17 item 2). Every
 * expected number comes from the products' documented defaults (PROXY_PRODUCTS), the model's table
 * of defaults and the fixed 1 ms one-way latency of these runs — never from a run.
 */
const LATENCY_MS = 1;
const run = (over: Partial<ScenarioFile>) =>
  runScenario(
    resolveScenario({
      model: 'nacos-v2',
      serverVersion: '2.2.3',
      until: '12m',
      ...over,
      set: { 'net.latency': `fixed:${LATENCY_MS}ms`, ...(over.set ?? {}) },
    }),
  );

const knobDefault = (key: string): number => {
  const k = V2_KNOBS.find((x) => x.key === key) as Knob & { default: number };
  return k.default;
};

const CUT_AT_MS = 60_000;
/** nginx src/stream/ngx_stream_proxy_module.c: ngx_conf_merge_msec_value(conf->timeout, prev->timeout, 10 * 60000). */
const NGINX_IDLE_MS = 10 * 60_000;
/** docs.aws.amazon.com/elasticloadbalancing/latest/network/update-idle-timeout.html: 350 seconds. */
const NLB_IDLE_MS = 350_000;
const HEALTH_IDLE_MS = knobDefault(V2_KEYS.keepAlive); // 5 000: a health check after 5 s idle

describe('nacos-v2 › proxy › defaults', () => {
  it("the products' table holds the documented defaults", () => {
    expect(PROXY_PRODUCTS['nginx-stream']).toMatchObject({ idleTimeoutMs: NGINX_IDLE_MS, onIdle: 'close', connectTimeoutMs: 60_000 });
    expect(PROXY_PRODUCTS.nlb).toMatchObject({ idleTimeoutMs: NLB_IDLE_MS, onIdle: 'forget' });
  });
});

describe('nacos-v2 › proxy › nginx stream on 2.2.x (no ejector)', () => {
  it('a dead client leg: nginx closes both legs proxy_timeout after the last byte, and the server removes the instance on the FIN', () => {
    const { result, trace } = run({ proxy: 'nginx-stream', faults: ['cut:c1-proxy@60s'] });
    const m = result.metrics;
    const lastHeard = m.lastHeardAtMs as number;
    // The last request reaches s1 before the cut and within one health-check period of it.
    expect(lastHeard).toBeGreaterThan(CUT_AT_MS - HEALTH_IDLE_MS - 2 * LATENCY_MS);
    expect(lastHeard).toBeLessThanOrEqual(CUT_AT_MS + 2 * LATENCY_MS);
    // s1 answers at once; the answer reaches the proxy 1 ms later: its last byte. nginx closes both
    // legs proxy_timeout after it; the FIN reaches s1 1 ms later; the transport filter removes c1.
    expect(m.serverRemovedAtMs).toBeCloseTo(lastHeard + LATENCY_MS + NGINX_IDLE_MS + LATENCY_MS, 3);
    expect(trace.find((e) => e.kind === 'instance.remove')?.data?.reason).toBe('transport-fin');
    expect(trace.find((e) => e.kind === 'proxy.close')?.data?.cause).toBe('idle-timeout');
    expect(m.falseRemovals).toBe(0);
    expect((result.bounds as unknown as Record<string, unknown>).removedFromFault).toMatchObject({ kind: 'no-bound' });
  });

  it('without the proxy the same cut is not removed within the run: the 2 h gRPC keep-alive decides', () => {
    const { result } = run({ faults: ['cut@60s'] });
    expect(V2_CONSTANTS.grpcServerKeepAliveMs).toBeGreaterThan(12 * 60_000);
    expect(result.metrics.serverRemovedAtMs).toBeNull();
  });

  it("sim.proxy.idleTimeout sets nginx's proxy_timeout: 2 min gives removal 2 min after the last byte", () => {
    const idleMs = 120_000;
    const { result } = run({ proxy: 'nginx-stream', faults: ['cut:c1-proxy@60s'], set: { 'sim.proxy.idleTimeout': '2m' } });
    const lastHeard = result.metrics.lastHeardAtMs as number;
    expect(result.metrics.serverRemovedAtMs).toBeCloseTo(lastHeard + 2 * LATENCY_MS + idleMs, 3);
  });

  it('a plain cut acts on the client leg, the only path c1 has: the same removal as cut:c1-proxy', () => {
    const plain = run({ proxy: 'nginx-stream', faults: ['cut@60s'] }).result.metrics;
    const leg = run({ proxy: 'nginx-stream', faults: ['cut:c1-proxy@60s'] }).result.metrics;
    expect(plain.serverRemovedAtMs).toBe(leg.serverRemovedAtMs);
  });

  it('a cut of the server leg: the FIN nginx sends when c1 gives up is lost too, so nothing reaches s1 (a half-open leg, as without a proxy)', () => {
    const { result } = run({ proxy: 'nginx-stream', faults: ['cut:proxy-s1@60s'] });
    expect(result.metrics.serverRemovedAtMs).toBeNull();
    expect(result.metrics.clientDetectedAtMs).not.toBeNull();
  });
});

describe('nacos-v2 › proxy › nginx stream on 2.5.1 (ejector)', () => {
  it('the ejector still probes through the proxy: removal at the probe timeout after 20 s idle, long before proxy_timeout', () => {
    const { result, trace } = run({ serverVersion: '2.5.1', proxy: 'nginx-stream', faults: ['cut:c1-proxy@60s'] });
    const lastHeard = result.metrics.lastHeardAtMs as number;
    const removed = result.metrics.serverRemovedAtMs as number;
    // Ejected once idle > 20 s at a 3 s tick, after a 5 s probe timeout (2.3+ constants).
    const lo = lastHeard + V2_CONSTANTS.idleLimitMs + V2_CONSTANTS.probeTimeoutMs;
    expect(removed).toBeGreaterThanOrEqual(lo);
    expect(removed).toBeLessThanOrEqual(lo + V2_CONSTANTS.ejectorPeriodMs + 2 * LATENCY_MS);
    expect(trace.find((e) => e.kind === 'instance.remove')?.data?.reason).toBe('ejected');
  });
});

describe('nacos-v2 › proxy › AWS NLB on 2.2.x', () => {
  it('the silent idle expiry tells the server nothing: a dead client is not removed within the run', () => {
    const { result, trace } = run({ proxy: 'nlb', faults: ['cut:c1-proxy@60s'] });
    expect(result.metrics.serverRemovedAtMs).toBeNull();
    const forget = trace.find((e) => e.kind === 'proxy.forget' && e.data?.client === 'c1');
    // Forgotten 350 s after the last byte (the answer to the last request heard, 1 ms later).
    expect(forget?.t).toBeCloseTo(((result.metrics.lastHeardAtMs as number) + LATENCY_MS + NLB_IDLE_MS) * 1000, -1);
  });

  it('a client idle longer than 350 s: its gRPC PING at 6 min meets the forgotten flow, it reconnects, and the server keeps the old connection as a second publisher', () => {
    const { trace } = run({ proxy: 'nlb', set: { [V2_KEYS.keepAlive]: '400s' } });
    const pingMs = knobDefault(V2_KEYS.channelKeepAlive); // 360 000: grpc-java keepAliveTime from GrpcClient
    const detected = trace.find((e) => e.host === 'c1' && e.kind === 'client.detected');
    // The PING leaves ~6 min after the last read (the registration's answer, at ~0.1 s); the RST is back 2 ms later.
    expect(detected?.data?.reason).toBe('stream-closed');
    expect((detected?.t ?? 0) / 1000).toBeGreaterThan(pingMs);
    expect((detected?.t ?? 0) / 1000).toBeLessThan(pingMs + 1000);
    const ghost = trace.find((e) => e.kind === 'instance.publish' && e.data?.instance === 'c1');
    expect(ghost?.data?.publishers).toBe(2);
  });
});

describe('nacos-v2 › proxy › input', () => {
  const rejects = (over: Partial<ScenarioFile>, text: RegExp): void => {
    expect(() => resolveScenario({ model: 'nacos-v2', ...over } as ScenarioFile)).toThrow(InputError);
    expect(() => resolveScenario({ model: 'nacos-v2', ...over } as ScenarioFile)).toThrow(text);
  };
  it('refuses a proxy fault without a proxy, a proxy in front of a cluster, an unknown product and a proxy on 1.x', () => {
    rejects({ faults: ['cut:c1-proxy@60s'] }, /no host proxy in this run/);
    rejects({ proxy: 'nginx-stream', servers: 3 }, /in front of one server/);
    rejects({ proxy: 'haproxy' }, /nginx-stream/);
    expect(() => resolveScenario({ model: 'nacos-v1', proxy: 'nginx-stream' })).toThrow(/nacos-v1 has no proxy/);
  });

  it('is deterministic: the same proxied scenario twice gives the same trace hash', () => {
    const a = run({ proxy: 'nginx-stream', faults: ['cut:c1-proxy@60s'], set: { 'net.latency': 'uniform:200us..1ms' } });
    const b = run({ proxy: 'nginx-stream', faults: ['cut:c1-proxy@60s'], set: { 'net.latency': 'uniform:200us..1ms' } });
    expect(a.result.traceHash).toBe(b.result.traceHash);
  });
});
