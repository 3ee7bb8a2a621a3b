import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioFlags, scenarioInput } from '../cli/scenario-input.js';
import { type FsEvent, fsSpy, within } from '../properties/hardening/fs-spy.js';
import { InputError } from '../src/scenario/input-error.js';
import { resolveScenario } from '../src/scenario/run.js';
import { type CliResult, ensureBuilt, replay, runCli, runCliBatch, usageProblem } from './cli-harness.js';

/**
 * Fuzzed CLI input (issue 8, CI-sized): random argument vectors — valid-looking and garbage:
 * huge numbers, negative and NaN durations, unknown keys, odd unicode — must end with exit 0 or
 * exit 2 with exactly one line on stderr, never a stack trace or an internal error. Cases run
 * batched in two child processes that import the compiled CLI afresh per case (cli-harness.ts:
 * ~100 cases cost seconds, not a node start-up each); a few are cross-checked against a real process.
 * Commands that write (`sweep`, `sweep merge`, `report`) get `--out` values from a safe set of
 * relative names; every case runs in a directory of its own (a copy of a few fixture files) under
 * a file-system spy, and must not write anywhere but its `--out` (and OUT.partial / temporary
 * names beside it), nor change anything when it exits 2.
 * FUZZ_RUNS (default 100; `npm run props:deep` 10,000) and FUZZ_SEED (default 20240601) set the
 * depth and the cases.
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
    fc.oneof({ weight: 6, arbitrary: fc.constant('nacos-v1') }, { weight: 1, arbitrary: fc.constantFrom('nacos-v2', 'nacos-v9', '') }),
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
// ---------------------------------------------------------------------------------------------
// Commands that write files. `--out` is always a relative name in the case's own directory —
// fixtures: existing.jsonl (not a sweep), adir/ (an empty directory), sweep.jsonl (a finished
// sweep), shard-1.jsonl and shard-2.jsonl (its two shards).
/**
 * A file name made of odd text: no separators, NUL or dot-only names, so it stays in the case
 * directory; well-formed (a lone surrogate cannot come from a real command line, and the file
 * system would store it as U+FFFD).
 */
const safeName = (t: string): string => {
  const n = Buffer.from(t)
    .toString()
    .replace(/[/\\\0]/g, '');
  return n === '' || /^\.+$/.test(n) ? 'odd' : n;
};
const outName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('o.jsonl', 'o2.jsonl', 'adir/o.jsonl', 'rep', 'existing.jsonl', 'sweep.jsonl', 'adir') },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '.', 'missing/o.jsonl', 'existing.jsonl.partial', 'shard-1.jsonl', 'o.jsonl.partial') },
  { weight: 1, arbitrary: oddText.map(safeName) },
);
const axisText = fc.oneof(
  fc.constantFrom('clients=1,2', 'preserved.ip.delete.timeout=10s,30s', 'preserved.ip.delete.timeout=10s..30s:10s', 'subscribers=0,1', 'ephemeral=true,false'),
  fc.constantFrom('clients=0,1', 'clients=1..1000000:1', 'x=1', '=', 'clients=', 'log:1..2:3', 'preserved.ip.delete.timeout=log:1s..60s:100000'),
  fc.constantFrom('clients=1,1', 'ephemeral=1..3:1', 'preserved.ip.delete.timeout=-5s..5s:1s', 'preserved.ip.delete.timeout=NaN..1s:1s', 'net.loss=0..1:0'),
  oddText,
);
const sweepFlag: fc.Arbitrary<Tokens> = fc.oneof(
  flag('vary', axisText),
  flag('runs', fc.oneof(fc.integer({ min: 1, max: 3 }).map(String), garbageNumber, fc.constantFrom('0', '10000001'))),
  flag('out', outName),
  flag('fault', faultText),
  flag('seed', fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(String), garbageNumber)),
  flag('workers', fc.constantFrom('1', '1', '2', '0', '-1', '1.5', 'NaN', '')),
  flag('shard', fc.constantFrom('1/2', '2/2', '1/1', '0/1', '3/2', 'a/b', '1/0', '')),
  fc.constantFrom('--resume', '--force', '--json').map((t) => [t]),
);
/** `sweep` with a valid core (a short horizon, one small axis, 1–3 runs, an --out) and a few more flags of any kind. */
const sweepVector: fc.Arbitrary<Tokens> = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constant('nacos-v1') }, { weight: 1, arbitrary: fc.constantFrom('nacos-v2', 'nacos-v9') }),
    fc.integer({ min: 20, max: 120 }),
    fc.constantFrom('clients=1,2', 'preserved.ip.delete.timeout=10s,30s', 'subscribers=0,1'),
    fc.integer({ min: 1, max: 3 }),
    outName,
    fc.array(sweepFlag, { maxLength: 3 }),
  )
  .map(([model, until, axis, runs, out, flags]) => [
    'sweep',
    '--model',
    model,
    '--until',
    `${until}s`,
    '--vary',
    axis,
    '--runs',
    String(runs),
    '--out',
    out,
    ...flags.flat(),
  ]);
