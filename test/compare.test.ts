import { beforeAll, describe, expect, it } from 'vitest';
import { distribution } from '../src/analysis/distribution.js';
import { type CompareReport, compareRegistries } from '../src/compare/compare.js';
import { formatCompareText } from '../src/compare/text.js';
import { MODELS } from '../src/models/registry.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import { type CliResult, ensureBuilt, expectUsageError, runCliBatch } from './cli-harness.js';

/**
 * `livesim compare`: one row per registered model, in the registry's order, each the model run
 * at its own defaults on the same scenario — checked against runs of the same scenarios made
 * directly, so a row cannot carry another model's numbers or settings.
 */
describe('compare › one scenario, every registry', () => {
  const report = compareRegistries({ base: { model: 'ignored', faults: ['cut@60s'] }, runs: 2 });

  it('has a row for every model of src/models/registry.ts, in its order: a new registry needs no change here', () => {
    expect(report.rows.map((r) => r.model)).toEqual(MODELS.map((m) => m.id));
  });

  it('each row is the model at its defaults: detection, staleness and window equal a direct run of that model', () => {
    for (const row of report.rows) {
      const direct = [1, 2].map((seed) => runScenario(resolveScenario({ model: row.model, faults: ['cut@60s'], seed }), { trace: 'followed' }).result);
      expect(row.detectionMs, row.model).toEqual(distribution(direct.map((x) => x.metrics.detectionMs)));
      expect(row.staleMs, row.model).toEqual(distribution(direct.map((x) => x.metrics.staleMs)));
      expect(row.detectionWindow, row.model).toEqual(direct[0]?.bounds?.removedFromFault);
      expect(row.staleWindow, row.model).toEqual(direct[0]?.bounds?.staleFromFault);
      expect(row.replay, row.model).toBe(`livesim run --model ${row.model} --seed 1 --until 10m --fault cut@60s`);
    }
  });

  it('the text table has a line per model and says why a window is never or missing', () => {
    const text = formatCompareText(report);
    for (const m of MODELS) expect(text).toMatch(new RegExp(`^${m.id}\\s`, 'm'));
    const never = report.rows.find((r) => r.detectionWindow?.kind === 'never');
    if (never !== undefined) expect(text).toContain(`${never.model} detection: never — `);
  });
});

describe('compare › settings and scenarios a model cannot take', () => {
  const run = (opts: Parameters<typeof compareRegistries>[0]): CompareReport => compareRegistries({ runs: 1, ...opts });

  it('MODEL:KEY=VALUE reaches that model only; an unprefixed key every model that has it', () => {
    const r = run({
      base: { model: 'ignored', faults: ['cut@100s'], set: { 'eureka:eureka.server.enable-self-preservation': 'false', 'net.latency': 'fixed:1ms' } },
    });
    const eureka = r.rows.find((x) => x.model === 'eureka');
    expect(eureka?.replay).toContain('--set eureka.server.enable-self-preservation=false');
    expect(eureka?.detectionWindow?.kind).toBe('within');
    for (const row of r.rows) expect(row.replay).toContain('--set net.latency=fixed:1ms');
    for (const row of r.rows.filter((x) => x.model !== 'eureka')) expect(row.replay).not.toContain('self-preservation');
  });

  it('a fault kind a model does not simulate skips that model, with the reason', () => {
    const r = run({ base: { model: 'ignored', faults: ['nat-idle:350s'] } });
    const skipped = r.rows.filter((x) => x.skipped !== null).map((x) => x.model);
    expect(skipped).toEqual(MODELS.filter((m) => !m.faultKinds.includes('nat-idle')).map((m) => m.id));
    expect(r.rows.find((x) => x.skipped !== null)?.skipped).toContain('does not model nat-idle');
  });

  it('more servers than a model simulates skips it', () => {
    const r = run({ base: { model: 'ignored', faults: ['cut@60s'], servers: 3 }, models: ['eureka'] });
    expect(r.rows[0]?.skipped).toContain('models at most 1');
  });

  it('bad input is an error: an unknown model, a key no model has, a runs count out of range', () => {
    expect(() => run({ base: { model: 'x' }, models: ['zookeeper-v9'] })).toThrow(/unknown model 'zookeeper-v9'/);
    expect(() => run({ base: { model: 'x', set: { 'no.such.key': '1' } } })).toThrow(/no compared model has this setting/);
    expect(() => compareRegistries({ base: { model: 'x' }, runs: 0 })).toThrow(/--runs 0/);
  });
});

describe('compare › the CLI', () => {
  let r: CliResult[] = [];
  beforeAll(async () => {
    ensureBuilt();
    r = await runCliBatch([
      ['compare', '--fault', 'cut@60s', '--runs', '1', '--json'],
      ['compare', '--models', 'nacos-v1,nacos-v9'],
      ['compare', '--set', 'nope=1'],
    ]);
  }, 120_000);

  it('--json prints one object with a row per model', () => {
    expect(r[0]?.code).toBe(0);
    const out = JSON.parse(r[0]?.stdout ?? '') as CompareReport;
    expect(out.rows.map((x) => x.model)).toEqual(MODELS.map((m) => m.id));
    expect(out.faults).toEqual(['cut@60s']);
  });

  it('bad input exits 2 with one line', () => {
    expectUsageError(r[1] as CliResult, ['compare', '--models', 'nacos-v1,nacos-v9'], "unknown model 'nacos-v9'");
    expectUsageError(r[2] as CliResult, ['compare', '--set', 'nope=1'], '--set nope');
  });
});

/**
 * `compare --chart`: the chart carries, for every row and each of detection and staleness, the
 * runs' median and maximum and the model's window in seconds — the same figures as the report
 * it is drawn from — and marks "never" the registries that kept the instance in every run.
 */
describe('compare › the chart', () => {
  it('one detection and one stale mark per registry, with the report figures in seconds', async () => {
    const { compareChart } = await import('../src/compare/chart.js');
    const report = compareRegistries({ base: { model: 'ignored', faults: ['cut@60s'] }, runs: 1 });
    const values = (compareChart(report, 't').data as { values: Record<string, unknown>[] }).values;
    expect(values).toHaveLength(2 * report.rows.length);
    for (const row of report.rows) {
      const det = values.find((v) => v.model === row.model && String(v.measure).startsWith('detection'));
      if (row.detectionMs?.never === row.detectionMs?.n) expect(det?.label, row.model).toBe('never');
      else expect(det?.p50, row.model).toBeCloseTo((row.detectionMs?.p50 as number) / 1000, 6);
      const w = row.detectionWindow;
      if (w?.kind === 'within') expect(det?.hi, row.model).toBeCloseTo(w.interval.upperMs / 1000, 6);
    }
  });
});
