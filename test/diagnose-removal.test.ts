import { describe, expect, it } from 'vitest';
import { diagnose } from '../src/diagnose/diagnose.js';
import { diagnoseRemedies } from '../src/diagnose/diagnose-remedies.js';
import { answerRemoval } from '../src/diagnose/removal.js';
import { V2_CONSTANTS as K } from '../src/models/nacos-v2/defaults.js';

/**
 * diagnose's first answer (issue 16 item 1): when the server removes the instance under the
 * user's settings, by which mechanism — or never, and why. Expected figures come from the Nacos
 * and grpc-java sources named in each test, not from livesim's output.
 */
describe('diagnose › removal answer', () => {
  it('nacos-v2 › 2.2.3 › cut: removed by the gRPC keep-alive, PING 2 h after the last read + 20 s timeout, horizon extended to reach it', () => {
    const { answer, output } = answerRemoval({ model: 'nacos-v2', serverVersion: '2.2.3', faults: ['cut@60s'] }, { extend: true });
    const heard = output.result.metrics.lastHeardAtMs as number;
    // grpc-java NettyServerHandler KeepAliveManager: PING keepAliveTime after the last read, close keepAliveTimeout later;
    // GrpcSdkServer defaults 2 h / 20 s (GrpcUtil.DEFAULT_SERVER_KEEPALIVE_TIME_NANOS / _TIMEOUT_NANOS).
    expect(answer.removedAtMs).toBeCloseTo(heard + K.grpcServerKeepAliveMs + K.grpcServerKeepAliveTimeoutMs, 0);
    expect(answer.because).toMatch(/gRPC server keep-alive/);
    expect(answer.horizonNote).toMatch(/^horizon extended from 10m to 2h 3m to reach the gRPC server keep-alive/);
    const ejector = answer.mechanisms.find((m) => m.id === 'ejector');
    expect(ejector?.window).toBeNull();
    expect(ejector?.note).toMatch(/no ejector in 2\.2\.3/);
  });

  it('nacos-v2 › an explicit --until is kept: the answer is "not within it", not never', () => {
    const { answer } = answerRemoval({ model: 'nacos-v2', serverVersion: '2.2.3', faults: ['cut@60s'], until: '1h' }, { extend: false });
    expect(answer.removedAtMs).toBeNull();
    expect(answer.never).toBeNull();
    expect(answer.horizonNote).toBeNull();
  });

  it('nacos-v1 › ephemeral=false: never removed (persistent), marked unhealthy by the TCP health check', () => {
    const { answer } = answerRemoval({ model: 'nacos-v1', set: { ephemeral: 'false' }, faults: ['cut@60s'] }, { extend: true });
    expect(answer.removedAtMs).toBeNull();
    expect(answer.never).toMatch(/persistent/);
    // HealthCheckTask: 3 failed TCP checks 2-5 s apart (TcpSuperSenseProcessor), well within a minute of the cut.
    expect(answer.unhealthyAtMs).toBeGreaterThan(60_000);
    expect(answer.unhealthyAtMs).toBeLessThan(120_000);
    expect(answer.mechanisms.find((m) => m.id === 'tcp-health-check')?.marksOnly).toBe(true);
  });

  for (const dir of ['s2c', 'c2s'] as const) {
    it(`nacos-v2 › 2.3.0 › oneway:${dir}: removed by the ejector, inside its own window`, () => {
      const { answer } = answerRemoval({ model: 'nacos-v2', serverVersion: '2.3.0', faults: [`oneway:${dir}@60s`] }, { extend: true });
      const ejector = answer.mechanisms.find((m) => m.id === 'ejector');
      expect(answer.because).toMatch(/ejector/);
      expect(answer.detectionMs).toBeGreaterThan(ejector?.window?.lowerMs ?? Number.POSITIVE_INFINITY);
      expect(answer.detectionMs).toBeLessThanOrEqual(ejector?.window?.upperMs ?? 0);
    });
  }
});