const inputFile = fc.oneof(fc.constantFrom('shard-1.jsonl', 'shard-2.jsonl', 'sweep.jsonl', 'existing.jsonl', 'nope.jsonl', 'adir'), oddText.map(safeName));
const mergeVector: fc.Arbitrary<Tokens> = fc
  .tuple(
    fc.oneof(fc.constant(['shard-1.jsonl', 'shard-2.jsonl']), fc.constant(['shard-2.jsonl', 'shard-1.jsonl']), fc.array(inputFile, { maxLength: 3 })),
    outName,
    fc.subarray(['--force', '--json']),
  )
  .map(([files, out, flags]) => ['sweep', 'merge', ...files, '--out', out, ...flags]);
/** Mostly refused (a rendered report costs a second): bad inputs, or an --out that is a file. */
const reportVector: fc.Arbitrary<Tokens> = fc
  .tuple(
    fc.oneof({ weight: 1, arbitrary: fc.constant(['sweep.jsonl']) }, { weight: 3, arbitrary: fc.array(inputFile, { maxLength: 2 }) }),
    fc.oneof(outName, fc.constantFrom('rep', 'rep/sub', 'missing/rep')),
    fc.subarray(['--force']),
  )
  .map(([files, out, flags]) => ['report', ...files, '--out', out, ...flags]);

/** Anything at all from the CLI's vocabulary and beyond. */
const freeVector: fc.Arbitrary<Tokens> = fc.array(
  fc.oneof(
    fc.constantFrom('run', 'models', 'schema', '--model', '--help', '--json', '--until', '--seed', '--set', '--fault', 'nacos-v1', '-1', 'NaN'),
    oddText,
    garbageNumber,
  ),
  { maxLength: 6 },
);
const vector = fc.oneof(
  { weight: 6, arbitrary: runVector },
  { weight: 2, arbitrary: freeVector },
  { weight: 3, arbitrary: sweepVector },
  { weight: 1, arbitrary: mergeVector },
  { weight: 1, arbitrary: reportVector },
);

/** The --out values a case names (a case may write only there). */
const outsOf = (args: readonly string[]): string[] => args.flatMap((a, i) => (a === '--out' && i + 1 < args.length ? [args[i + 1] as string] : []));

/** A directory's files and directories (relative path → kind, size, mtime and content). */
const snapshot = (root: string): Map<string, string> => {
  const files = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        files.set(r, 'dir');
        walk(r);
      } else {
        const st = statSync(join(root, r));
        files.set(
          r,
          `${st.size}:${st.mtimeMs}:${createHash('sha1')
            .update(readFileSync(join(root, r)))
            .digest('hex')}`,
        );
      }
    }
  };
  walk('');
  return files;
};

/** Paths a case may touch: each --out, its partial and temporary names, and what lies inside an --out directory. */
const mayWrite = (caseDir: string, outs: readonly string[]) => {
  const roots = outs.filter((o) => o.trim() !== '').map((o) => join(caseDir, o));
  // A directory may also be one of an --out's missing parents (report --out a/b creates a), never the case directory itself.
  // OUT.lock (and OUT.lock.stale-PID) is the output's lock while the command runs (issue 20 item 1).
  return (p: string, dir = false): boolean =>
    roots.some(
      (r) =>
        p === r || p === `${r}.partial` || p.startsWith(`${r}.tmp-`) || p.startsWith(`${r}.lock`) || within(r, p) || (dir && within(p, r) && p !== caseDir),
    );
};

/** What a case wrote where it may not, or null. */
const writeProblem = (
  caseDir: string,
  args: readonly string[],
  r: CliResult,
  before: ReadonlyMap<string, string>,
  events: readonly FsEvent[],
): string | null => {
  const allowed = mayWrite(caseDir, outsOf(args));
  for (const e of events) {
    for (const p of e.paths) if (!within(caseDir, p) || !allowed(p, e.op === 'mkdir')) return `${e.op} ${p}: outside its --out`;
  }
  const after = snapshot(caseDir);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
  if (r.code === 2 && changed.length > 0) return `exit 2, yet it changed ${changed.join(', ')}`;
  const stray = changed.filter((k) => !allowed(join(caseDir, k), after.get(k) === 'dir'));
  return stray.length > 0 ? `changed ${stray.join(', ')}: outside its --out` : null;
};

