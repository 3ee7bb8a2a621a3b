import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Expectation } from '../src/analysis/bounds.js';
import { distribution } from '../src/analysis/distribution.js';
import { V1_CONSTANTS } from '../src/models/nacos-v1/defaults.js';
import { parseDuration } from '../src/scenario/duration.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { Candidate } from '../src/tune/rank.js';
import type { TuneResult } from '../src/tune/tune.js';
import { expectUsageError, runCliBatch } from './cli-harness.js';

/**
 * `livesim tune` through the compiled CLI (its sweep pool needs the compiled worker). Small
 * grids, few seeds and a 3-minute horizon keep each search to a few seconds.
 *
 * The recommendation is checked by running its settings again through the library (not the
 * tuner): new seeds, fault onsets spread evenly over one beat / keep-alive period, and each run's
 * detection held against the analytic bound of src/analysis — so a bookkeeping error in the
 * tuner (a point mapped to the wrong settings, the wrong metric, a wrong comparison) shows.
 */
const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist/cli/main.js');

const newest = (path: string): number => {
  const st = statSync(path);
  if (!st.isDirectory()) return path.endsWith('.ts') ? st.mtimeMs : 0;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
};

beforeAll(() => {
  const built = [cli, join(root, 'dist/src/sweep/worker.js'), join(root, 'dist/cli/commands/tune.js')];
  const stale =
    built.some((f) => !existsSync(f)) || Math.min(...built.map((f) => statSync(f).mtimeMs)) < Math.max(newest(join(root, 'src')), newest(join(root, 'cli')));
  // tsc emits even when a file elsewhere in the tree does not type-check.
  if (stale) spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
  expect(existsSync(cli)).toBe(true);
}, 120_000);

