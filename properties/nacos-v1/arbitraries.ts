import fc from 'fast-check';
import type { ModelDefinition } from '../../src/models/model.js';
import { nacosV1 } from '../../src/models/nacos-v1/index.js';
import { resolveScenario, type Scenario } from '../../src/scenario/run.js';

/**
 * Random legal Nacos 1.x scenarios for the property suites: every tunable the bounds depend on,
 * drawn within the range Nacos accepts (NamingUtils.checkInstanceIsLegal: the beat interval below
 * both timeouts), the service's check phase, the latency distribution, loss, the fault and its
 * onset, the client release, and the seed. Shrinking moves towards the defaults.
 */
export interface V1Case {
  readonly seed: number;
  readonly clientVersion: string;
  /** The server release; absent: the 1.x server (1.4.8). From 2.0.0: its v1 HTTP path. */
  readonly serverVersion?: string;
  /** `--set` values, as a user would type them. */
  readonly set: Readonly<Record<string, string>>;
  /** One fault in the DSL, with its onset. */
  readonly fault: string | null;
}

const weighted = <T>(usual: T, other: T, oddsOther = 5): fc.Arbitrary<T> =>
  fc.oneof({ weight: oddsOther, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constant(other) });

/** One-way latency up to a few tens of ms: fixed, uniform or a capped lognormal. */
export const latencyArb: fc.Arbitrary<string> = fc.oneof(
  fc.constant('uniform:200us..1ms'),
  fc.integer({ min: 0, max: 20_000 }).map((us) => `fixed:${us}us`),
  fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 40_000 })).map(([lo, w]) => `uniform:${lo}us..${lo + w}us`),
  fc
    .tuple(fc.integer({ min: 100, max: 5_000 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }))
    .map(([median, sigma, k]) => `lognormal:${median}us/${sigma / 10}/${median * k}us`),
);

/** The timing keys: interval P0 (5 s: the server's clientBeatInterval applies), timeouts above it, check phase. */
export const timingArb: fc.Arbitrary<Record<string, string>> = fc
  .record({
    interval: fc.oneof(fc.constant(5000), fc.integer({ min: 200, max: 10_000 })),
    clientBeatInterval: fc.oneof(fc.constant(5000), fc.integer({ min: 200, max: 10_000 })),
    timeoutAbove: fc.integer({ min: 1, max: 40_000 }),
    deleteAbove: fc.integer({ min: 1, max: 60_000 }),
    phaseUs: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 4_999_999 })),
  })
  .map((t) => ({
    'preserved.heart.beat.interval': `${t.interval}`,
    'preserved.heart.beat.timeout': `${t.interval + t.timeoutAbove}`,
    'preserved.ip.delete.timeout': `${t.interval + t.deleteAbove}`,
    clientBeatInterval: `${t.clientBeatInterval}`,
    'sim.checkPhase': t.phaseUs === null ? 'auto' : `${t.phaseUs / 1000}`,
  }));

/** Switches, mostly at their defaults. */
export const switchesArb: fc.Arbitrary<Record<string, string>> = fc
  .record({
    ephemeral: weighted('true', 'false', 8),
    'nacos.naming.expireInstance': weighted('true', 'false', 8),
    healthCheckEnabled: weighted('true', 'false', 10),
    lightBeatEnabled: weighted('true', 'false'),
    pushEnabled: weighted('true', 'false'),
    namingPushEmptyProtection: weighted('false', 'true', 8),
  })
  .map((r) => ({ ...r }));

/** No loss most of the time; otherwise up to 30 % of datagrams. */
export const lossArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('0') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((k) => `${k / 1000}`) },
);

/** The faults the v1 bounds speak about, at any onset in the first minute; a cut may heal. */
export const faultArb: fc.Arbitrary<string> = fc
  .record({
    kind: fc.constantFrom('cut', 'oneway:c2s', 'oneway:s2c', 'crash', 'beat-error'),
    onsetUs: fc.integer({ min: 0, max: 60_000_000 }),
    healAfterUs: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 1_000_000, max: 120_000_000 }) }),
  })
  .map(({ kind, onsetUs, healAfterUs }) => `${kind}@${onsetUs}us${kind === 'cut' && healAfterUs !== null ? `-${onsetUs + healAfterUs}us` : ''}`);

export const seedArb = fc.integer({ min: 0, max: 2 ** 32 - 1 });
/** 1.4.8 (default), 1.4.1 (a runtime error kills the beat loop, #5291), 1.1.4 (no light beats). */
export const clientVersionArb = fc.constantFrom('1.4.8', '1.4.1', '1.1.4');

export const v1CaseArb: fc.Arbitrary<V1Case> = fc
  .record({ seed: seedArb, clientVersion: clientVersionArb, timing: timingArb, switches: switchesArb, latency: latencyArb, loss: lossArb, fault: faultArb })
  .map((r) => ({
    seed: r.seed,
    clientVersion: r.clientVersion,
    set: { ...r.timing, ...r.switches, 'net.latency': r.latency, 'net.loss': r.loss },
    fault: r.fault,
  }));

/** The scenario of a case, with a horizon chosen by the caller. */
export const scenarioOf = (c: V1Case, untilMs: number, model: ModelDefinition = nacosV1): Scenario => {
  const sc = resolveScenario({
    model: 'nacos-v1',
    seed: c.seed,
    clientVersion: c.clientVersion,
    ...(c.serverVersion === undefined ? {} : { serverVersion: c.serverVersion }),
    set: c.set,
    faults: c.fault === null ? [] : [c.fault],
    until: `${Math.ceil(untilMs / 1000)}s`,
  });
  return model === nacosV1 ? sc : { ...sc, model };
};

/**
 * Server releases whose v1 path differs (v2-path/defaults.ts notes): 2.0.0 (the check ignores
 * healthCheckEnabled), 2.0.2 (no client expiry), 2.2.3 (the path as it stays to 3.0.x), 3.0.3.
 */
export const v2ServerVersionArb = fc.constantFrom('2.0.0', '2.0.2', '2.2.3', '3.0.3');

/** nacos.naming.client.expired.time: the 3 min default mostly, else short enough to act before the delete. */
export const clientExpiredArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('180000') },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 90_000 }).map((ms) => `${ms}`) },
);

/** A 1.x client against a 2.x/3.x server's v1 path: the v1 case plus the server release and its client expiry. */
export const v1OnV2CaseArb: fc.Arbitrary<V1Case> = fc
  .record({ c: v1CaseArb, serverVersion: v2ServerVersionArb, expired: clientExpiredArb })
  .map(({ c, serverVersion, expired }) => ({ ...c, serverVersion, set: { ...c.set, 'nacos.naming.client.expired.time': expired } }));
