import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioFlags, scenarioInput } from '../cli/scenario-input.js';
import { InputError } from '../src/scenario/input-error.js';
import { resolveScenario } from '../src/scenario/run.js';
import { type CliResult, ensureBuilt, replay, runCli, runCliBatch, usageProblem } from './cli-harness.js';

/**
 * Fuzzed CLI input (issue 8, CI-sized): random argument vectors — valid-looking and garbage:
 * huge numbers, negative and NaN durations, unknown keys, odd unicode — must end with exit 0 or
 * exit 2 with exactly one line on stderr, never a stack trace or an internal error. Cases run
 * batched in two child processes that import the compiled CLI afresh per case (cli-harness.ts:
 * ~100 cases cost seconds, not a node start-up each); a few are cross-checked against a real process.
 * FUZZ_RUNS (default 100) and FUZZ_SEED (default 20240601) set the depth and the cases.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = Number(process.env.FUZZ_SEED ?? 20240601);
// ---------------------------------------------------------------------------------------------
// Argument vectors. Valid values are kept small (horizon ≤ 5 m, ≤ 4 clients) so that every
// case is bounded; garbage values are never "valid but huge".
const garbageNumber = fc.constantFrom(
  '-1',
  '-0',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '99999999999999999999',
  '1.5',
  '0x',
  '',
  ' ',
  'abc',
  '١٢',
  '1_000',
  '4294967296',
);
const garbageDuration = fc.constantFrom(
  '-5s',
  '-1',
  'NaN',
  '5x',
  '1e3',
  '400d',
  '99999999999999999999d',
  '',
  ' ',
  '5 m',
  '0',
  '∞',
  '１０s',
  '5s5',
  '.5s',
  '--',
);
const oddText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('\u202e', '\u0000', 'é', '🦄', '\ud800', '=', '==', '-', '--', '@', ':', '/', '..', '\n', '\r\n', 'nacos-v1', 'true'),
);
const smallDuration = fc.oneof(
  fc.integer({ min: 1, max: 300 }).map((s) => `${s}s`),
  fc.constantFrom('1m', '2m', '90000', '500ms'),
);
const faultText = fc.oneof(
  fc.constantFrom('cut@60s', 'cut@30s-90s', 'oneway:c2s@20s', 'oneway:s2c@20s', 'crash@40s', 'pause@10s-25s', 'server-pause@10s-20s'),
  fc.constantFrom('loss:0.3@10s-60s', 'delay:800ms@30s', 'flap:2s/8s@10s-100s', 'beat-error@15s', 'rst@10s', 'nat-idle:350s'),
  fc.constantFrom('cut', 'cut@', 'cut@-5s', 'cut@60s-30s', 'loss:2@1s', 'flap:0s/1s@1s', 'pause@1s', 'crash@1s-2s', 'CUT@1s', 'cut:x@1s', 'oneway:up@1s'),
  oddText,
);
const settingKey = fc.oneof(
  fc.constantFrom('preserved.heart.beat.interval', 'preserved.heart.beat.timeout', 'preserved.ip.delete.timeout', 'beat.interval', 'ephemeral'),
  fc.constantFrom('nacos.naming.expireInstance', 'protectThreshold', 'net.loss', 'net.latency', 'sim.checkPhase', 'namingRequestDomainMaxRetryCount'),
  oddText,
);
const settingValue = fc.oneof(
  smallDuration,
  garbageDuration,
  garbageNumber,
  fc.constantFrom('true', 'false', 'auto', '0.5', 'fixed:1ms', 'uniform:1ms..0'),
  oddText,
);

type Tokens = string[];
const flag = (name: string, value: fc.Arbitrary<string>): fc.Arbitrary<Tokens> => value.map((v) => [`--${name}`, v]);
const runFlag: fc.Arbitrary<Tokens> = fc.oneof(
  flag('until', fc.oneof(smallDuration, garbageDuration)),
  flag('seed', fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(String), garbageNumber)),
  flag('clients', fc.oneof(fc.integer({ min: 1, max: 4 }).map(String), garbageNumber, fc.constantFrom('0', '100001', '1e9'))),
  flag('subscribers', fc.oneof(fc.integer({ min: 0, max: 3 }).map(String), garbageNumber)),
  flag('servers', fc.oneof(fc.integer({ min: 1, max: 3 }).map(String), garbageNumber, fc.constantFrom('10'))),
  flag('fault', faultText),
  fc.tuple(settingKey, settingValue).map(([k, v]) => ['--set', `${k}=${v}`]),
  flag('set', oddText),
  flag('client-version', fc.constantFrom('1.4.8', '1.4.1', '1.0.0', '1.1.4', '2.0.0', '0.9', 'x', '')),
  flag('network', fc.oneof(fc.constantFrom('lan', 'cross-az', 'wan', ''), oddText)),
  fc.constantFrom('--json', '--trace', '--check-determinism', '--seed', '--until', '--set', '--fault', '--bogus', '-x', '--').map((t) => [t]),
  oddText.map((t) => [t]),
);
/** Mostly valid: a run gets deep before the first problem stops it. */
const validRunFlag: fc.Arbitrary<Tokens> = fc.oneof(
  flag('until', smallDuration),
  flag('seed', fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(String)),
  flag('clients', fc.integer({ min: 1, max: 4 }).map(String)),
  flag('subscribers', fc.integer({ min: 0, max: 3 }).map(String)),
  flag(
    'fault',
    fc.constantFrom('cut@60s', 'cut@30s-90s', 'oneway:c2s@20s', 'crash@40s', 'pause@10s-25s', 'loss:0.3@10s-60s', 'delay:800ms@30s', 'flap:2s/8s@10s-100s'),
  ),
  fc.constantFrom('preserved.ip.delete.timeout=20s', 'ephemeral=false', 'net.latency=lognormal:2ms/0.5/20ms', 'beat.interval=3s').map((v) => ['--set', v]),
  fc.constantFrom('--json', '--trace', '--check-determinism').map((t) => [t]),
);
/** `run --model nacos-v1` with a few flags that are mostly valid: exercises the deep paths. */
const runVector: fc.Arbitrary<Tokens> = fc
  .tuple(
    fc.oneof({ weight: 6, arbitrary: fc.constant('nacos-v1') }, { weight: 1, arbitrary: fc.constantFrom('nacos-v2', 'zookeeper', '') }),
    fc.array(fc.oneof({ weight: 2, arbitrary: validRunFlag }, { weight: 1, arbitrary: runFlag }), { maxLength: 4 }),
  )
  .map(([model, flags]) => {
    const seen = new Set<string>();
    // At most one --until and one --clients (a second one is an error anyway, tested elsewhere), to keep cases bounded.
    const kept = flags.filter((f) => {
      const name = f[0] ?? '';
      if (name !== '--until' && name !== '--clients') return true;
      if (seen.has(name)) return false;
      seen.add(name);
      return true;
    });
    return ['run', '--model', model, ...kept.flat()];
  });
