import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertAsync, commandLine, type Exit, ensureFreshBuild, envCount, firstDifference, limited, livesim, PROPS_SEED } from './cli.js';

/**
 * Claim (issue 8, determinism matrix): a sweep's merged output is a function of its plan alone.
 * For each model, a random small sweep (1–2 varied axes of 1–3 values, fixed settings, a fault
 * with or without a start, a short horizon, a random first seed) of MATRIX_SEEDS seeds per point
 * is run through the compiled CLI four ways — `--workers 1` and `--workers 2`, unsharded and as 4
 * shards merged (the shard files handed to `merge` in a random order) — and every way must give
 * the bytes of the unsharded `--workers 1` file, summaries (stdout) included.
 *
 * Knobs: MATRIX_SEEDS (seeds per point; CI 20, deep 1000), MATRIX_CASES (random sweeps per
 * model; CI 1, deep 2), PROPS_SEED (which sweeps).
 */
const SEEDS = envCount('MATRIX_SEEDS', 20);
const CASES = envCount('MATRIX_CASES', 1);
const KNOBS = `PROPS_SEED=${PROPS_SEED} MATRIX_SEEDS=${SEEDS} MATRIX_CASES=${CASES}`;

interface Axis {
  readonly key: string;
  readonly values: readonly string[];
}
interface ModelPool {
  readonly axes: readonly Axis[];
  readonly sets: readonly string[];
  readonly faults: readonly string[];
}

const COMMON_AXES: readonly Axis[] = [
  { key: 'net.loss', values: ['0', '0.05', '0.2'] },
  { key: 'clients', values: ['1', '2', '3'] },
  { key: 'subscribers', values: ['0', '1', '2'] },
];
const COMMON_FAULTS = [
  'cut',
  'crash',
  'oneway:c2s',
  'oneway:s2c',
  'cut@30s-70s',
  'loss:0.3@10s-60s',
  'flap:2s/8s@10s-100s',
  'pause@20s-40s',
  'delay:800ms@30s',
];
const LATENCIES = ['net.latency=uniform:200us..1ms', 'net.latency=uniform:1ms..20ms', 'net.latency=lognormal:2ms/0.5/20ms'];

const POOLS: Readonly<Record<string, ModelPool>> = {
  'nacos-v1': {
    axes: [
      { key: 'preserved.heart.beat.interval', values: ['2s', '5s'] },
      { key: 'preserved.heart.beat.timeout', values: ['6s', '15s'] },
      { key: 'preserved.ip.delete.timeout', values: ['10s', '20s', '30s'] },
      { key: 'ephemeral', values: ['true', 'false'] },
      ...COMMON_AXES,
    ],
    sets: [...LATENCIES, 'lightBeatEnabled=false', 'defaultPushCacheMillis=3s'],
    faults: [...COMMON_FAULTS, 'server-pause@10s-20s', 'beat-error@15s'],
  },
  'nacos-v2': {
    axes: [
      { key: 'nacos.remote.client.grpc.connect.keep.alive', values: ['2s', '5s'] },
      { key: 'nacos.remote.client.grpc.health.timeout', values: ['1s', '3s'] },
      { key: 'nacos.naming.client.expired.time', values: ['30s', '60s'] },
      { key: 'redoDelayTime', values: ['1s', '3s'] },
      ...COMMON_AXES,
    ],
    sets: [...LATENCIES, 'nacos.naming.push.pushTaskDelay=100ms'],
    faults: [...COMMON_FAULTS, 'rst', 'nat-idle:350s', 'server-pause@10s-20s'],
  },
};

interface MatrixCase {
  readonly model: string;
  readonly seed: number;
  readonly until: string;
  readonly servers: number;
  readonly vary: readonly string[];
  readonly set: readonly string[];
  readonly faults: readonly string[];
  /** The order the 4 shard files are handed to `merge`. */
  readonly mergeOrder: readonly number[];
}

const caseArb = (model: string): fc.Arbitrary<MatrixCase> => {
  const pool = POOLS[model] as ModelPool;
  const axis = fc
    .tuple(fc.constantFrom(...pool.axes), fc.integer({ min: 1, max: 3 }), fc.nat())
    .map(([a, n, off]) => ({ key: a.key, values: Array.from({ length: Math.min(n, a.values.length) }, (_, k) => a.values[(off + k) % a.values.length]) }));
  return fc.record({
    model: fc.constant(model),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    until: fc.integer({ min: 60, max: 180 }).map((s) => `${s}s`),
    // A cluster now and then: its own code paths (Distro, owners), and a fault on the owner.
    servers: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(3) }),
    vary: fc.uniqueArray(axis, { minLength: 1, maxLength: 2, selector: (a) => a.key }).map((axes) => axes.map((a) => `${a.key}=${a.values.join(',')}`)),
    set: fc.subarray([...pool.sets], { maxLength: 1 }),
    faults: fc.constantFrom(...pool.faults).map((f) => [f]),
    mergeOrder: fc.shuffledSubarray([1, 2, 3, 4], { minLength: 4, maxLength: 4 }),
  });
};

