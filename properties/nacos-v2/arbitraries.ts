import fc from 'fast-check';
import { resolveScenario, type Scenario } from '../../src/scenario/run.js';

/**
 * Random legal Nacos 2.x scenarios for the property suites: the client's health-check keys
 * (keep-alive, timeout, retries), request and connect timeouts, the redo delay, the server's push
 * delays, its gRPC keep-alive (2.2.1+), the ejector's phase, client and server releases across
 * every family (2.0.0-2.0.2 one-shot redo, 2.0/2.1 fixed health check and 1 s probe, 2.2.0-2.2.4
 * without ejection, 2.2.4+ health-check sleep, 2.3+ 5 s probe and SetupAck), the latency envelope,
 * loss, the fault and its onset, and the seed. Every duration is within what the knob table
 * accepts; shrinking moves towards the defaults.
 */
export interface V2Case {
  readonly seed: number;
  readonly clientVersion: string;
  readonly serverVersion: string;
  /** `--set` values, as a user would type them. */
  readonly set: Readonly<Record<string, string>>;
  /** One fault in the DSL, with its onset. */
  readonly fault: string | null;
}

const weighted = <T>(usual: T, other: fc.Arbitrary<T>, oddsUsual = 3): fc.Arbitrary<T> =>
  fc.oneof({ weight: oddsUsual, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: other });

const ms = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });

/** Client releases, one or two per family the model tells apart. */
export const CLIENT_VERSIONS = ['2.0.2', '2.0.4', '2.1.1', '2.1.2', '2.2.3', '2.2.4', '2.3.0', '2.5.1'] as const;
/** Server releases: 2.0/2.1 (1 s probe), 2.2.0 (no ejector, fixed gRPC keep-alive), 2.2.3 (no ejector), 2.3+ (5 s probe). */
export const SERVER_VERSIONS = ['2.0.2', '2.1.0', '2.2.0', '2.2.3', '2.3.0', '2.5.1'] as const;

/** One-way latency up to a few tens of ms: fixed, uniform or a capped lognormal. */
export const latencyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('uniform:200us..1ms') },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 20_000 }).map((us) => `fixed:${us}us`) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 40_000 })).map(([lo, w]) => `uniform:${lo}us..${lo + w}us`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 100, max: 5_000 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }))
      .map(([median, sigma, k]) => `lognormal:${median}us/${sigma / 10}/${median * k}us`),
  },
);

/** The client's timing keys (2.1.2+ read them), request and connect timeouts, the redo delay. */
export const clientTimingArb: fc.Arbitrary<Record<string, string>> = fc
  .record({
    keepAlive: weighted(5000, ms(500, 30_000)),
    healthTimeout: weighted(3000, ms(100, 8000)),
    healthRetry: weighted(3, fc.integer({ min: 0, max: 6 })),
    requestTimeout: weighted(3000, ms(200, 8000)),
    serverCheckTimeout: weighted(3000, ms(200, 8000)),
    redoDelay: weighted(3000, ms(100, 10_000)),
  })
  .map((t) => ({
    'nacos.remote.client.grpc.connect.keep.alive': `${t.keepAlive}`,
    'nacos.remote.client.grpc.health.timeout': `${t.healthTimeout}`,
    'nacos.remote.client.grpc.health.retry': `${t.healthRetry}`,
    'nacos.remote.client.grpc.timeout': `${t.requestTimeout}`,
    'nacos.remote.client.grpc.server.check.timeout': `${t.serverCheckTimeout}`,
    redoDelayTime: `${t.redoDelay}`,
  }));

/** The server's push delays, its gRPC keep-alive (read from 2.2.1), and the ejector's phase. */
export const serverTimingArb: fc.Arbitrary<Record<string, string>> = fc
  .record({
    pushDelay: weighted(500, ms(0, 2000)),
    pushTimeout: weighted(5000, ms(200, 10_000)),
    pushRetryDelay: weighted(1000, ms(0, 3000)),
    // The 2 h default makes a 2.2.1+ run without ejection last hours: mostly shorter here.
    serverKeepAlive: weighted(7_200_000, ms(5_000, 600_000), 1),
    serverKeepAliveTimeout: weighted(20_000, ms(1_000, 30_000)),
    phaseUs: fc.option(fc.integer({ min: 0, max: 2_999_999 }), { freq: 2 }),
  })
  .map((t) => ({
    'nacos.naming.push.pushTaskDelay': `${t.pushDelay}`,
    'nacos.naming.push.pushTaskTimeout': `${t.pushTimeout}`,
    'nacos.naming.push.pushTaskRetryDelay': `${t.pushRetryDelay}`,
    'nacos.remote.server.grpc.sdk.keep-alive-time': `${t.serverKeepAlive}`,
    // Below the keep-alive time: src/sim/stream-keepalive.ts sends the PING after an answered one at
    // the end of its timeout slot, where grpc-java's KeepAliveManager schedules it a keep-alive after
    // the answer; the two agree only while the timeout is the shorter (docs/bounds.md §v2.6).
    'nacos.remote.server.grpc.sdk.keep-alive-timeout': `${Math.min(t.serverKeepAliveTimeout, t.serverKeepAlive - 1)}`,
    'sim.ejectorPhase': t.phaseUs === null ? 'auto' : `${t.phaseUs / 1000}`,
  }));

/** No loss most of the time; otherwise up to 10 % of datagrams. */
export const lossArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('0') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 100 }).map((k) => `${k / 1000}`) },
);

/** The faults the v2 bounds speak about, at any onset in the first two minutes; a cut may heal. */
export const faultArb: fc.Arbitrary<string> = fc
  .record({
    kind: fc.constantFrom('cut', 'crash', 'rst', 'oneway:c2s', 'oneway:s2c'),
    onsetUs: fc.integer({ min: 0, max: 120_000_000 }),
    healAfterUs: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 1_000_000, max: 120_000_000 }) }),
  })
  .map(({ kind, onsetUs, healAfterUs }) => `${kind}@${onsetUs}us${kind === 'cut' && healAfterUs !== null ? `-${onsetUs + healAfterUs}us` : ''}`);

export const seedArb = fc.integer({ min: 0, max: 2 ** 32 - 1 });

export const v2CaseArb: fc.Arbitrary<V2Case> = fc
  .record({
    seed: seedArb,
    clientVersion: fc.constantFrom(...CLIENT_VERSIONS),
    serverVersion: fc.constantFrom(...SERVER_VERSIONS),
    client: clientTimingArb,
    server: serverTimingArb,
    latency: latencyArb,
    loss: lossArb,
    fault: faultArb,
  })
  .map((r) => ({
    seed: r.seed,
    clientVersion: r.clientVersion,
    serverVersion: r.serverVersion,
    set: { ...r.client, ...r.server, 'net.latency': r.latency, 'net.loss': r.loss },
    fault: r.fault,
  }));

/** The scenario of a case, with a horizon chosen by the caller. */
export const scenarioOf = (c: V2Case, untilMs: number): Scenario =>
  resolveScenario({
    model: 'nacos-v2',
    seed: c.seed,
    clientVersion: c.clientVersion,
    serverVersion: c.serverVersion,
    set: c.set,
    faults: c.fault === null ? [] : [c.fault],
    until: `${Math.ceil(untilMs / 1000)}s`,
  });
