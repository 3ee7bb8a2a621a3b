import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-harness.js';

/**
 * Issue 20 item 3: what cannot fit in memory is refused before it starts (exit 2, one line with
 * the estimate and the limit), `--max-memory` moves the limit, and `--workers` is capped at the
 * cores. The expected figures: `--set beat.interval=1ms --until 1d` beats 86.4 M times from c1
 * alone (86 400 s / 1 ms), each beat several kernel events kept for c1's metrics: far past the
 * default limit (90 % of node's heap, a few GB); a default run is ~1 000 events: well inside it.
 */
const dir = mkdtempSync(join(tmpdir(), 'livesim-harden-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: readonly string[]) => runCli(args, 120_000, { cwd: dir });
const BEAT_1MS = ['--model', 'nacos-v1', '--set', 'beat.interval=1ms', '--set', 'clientBeatInterval=1ms', '--until', '1d'];
const refusal =
  /^livesim: (the run|a run of point \d+|a tune run) needs about [\d.]+ [KMGT]?B \([\d. M]+ events, [\d. M]+ kept for the metrics\), more than the limit [\d.]+ [KMGT]?B: /;

beforeAll(() => ensureBuilt());

describe('hardening › item 3: resources are bounded before work starts', () => {
  it('run: a 1 ms beat for a day is refused at once with the estimate and the limit, not left to grow', async () => {
    const t0 = Date.now();
    const r = await cli(['run', ...BEAT_1MS]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(refusal);
    expect(Date.now() - t0).toBeLessThan(60_000);
  }, 90_000);

  it('sweep and tune: refused before any run, nothing written', async () => {
    const sweep = await cli(['sweep', ...BEAT_1MS, '--vary', 'clients=1,2', '--runs', '2', '--out', 'big.jsonl', '-q']);
    expect(sweep.code, sweep.stderr).toBe(2);
    expect(sweep.stderr).toMatch(refusal);
    expect(readdirSync(dir).filter((f) => f.startsWith('big.jsonl'))).toEqual([]);
    const tune = await cli(['tune', ...BEAT_1MS, '--target-detection', '60s', '--max-false-removal-rate', '1%', '--runs', '2', '-q']);
    expect(tune.code, tune.stderr).toBe(2);
    expect(tune.stderr).toMatch(refusal);
  }, 90_000);

  it('--max-memory moves the limit: a default run is refused under 32M and runs under 1G', async () => {
    const low = await cli(['run', '--model', 'nacos-v1', '--fault', 'cut@60s', '--max-memory', '32M']);
    expect(low.code).toBe(2);
    expect(low.stderr).toMatch(/more than the limit 32\.0 MB: .*--max-memory/);
    expect((await cli(['run', '--model', 'nacos-v1', '--fault', 'cut@60s', '--max-memory', '1G'])).code).toBe(0);
    const bad = await cli(['run', '--model', 'nacos-v1', '--max-memory', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-memory 'lots': expected a size/);
  }, 60_000);

  it('--workers 100000 runs on at most one worker per core', async () => {
    const r = await cli([
      'sweep',
      '--model',
      'nacos-v1',
      '--vary',
      'clients=1,2',
      '--fault',
      'cut',
      '--until',
      '30s',
      '--runs',
      '3',
      '--workers',
      '100000',
      '--out',
      'w.jsonl',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const cores = availableParallelism();
    expect(r.stderr).toContain(`6 to run on ${cores} worker${cores > 1 ? 's' : ''} → w.jsonl`);
    expect(existsSync(join(dir, 'w.jsonl'))).toBe(true);
  }, 60_000);
});