describe('diagnose › remedies on 2.2.3', () => {
  it('each simulated in the release; the client health settings change only when the client notices', async () => {
    const r = await diagnoseRemedies(
      { model: 'nacos-v2', serverVersion: '2.2.3' },
      { workers: 1, lossy: { network: 'lossy-wifi', seeds: [1], until: '2m', hours: 2 / 60 } },
    );
    const by = Object.fromEntries(r.remedies.map((o) => [o.id, o]));
    const yours = r.yours.detectionMs as number;
    const heard = yours - K.grpcServerKeepAliveMs - K.grpcServerKeepAliveTimeoutMs; // last read, from the fault
    // The PING 30 s after the last read, unanswered for the 20 s default (or 5 s) timeout.
    expect(by['v2-server-keepalive']?.detectionMs).toBeCloseTo(heard + 30_000 + 20_000, 0);
    expect(by['v2-server-keepalive-timeout']?.detectionMs).toBeCloseTo(heard + 30_000 + 5_000, 0);
    // SO_KEEPALIVE: 60 s idle after the last packet (the ACK of its answer, one LAN round trip ≤ 2 ms later) + 3 × 10 s.
    expect(by['v2-server-tcp-keepalive']?.detectionMs).toBeGreaterThan(heard + 90_000);
    expect(by['v2-server-tcp-keepalive']?.detectionMs).toBeLessThanOrEqual(heard + 90_000 + 2);
    // Client health 1 s × 2 attempts: the client notices within keep-alive 5 s + 2 s, the server still waits for the PING.
    expect(by['v2-client-health']?.clientNoticesMs).toBeLessThan(r.yours.clientNoticesMs as number);
    expect(by['v2-client-health']?.detectionMs).toBeGreaterThan(K.grpcServerKeepAliveMs);
    // The application cannot reach a server it is cut off from: registry unchanged.
    for (const id of ['v2-app-stop-serving', 'v2-app-deregister', 'v2-app-exit']) expect(by[id]?.detectionMs).toBe(yours);
    expect(by['v2-upgrade']?.versions).toBe('server 2.2.3 → 2.3.0');
    expect(r.remedies[0]?.id).toBe('v2-upgrade');
  });
});

describe('diagnose › says when and why it runs another release than the one you gave', () => {
  it('nacos-v1 › client 1.4.1: the beat-loop remedy runs 1.4.2, and says so', () => {
    const d = diagnose({ model: 'nacos-v1', clientVersion: '1.4.1', until: '5m' }, 'false-removal');
    const loop = d.causes.find((c) => c.inYourSettings);
    expect(loop?.versions).toBeNull();
    expect(loop?.remedy.versions).toMatch(/^runs with client 1\.4\.2 instead of your 1\.4\.1: /);
  });

  it('nacos-v1 › client 1.4.2: the cause that lives in 1.4.1 says it runs there', () => {
    const d = diagnose({ model: 'nacos-v1', clientVersion: '1.4.2', until: '5m' }, 'false-removal');
    expect(d.causes.some((c) => c.versions?.startsWith('runs with client 1.4.1 instead of your 1.4.2: the release this cause lives in'))).toBe(true);
  });
});

/**
 * A 1.x client on a 2.x server: the mechanism diagnose names is the 2.x v1 path's (the ip:port
 * client's beat check, removal at once; bounds-v1-on-v2.ts), so its window is the run's own
 * removal bound — not the 1.x server's, whose HTTP self-delete comes 1 ms later.
 */
describe('diagnose › removal › a 1.x client on a 2.2.3 server names the 2.x path', () => {
  it('the beat-expiry window equals the run’s removal bound', () => {
    const { answer } = answerRemoval({ model: 'nacos-v1', serverVersion: '2.2.3', faults: ['cut@60s'] }, { extend: false });
    const expiry = answer.mechanisms.find((m) => m.id === 'beat-expiry');
    expect(answer.removal?.kind).toBe('within');
    if (answer.removal?.kind !== 'within') return;
    expect(expiry?.window).toEqual(answer.removal.interval);
    expect(expiry?.source).toContain('ClientBeatCheckTaskV2');
  });
});