/** The contract for one case: exit 0, or the bad-input contract. */
const problem = (r: CliResult): string | null => {
  if (r.uncaught !== undefined && r.uncaught !== null) return usageProblem(r);
  return r.code === 0 ? null : usageProblem(r);
};

describe(`fuzzed CLI argument vectors (FUZZ_SEED=${SEED}, FUZZ_RUNS=${RUNS})`, () => {
  const cases = fc.sample(vector, { seed: SEED, numRuns: RUNS });
  const timeout = Math.max(120_000, RUNS * 2_000);
  let results: CliResult[] = [];
  let root = '';
  let fixtures = '';
  const caseDir = (i: number): string => join(root, 'cases', `c${i}`);
  const before: Map<string, string>[] = [];
  let events: FsEvent[] = [];

  /** A fresh copy of the fixtures for a case to run in. */
  const freshDir = (dir: string): string => {
    cpSync(fixtures, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    ensureBuilt();
    root = mkdtempSync(join(tmpdir(), 'livesim-fuzz-cli-'));
    fixtures = join(root, 'fixtures');
    mkdirSync(join(fixtures, 'adir'), { recursive: true });
    writeFileSync(join(fixtures, 'existing.jsonl'), 'precious, not a sweep\n');
    const sweep = ['sweep', '--model', 'nacos-v1', '--vary', 'clients=1,2', '--runs', '2', '--until', '30s', '--workers', '1'];
    const made = await runCliBatch(
      [
        [...sweep, '--out', 'sweep.jsonl'],
        [...sweep, '--shard', '1/2', '--out', 'shard-1.jsonl'],
        [...sweep, '--shard', '2/2', '--out', 'shard-2.jsonl'],
      ],
      1,
      120_000,
      { cwd: fixtures },
    );
    expect(made.map((r) => r.code)).toEqual([0, 0, 0]);
    const cwds = cases.map((_, i) => freshDir(caseDir(i)));
    for (const dir of cwds) before.push(snapshot(dir));
    const spy = fsSpy();
    results = await runCliBatch(cases, 2, timeout, { cwd: root, cwds, nodeArgs: spy.nodeArgs, env: spy.env });
    events = spy.take();
  }, timeout);
  // 10,000 case directories take a while to remove.
  afterAll(() => {
    if (root !== '') rmSync(root, { recursive: true, force: true });
  }, timeout);

  it('every case exits 0, or 2 with one line on stderr and no stack trace', () => {
    expect(results).toHaveLength(cases.length);
    const bad = cases.flatMap((args, i) => {
      const p = problem(results[i] as CliResult);
      return p === null ? [] : [`${replay(args)}\n    → ${p}`];
    });
    expect(bad, `${bad.length} failing case(s):\n${bad.join('\n')}`).toEqual([]);
  });

  it('no case writes outside its --out (each in a directory of its own, every write seen by a file-system spy)', () => {
    const byDir = new Map<string, FsEvent[]>();
    for (const e of events) byDir.set(e.cwd, [...(byDir.get(e.cwd) ?? []), e]);
    const stray = [...byDir.keys()].filter((d) => !cases.some((_, i) => caseDir(i) === d));
    expect(
      stray.flatMap((d) => (byDir.get(d) ?? []).map((e) => `${e.op} ${e.paths.join(' → ')} by ${replay(e.argv)}`)),
      'writes outside any case',
    ).toEqual([]);
    const bad = cases.flatMap((args, i) => {
      const p = writeProblem(caseDir(i), args, results[i] as CliResult, before[i] as Map<string, string>, byDir.get(caseDir(i)) ?? []);
      return p === null ? [] : [`${replay(args)}\n    → ${p}`];
    });
    expect(bad, `${bad.length} failing case(s):\n${bad.join('\n')}`).toEqual([]);
    // Not vacuous: some cases did write their --out.
    expect(cases.filter((args, i) => outsOf(args).length > 0 && (results[i] as CliResult).code === 0).length).toBeGreaterThan(0);
  });

  it('the mix is meaningful: both valid runs and rejected inputs occur', () => {
    const codes = results.map((r) => r.code);
    expect(codes.filter((c) => c === 0).length).toBeGreaterThan(cases.length / 10);
    expect(codes.filter((c) => c === 2).length).toBeGreaterThan(cases.length / 10);
  });

  it('the in-process runner agrees with a real process (a few cases, spawned)', async () => {
    const picks = [0, 1, 2, 3].map((k) => Math.floor((k * cases.length) / 4));
    const spawned = await Promise.all(picks.map((i) => runCli(cases[i] as Tokens, 60_000, { cwd: freshDir(join(root, 'spawned', `c${i}`)) })));
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