const sweepArgs = (c: MatrixCase): string[] => [
  'sweep',
  '--model',
  c.model,
  '--until',
  c.until,
  '--seed',
  String(c.seed),
  '--runs',
  String(SEEDS),
  ...(c.servers > 1 ? ['--servers', String(c.servers)] : []),
  ...c.vary.flatMap((v) => ['--vary', v]),
  ...c.set.flatMap((s) => ['--set', s]),
  ...[...c.faults, ...(c.servers > 1 ? ['server-crash:owner@40s'] : [])].flatMap((f) => ['--fault', f]),
];

const ok = (r: Exit, args: readonly string[]): void => {
  if (r.code !== 0) throw new Error(`exit ${r.code ?? r.signal}: ${r.stderr.trim().slice(0, 400)}\n    ${commandLine(args)}`);
};

const same = (what: string, expected: string, actual: string, args: readonly string[]): void => {
  const d = firstDifference(expected, actual);
  if (d !== null) throw new Error(`${what} differs from the --workers 1 unsharded file at ${d}\n    ${commandLine(args)}`);
};

/** Runs one sweep four ways in a fresh directory; throws what differs, with the command that made it. */
const checkCase = async (c: MatrixCase): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'livesim-matrix-'));
  const text = (name: string): string => readFileSync(join(dir, name), 'utf8');
  try {
    const base = sweepArgs(c);
    const refArgs = [...base, '--workers', '1', '--out', 'ref.jsonl', '--json'];
    const refRun = await livesim(refArgs, dir);
    ok(refRun, refArgs);
    const ref = text('ref.jsonl');
    const refStdout = refRun.stdout;
    const lines = ref.trimEnd().split('\n');
    const header = JSON.parse(lines[0] as string) as { total: number; points: number };
    const runs = lines.slice(1, 1 + header.total).map((l) => JSON.parse(l) as { type: string; i: number; traceHash?: string });
    // The reference itself: every run once in plan order, then one summary per point.
    expect(runs.map((r) => `${r.type} ${r.i}`)).toEqual(Array.from({ length: header.total }, (_, i) => `run ${i}`));
    expect(lines.length).toBe(1 + header.total + header.points);
    // The seeds give different runs, so a line in the wrong place would show.
    const hashes = new Set(runs.flatMap((r) => (r.traceHash === undefined ? [] : [r.traceHash])));
    expect(hashes.size, 'distinct runs in the reference').toBeGreaterThanOrEqual(Math.min(2, SEEDS));

    const w2Args = [...base, '--workers', '2', '--out', 'w2.jsonl', '--json'];
    const shardArgs = (w: number, k: number): string[] => [...base, '--workers', String(w), '--shard', `${k}/4`, '--out', `s${w}-${k}.jsonl`];
    const jobs: { args: string[]; run: () => Promise<Exit> }[] = [w2Args, ...[1, 2].flatMap((w) => [1, 2, 3, 4].map((k) => shardArgs(w, k)))].map((args) => ({
      args,
      run: () => livesim(args, dir),
    }));
    const results = await limited(jobs.map((j) => j.run));
    for (const [k, r] of results.entries()) ok(r, (jobs[k] as { args: string[] }).args);
    same('--workers 2', ref, text('w2.jsonl'), w2Args);
    same('--workers 2 summaries (stdout)', refStdout, (results[0] as Exit).stdout, w2Args);

    const refRuns = lines.slice(1, 1 + header.total);
    for (const w of [1, 2]) {
      for (const k of [1, 2, 3, 4]) {
        // Shard k of 4 holds runs i ≡ k − 1 (mod 4), each line exactly as the unsharded file has it.
        const shard = text(`s${w}-${k}.jsonl`).trimEnd().split('\n');
        const expected = refRuns.filter((_, i) => i % 4 === k - 1);
        same(`shard ${k}/4 (--workers ${w}) runs`, expected.join('\n'), shard.slice(1).join('\n'), shardArgs(w, k));
        expect(JSON.parse(shard[0] as string)).toEqual({ ...JSON.parse(lines[0] as string), shard: `${k}/4` });
      }
      const mergeArgs = ['sweep', 'merge', ...c.mergeOrder.map((k) => `s${w}-${k}.jsonl`), '--out', `merged${w}.jsonl`, '--json'];
      const merged = await livesim(mergeArgs, dir);
      ok(merged, mergeArgs);
      same(`4 shards (--workers ${w}) merged`, ref, text(`merged${w}.jsonl`), mergeArgs);
      same(`4 shards (--workers ${w}) merged, summaries (stdout)`, refStdout, merged.stdout, mergeArgs);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe(`hardening › determinism matrix: --workers {1,2} × --shard {1,4} give byte-identical merged output [${KNOBS}]`, () => {
  beforeAll(ensureFreshBuild, 300_000);

  for (const model of ['nacos-v1', 'nacos-v2']) {
    it(
      `${model}: ${CASES} random sweep(s) × ${SEEDS} seeds per point, four ways, one set of bytes`,
      async () => {
        await assertAsync(fc.asyncProperty(caseArb(model), checkCase), CASES, `${KNOBS} npx vitest run properties/hardening/determinism-matrix.prop.ts`);
      },
      // 12 CLI processes per case, and the runs four times over (≤ 4 points, ≤ ~10 ms a run on a loaded core).
      Math.max(180_000, CASES * (60_000 + SEEDS * 4 * 4 * 10 * 2)),
    );
  }
});
