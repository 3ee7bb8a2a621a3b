import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shellWords } from '../properties/harness.js';
import { V1_CONSTANTS, V1_KEYS, V1_KNOBS } from '../src/models/nacos-v1/defaults.js';
import { NETWORK_KNOBS } from '../src/models/network-knobs.js';
import { parseLatency } from '../src/scenario/latency-dsl.js';
import { latencyEnvelope } from '../src/sim/latency.js';
import { usToMs } from '../src/sim/time.js';

/**
 * Issue 4's done-when for nacos-v1, as a user runs it: `livesim bound --model nacos-v1 --fault
 * cut --json` reports an upper bound of 30 s delete timeout + 5 s check period (+ 1 ms self-delete)
 * + one-way latency, a worst case within 2 % of it, and a replay command that reproduces the
 * worst case's detectionMs exactly. Expected numbers come from the defaults table, not from a run.
 */
const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

const cli = (args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { cwd: ROOT, timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout, stderr });
    });
  });

const knobDefault = (key: string): unknown => [...V1_KNOBS, ...NETWORK_KNOBS].find((k) => k.key === key)?.default;
const deleteTimeoutMs = knobDefault(V1_KEYS.deleteTimeout) as number;
const oneWayMaxMs = usToMs(latencyEnvelope(parseLatency(knobDefault('net.latency') as string)).maxUs);
const expectedUpperMs = deleteTimeoutMs + V1_CONSTANTS.beatCheckPeriodMs + V1_CONSTANTS.selfDeleteMs + oneWayMaxMs;

describe('nacos-v1 › livesim bound › cut with defaults', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  });

  it('upper ≈ 35 s + one-way latency, worst within 2 %, and the replay reproduces the worst case exactly', async () => {
    const r = await cli(['bound', '--model', 'nacos-v1', '--fault', 'cut', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.bound.upperMs).toBe(expectedUpperMs);
    expect(typeof report.bound.lowerMs).toBe('number');
    expect(report.worst.detectionMs).toBeLessThanOrEqual(report.bound.upperMs);
    expect(report.worst.detectionMs).toBeGreaterThanOrEqual(0.98 * report.bound.upperMs);
    expect(report.tightness).toBeGreaterThanOrEqual(0.98);
    expect(report.tightness).toBeLessThanOrEqual(1);
    expect(report.best.detectionMs).toBeGreaterThan(report.bound.lowerMs);

    const words = shellWords(report.worst.replay);
    expect(words.slice(0, 2)).toEqual(['livesim', 'run']);
    const replayed = await cli([...words.slice(1), '--json']);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(JSON.parse(replayed.stdout).metrics.detectionMs).toBe(report.worst.detectionMs);
  });

  it('the terminal view names the bounds, the worst and best cases with replays, and the tightness', async () => {
    const r = await cli(['bound', '--model', 'nacos-v1', '--fault', 'cut', '--seeds', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/detection\s+\(\d+\.\d+ s, 35\.002 s\]/);
    expect(r.stdout).toMatch(/worst found .* of the upper bound\n {2}replay: livesim run --model nacos-v1 /);
    expect(r.stdout).toMatch(/best found .* of the lower bound\n {2}replay: livesim run /);
    expect(r.stdout).toMatch(/tight: the worst case reaches/);
  });

  it('bad input is one line and exit 2', async () => {
    for (const args of [
      ['bound', '--model', 'nacos-v1', '--fault', 'nope'],
      ['bound', '--model', 'nacos-v1', '--metric', 'nope'],
      ['bound', '--model', 'nacos-v1', '--space', 'preserved.ip.delete.timeout=1s..10m:1s'],
      ['bound', '--model', 'nacos-v1', '--fault', 'cut', '--fault', 'crash'],
    ]) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