/** Anything at all from the CLI's vocabulary and beyond. */
const freeVector: fc.Arbitrary<Tokens> = fc.array(
  fc.oneof(
    fc.constantFrom('run', 'models', 'schema', '--model', '--help', '--json', '--until', '--seed', '--set', '--fault', 'nacos-v1', '-1', 'NaN'),
    oddText,
    garbageNumber,
  ),
  { maxLength: 6 },
);
const vector = fc.oneof({ weight: 3, arbitrary: runVector }, { weight: 1, arbitrary: freeVector });

/** The contract for one case: exit 0, or the bad-input contract. */
const problem = (r: CliResult): string | null => {
  if (r.uncaught !== undefined && r.uncaught !== null) return usageProblem(r);
  return r.code === 0 ? null : usageProblem(r);
};

describe(`fuzzed CLI argument vectors (FUZZ_SEED=${SEED}, FUZZ_RUNS=${RUNS})`, () => {
  const cases = fc.sample(vector, { seed: SEED, numRuns: RUNS });
  let results: CliResult[] = [];

  beforeAll(
    async () => {
      ensureBuilt();
      results = await runCliBatch(cases, 2, Math.max(120_000, RUNS * 2_000));
    },
    Math.max(120_000, RUNS * 2_000),
  );

  it('every case exits 0, or 2 with one line on stderr and no stack trace', () => {
    expect(results).toHaveLength(cases.length);
    const bad = cases.flatMap((args, i) => {
      const p = problem(results[i] as CliResult);
      return p === null ? [] : [`${replay(args)}\n    → ${p}`];
    });
    expect(bad, `${bad.length} failing case(s):\n${bad.join('\n')}`).toEqual([]);
  });

  it('the mix is meaningful: both valid runs and rejected inputs occur', () => {
    const codes = results.map((r) => r.code);
    expect(codes.filter((c) => c === 0).length).toBeGreaterThan(cases.length / 10);
    expect(codes.filter((c) => c === 2).length).toBeGreaterThan(cases.length / 10);
  });

  it('the in-process runner agrees with a real process (a few cases, spawned)', async () => {
    const picks = [0, 1, 2, 3].map((k) => Math.floor((k * cases.length) / 4));
    const spawned = await Promise.all(picks.map((i) => runCli(cases[i] as Tokens)));
    picks.forEach((i, k) => {
      const r = results[i] as CliResult;
      const s = spawned[k] as CliResult;
      expect({ code: s.code, stdout: s.stdout, stderr: s.stderr }, replay(cases[i] as Tokens)).toEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The scenario layer in this process: flags of any type and scenario files of any content are
// either accepted or refused with an InputError — nothing else escapes.
describe(`fuzzed scenario input (FUZZ_SEED=${SEED})`, () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'livesim-fuzz-'));
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const accepted = (flags: ScenarioFlags): string | null => {
    try {
      resolveScenario(scenarioInput(flags));
      return null;
    } catch (e) {
      return e instanceof InputError ? null : `not an InputError: ${String((e as Error).stack ?? e)}`;
    }
  };

  it('flags of any type', () => {
    const anyValue = fc.oneof(
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(undefined),
      fc.array(fc.oneof(fc.string(), fc.double()), { maxLength: 3 }),
    );
    const flags = fc.record(
      {
        model: fc.oneof(fc.constant('nacos-v1'), anyValue),
        until: fc.oneof(fc.constantFrom('1m', '30s', '-5s', 'NaN', '400d'), anyValue),
        seed: fc.oneof(fc.double(), fc.integer()),
        clients: fc.oneof(fc.double(), fc.integer()),
        subscribers: fc.oneof(fc.double(), fc.integer()),
        servers: fc.oneof(fc.double(), fc.integer()),
        set: fc.array(
          fc.oneof(
            fc.tuple(settingKey, settingValue).map(([k, v]) => `${k}=${v}`),
            fc.string(),
            fc.integer(),
          ),
          { maxLength: 3 },
        ),
        fault: fc.array(fc.oneof(faultText, fc.integer()), { maxLength: 3 }),
        'client-version': fc.oneof(fc.constantFrom('1.4.8', '1.0.0'), fc.string()),
        network: fc.oneof(fc.constantFrom('lan', 'cross-az'), fc.string()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(flags, (f) => {
        expect(accepted(f as unknown as ScenarioFlags)).toBeNull();
      }),
      { seed: SEED, numRuns: RUNS * 3 },
    );
  });

  it('scenario files: JSON of any shape, near-valid objects, deep nesting, and raw bytes', () => {
    const nearValid = fc.record(
      {
        model: fc.oneof(fc.constant('nacos-v1'), fc.jsonValue()),
        seed: fc.oneof(fc.integer({ min: -5, max: 2 ** 33 }), fc.double(), fc.jsonValue()),
        until: fc.oneof(smallDuration, garbageDuration, fc.jsonValue()),
        clients: fc.oneof(fc.integer({ min: -2, max: 4 }), fc.constantFrom(1e9, 1.5), fc.jsonValue()),
        set: fc.oneof(fc.dictionary(settingKey, fc.oneof(settingValue, fc.jsonValue()), { maxKeys: 3 }), fc.jsonValue()),
        faults: fc.oneof(fc.array(faultText, { maxLength: 3 }), fc.jsonValue()),
        extra: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    const deep = fc.integer({ min: 1, max: 20_000 }).map((n) => `{"model":"nacos-v1","set":{"k":${'['.repeat(n)}${']'.repeat(n)}}}`);
    const content = fc.oneof(
      nearValid.map((o) => JSON.stringify(o)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      deep,
      fc.string(),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    );
    let i = 0;
    fc.assert(
      fc.property(content, (c) => {
        const path = join(dir, `s${i++}.json`);
        writeFileSync(path, c);
        // Keep runs bounded: a file that would be valid still gets a short horizon from the flags.
        expect(accepted({ scenario: path, until: '30s' })).toBeNull();
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
  });
});
