import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../scenario/input-error.js';
import { planRuns, readCapacityPlan } from './capacity/plan.js';
import { readTuningPlan, TUNING_KEYS, V1_DEFAULT, V2_DEFAULT } from './tuning/plan.js';

/**
 * The results plans (results/tuning/plan*.json, results/capacity/plan*.json) are checked before
 * anything runs: the committed ones parse, a wrong field is one line naming it, and the programs
 * turn bad options into exit code 2 without a stack trace.
 */
const dir = mkdtempSync(join(tmpdir(), 'livesim-plan-'));
const write = (name: string, json: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(json));
  return p;
};

describe('results plans', () => {
  it('the committed tuning plans parse; the quick one is marked quick', () => {
    expect(readTuningPlan('results/tuning/plan.json').quick).toBe(false);
    expect(readTuningPlan('results/tuning/plan-quick.json').quick).toBe(true);
  });

  it("keys and defaults are the models' own (Nacos DEFAULT_HEART_BEAT_INTERVAL 5 s, …TIMEOUT 15 s, IP_DELETE_TIMEOUT 30 s; GrpcConstants health 3 s × 3 retries)", () => {
    expect(TUNING_KEYS.t).toBe('nacos.remote.client.grpc.health.timeout');
    expect(TUNING_KEYS.d).toBe('preserved.ip.delete.timeout');
    expect(V1_DEFAULT).toEqual({ i: 5000, h: 15000, d: 30000 });
    expect(V2_DEFAULT).toEqual({ t: 3000, r: 3 });
  });

  it('a bad tuning plan is one line naming the field', () => {
    const base = readTuningPlan('results/tuning/plan.json');
    const bad = write('bad.json', { ...base, faults: ['cut', 'oneway:s2c', 'flap:2s'] });
    expect(() => readTuningPlan(bad)).toThrow(InputError);
    expect(() => readTuningPlan(bad)).toThrow(/^plan .*bad\.json: faults\.2: expected a fault of the fault DSL/);
    const noCut = write('nocut.json', { ...base, faults: ['oneway:s2c'] });
    expect(() => readTuningPlan(noCut)).toThrow(/faults: the faults must include cut and oneway:s2c/);
    const typo = write('typo.json', { ...base, presets: ['lan', 'lossy-wfi'] });
    expect(() => readTuningPlan(typo)).toThrow(/presets\.1: /);
    expect(() => readTuningPlan(join(dir, 'missing.json'))).toThrow(/missing\.json: no such file/);
  });

  it('the capacity plans parse; the full one runs 10 counts × 2 models + 2 × 2 burst runs', () => {
    expect(planRuns(readCapacityPlan('results/capacity/plan.json'))).toHaveLength(24);
    expect(planRuns(readCapacityPlan('results/capacity/plan-small.json'))).toHaveLength(8);
    const base = readCapacityPlan('results/capacity/plan.json');
    const big = write('big.json', { ...base, steady: { ...base.steady, clients: [1000, 200_000] } });
    expect(() => readCapacityPlan(big)).toThrow(/steady\.clients\.1: /);
  });

  it.each([
    ['tuning', ['--workers', '0'], /^--workers '0': expected a whole number ≥ 1\n$/],
    ['tuning', ['--quick'], /^Unknown option '--quick'.* \(accepted: --plan FILE, --out DIR, --workers N, --fresh\)\n$/],
    ['capacity', ['--jobs', 'x'], /^--jobs 'x': expected a whole number ≥ 1\n$/],
  ])('results:%s %j: exit 2, one line', (which, args, message) => {
    const r = spawnSync(process.execPath, [`dist/src/results/${which}/main.js`, ...args], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