const livesim = (args: readonly string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const tune = (args: readonly string[]): { code: number | null; result: TuneResult } => {
  const r = livesim(['tune', ...args, '--json']);
  expect(r.stderr, r.stderr).not.toMatch(/internal error/);
  return { code: r.code, result: JSON.parse(r.stdout) as TuneResult };
};

/** The candidates that meet both targets, judged here from their numbers alone. */
const meetingBoth = (r: TuneResult): Candidate[] =>
  r.candidates.filter(
    (c) =>
      c.detectionMs.p99 !== null &&
      c.detectionMs.p99 <= r.targets.detectionMs &&
      c.falseRemovalRate !== null &&
      c.falseRemovalRate <= r.targets.maxFalseRemovalRate,
  );

const upperOf = (e: Expectation): number => {
  if (e.kind !== 'within') throw new Error(`no analytic bound: ${e.kind}`);
  return e.interval.upperMs;
};

interface Rerun {
  readonly p99Ms: number | null;
  readonly worstOverBoundMs: number;
  readonly falseRemovalRate: number;
}

/** The settings again: `n` faulted runs (onsets evenly over `periodMs` from 60 s) and `n` fault-free runs, seeds 101…. */
const rerun = (model: string, network: string, set: Record<string, string>, kind: 'server' | 'client', periodMs: number, n: number): Rerun => {
  const detections: (number | null)[] = [];
  let worstOverBoundMs = Number.NEGATIVE_INFINITY;
  let withFalseRemoval = 0;
  for (let k = 0; k < n; k++) {
    const onsetMs = 60_000 + Math.floor((k * periodMs) / n);
    const base = { model, network, until: '3m', seed: 101 + k, set };
    const { result } = runScenario(resolveScenario({ ...base, faults: [`cut@${onsetMs}ms`] }));
    const m = result.metrics;
    const bounds = result.bounds as unknown as Record<string, Expectation>;
    const value = kind === 'server' ? m.detectionMs : m.clientDetectedAtMs === null ? null : m.clientDetectedAtMs - onsetMs;
    const bound = upperOf(kind === 'server' ? (bounds.removedFromFault as Expectation) : (bounds.clientDetectedFromFault as Expectation));
    detections.push(value);
    worstOverBoundMs = Math.max(worstOverBoundMs, (value ?? Number.POSITIVE_INFINITY) - bound);
    if (runScenario(resolveScenario({ ...base, faults: [] })).result.metrics.falseRemovals > 0) withFalseRemoval++;
  }
  return { p99Ms: distribution(detections).p99, worstOverBoundMs, falseRemovalRate: withFalseRemoval / n };
};

const V1_SMALL = [
  '--model',
  'nacos-v1',
  '--network',
  'lossy-wifi',
  '--runs',
  '8',
  '--until',
  '3m',
  '--space',
  'beat.interval=2s,5s,10s',
  '--space',
  'beat.timeout=15s',
  '--space',
  'delete.timeout=5s,10s,15s,20s,30s',
];

describe('tune › recommends the cheapest setting that meets both targets', () => {
  it('nacos-v1 on lossy-wifi, cut: the recommendation meets both targets again on new seeds, and nothing cheaper meets them', () => {
    // 22 s: a removal comes at most one 5 s beat check after lastBeat + delete timeout (+ latency),
    // so delete timeouts up to 15 s can meet it and 20 s cannot always; fewer beats = less load.
    const args = [...V1_SMALL, '--target-detection', '22s', '--max-false-removal-rate', '0.2', '--workers', '1'];
    const { code, result } = tune(args);
    expect(code).toBe(0);
    expect(result.verdict).toBe('met');
    const rec = result.recommendation as Candidate;
    const feasible = meetingBoth(result);
    expect(feasible.map((c) => c.point)).toContain(rec.point);
    for (const c of feasible) expect(c.messagesPerSec as number).toBeGreaterThanOrEqual(rec.messagesPerSec as number);
    expect(result.runnersUp.length).toBe(Math.min(5, feasible.length - 1));
    // The defaults (5 s / 15 s / 30 s) are on the grid and reported for comparison.
    expect(result.defaults?.set).toEqual({
      'preserved.heart.beat.interval': '5s',
      'preserved.heart.beat.timeout': '15s',
      'preserved.ip.delete.timeout': '30s',
    });

    const intervalMs = parseDuration(rec.set['preserved.heart.beat.interval'] as string, 'interval') / 1000;
    const again = rerun('nacos-v1', 'lossy-wifi', rec.set, 'server', intervalMs, 8);
    expect(again.worstOverBoundMs, 'a re-run detection beyond the analytic bound').toBeLessThanOrEqual(0);
    expect(again.p99Ms as number).toBeLessThanOrEqual(22_000);
    expect(again.falseRemovalRate).toBeLessThanOrEqual(0.2);
  }, 60_000);

  it('the worker count changes nothing: --workers 2 prints the same JSON as --workers 1', () => {
    const args = [...V1_SMALL, '--target-detection', '22s', '--max-false-removal-rate', '0.2', '--json'];
    const one = livesim(['tune', ...args, '--workers', '1']);
    const two = livesim(['tune', ...args, '--workers', '2']);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  }, 60_000);

  it('nacos-v2, client detection of a half-open cut: health timeout × retry, re-run within the bound', () => {
    const args = [
      '--model',
      'nacos-v2',
      '--detection',
      'client',
      '--target-detection',
      '8s',
      '--max-false-removal-rate',
      '0.1',
      '--runs',
      '8',
      '--until',
      '3m',
      '--set',
      'keep.alive=5s',
      '--set',
      'nacos.remote.server.grpc.sdk.keep-alive-time=2h',
      '--set',
      'nacos.remote.server.grpc.sdk.keep-alive-timeout=20s',
      '--space',
      'health.timeout=500ms,1s,3s',
      '--space',
      'health.retry=0,1,3',
      '--workers',
      '2',
    ];
    const { code, result } = tune(args);
    expect(code).toBe(0);
    expect(result.axes.map((a) => a.key)).toEqual(['nacos.remote.client.grpc.health.timeout', 'nacos.remote.client.grpc.health.retry']);
    expect(result.fixed.map((f) => f.why)).toEqual(['fixed by --set', 'fixed by --set', 'fixed by --set']);
    const rec = result.recommendation as Candidate;
    for (const c of meetingBoth(result)) expect(c.messagesPerSec as number).toBeGreaterThanOrEqual(rec.messagesPerSec as number);
    // The defaults (3 s × 4 attempts after a 5 s idle) cannot meet 8 s: an attempt alone waits 3 s.
    expect(result.defaults?.meetsDetection).toBe(false);
    const set = { ...rec.set, 'keep.alive': '5s' };
    const again = rerun('nacos-v2', 'lan', set, 'client', 5000, 8);
    expect(again.worstOverBoundMs, 'a re-run detection beyond the analytic bound').toBeLessThanOrEqual(0);
    expect(again.p99Ms as number).toBeLessThanOrEqual(8_000);
    expect(again.falseRemovalRate).toBeLessThanOrEqual(0.1);
  }, 60_000);
});

describe('tune › says plainly when no setting meets both', () => {
  it('nacos-v1 with a 1 s detection target: exit 1, "no setting meets both", and every point is slower', () => {
    // A 1.x removal happens only on a beat-check tick (every 5 s, at a phase of its own) after
    // lastBeat + delete timeout; onsets spread over a whole beat period put some run's next
    // tick more than 1 s after the fault, whatever the three timeouts are.
    expect(V1_CONSTANTS.beatCheckPeriodMs).toBeGreaterThan(1000);
    const { code, result } = tune(['--model', 'nacos-v1', '--target-detection', '1s', '--max-false-removal-rate', '0.5', '--runs', '4', '--until', '2m']);
    expect(code).toBe(1);
    expect(result.verdict).toBe('none');
    expect(result.recommendation).toBeNull();
    expect(result.points.legal).toBeGreaterThan(90);
    for (const c of result.candidates) expect(c.detectionMs.p99 ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1000);
    const text = livesim([
      'tune',
      '--model',
      'nacos-v1',
      '--target-detection',
      '1s',
      '--max-false-removal-rate',
      '0.5',
      '--runs',
      '4',
      '--until',
      '2m',
      '--space',
      'delete.timeout=5s,10s',
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('no setting meets both targets');
    expect(text.stdout).toContain('none reaches p99 server detection ≤ 1 s');
  }, 60_000);
});

describe('tune › bad input is one line and exit 2', () => {
  // Each fails before any run.
  const T = ['tune', '--model', 'nacos-v1', '--until', '1m'];
  const cases: [string[], string][] = [
    [[...T, '--max-false-removal-rate', '0.01'], '--target-detection is required'],
    [[...T, '--target-detection', '20s'], '--max-false-removal-rate is required'],
    [[...T, '--target-detection', 'soon', '--max-false-removal-rate', '0.01'], "--target-detection: 'soon' is not a duration"],
    [[...T, '--target-detection', '0', '--max-false-removal-rate', '0.01'], '--target-detection: must be positive'],
    [[...T, '--target-detection', '20s', '--max-false-removal-rate', '1.5'], "--max-false-removal-rate '1.5'"],
    [[...T, '--target-detection', '20s', '--max-false-removal-rate', '150%'], "--max-false-removal-rate '150%'"],
    [[...T, '--target-detection', '20s', '--max-false-removal-rate', '1%', '--detection', 'client'], '--detection client: nacos-v1 does not record it'],
    [[...T, '--target-detection', '20s', '--max-false-removal-rate', '1%', '--detection', 'psychic'], "--detection 'psychic'"],
    [[...T, '--target-detection', '20s', '--max-false-removal-rate', '1%', '--load', 'cpu'], "--load 'cpu'"],
    [[...T, '--target-detection', '20s', '--max-false-removal-rate', '1%', '--space', 'no.such.key=1s'], "unknown setting 'no.such.key'"],
    [[...T, '--target-detection', '20s', '--max-false-removal-rate', '1%', '--space', 'delete.timeout=1s..60s:0s'], '--space preserved.ip.delete.timeout'],
    [
      [...T, '--target-detection', '20s', '--max-false-removal-rate', '1%', '--set', 'delete.timeout=30s', '--space', 'delete.timeout=10s,20s'],
      'is both --set and --space',
    ],
    [[...T, '--target-detection', '20s', '--max-false-removal-rate', '1%', '--runs', '0'], "--runs '0'"],
    [[...T, '--target-detection', '20s', '--max-false-removal-rate', '1%', '--workers', 'many'], "--workers 'many'"],
    [['tune', '--model', 'nacos-v9', '--target-detection', '20s', '--max-false-removal-rate', '1%'], "--model 'nacos-v9' is not accepted"],
    [
      [
        ...T,
        '--target-detection',
        '20s',
        '--max-false-removal-rate',
        '1%',
        '--set',
        'beat.interval=5s',
        '--set',
        'beat.timeout=15s',
        '--set',
        'delete.timeout=30s',
      ],
      'nothing to search',
    ],
  ];
  it('each names what is wrong', async () => {
    const results = await runCliBatch(cases.map(([args]) => args));
    cases.forEach(([args, part], k) => {
      expectUsageError(results[k] as never, args, part);
    });
  }, 60_000);
});

/**
 * Without --detection, tune searches the detection the model records: server removal where it has
 * one, else the first of its tune space's. Consul's catalog keeps a cut-off agent's service (the
 * agent itself reaps, agent.go reapServicesInternal), so its tune space records only the
 * subscriber's (health?passing) detection: a bare `tune --model consul` must search that, not refuse.
 */
describe('tune › the default detection is one the model records', () => {
  it('consul without --detection: subscriber', () => {
    const r = livesim(['tune', '--model', 'consul', '--target-detection', '60s', '--max-false-removal-rate', '1%', '--runs', '1', '--until', '3m', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).targets.detection).toBe('subscriber');
  });
});
