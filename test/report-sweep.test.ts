import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V1_CONSTANTS, V1_KEYS, V1_KNOBS } from '../src/models/nacos-v1/defaults.js';
import { paretoChart, paretoFront } from '../src/report/charts.js';
import { writeReport } from '../src/report/report.js';
import { InputError } from '../src/scenario/input-error.js';
import { runSweep } from '../src/sweep/sweep.js';

const dir = mkdtempSync(join(tmpdir(), 'livesim-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string): string => join(dir, name);
const text = (path: string): string => readFileSync(path, 'utf8');

const base = { model: 'nacos-v1', faults: ['cut'], until: '2m' };
const VARY = 'preserved.ip.delete.timeout=20s,30s,40s';

beforeAll(async () => {
  await runSweep({ request: { base, vary: [VARY], runs: 8 }, out: file('s.jsonl'), workers: 1 });
  for (const k of [1, 2])
    await runSweep({ request: { base, vary: [VARY], runs: 8 }, out: file(`shard-${k}.jsonl`), workers: 1, shard: { index: k, count: 2 } });
  await runSweep({
    request: { base: { ...base, set: { 'net.loss': '0.01' } }, vary: ['preserved.heart.beat.timeout=10s,15s'], runs: 4 },
    out: file('other.jsonl'),
    workers: 1,
  });
}, 60_000);

describe('report › Markdown, SVG charts and a self-contained HTML page', () => {
  it('README.md has every section, and each chart it links is an SVG on disk', async () => {
    const r = await writeReport({ files: [file('s.jsonl')], out: file('r') });
    const md = text(file('r/README.md'));
    for (const heading of [
      '## Detection time',
      '## Detection p99 vs false-removal rate',
      '## Stale time at subscribers',
      '## Server load',
      '## Failure-detector QoS',
    ]) {
      expect(md).toContain(heading);
    }
    const images = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1] as string);
    // Every false-removal rate is 0 on a loss-free LAN: the Pareto front is a sentence and a table, not a chart.
    expect(images.sort()).toEqual(['detection.svg', 'messages.svg', 'qos.svg', 'stale.svg']);
    for (const img of images) {
      const svg = text(file(`r/${img}`));
      // GitHub shows an SVG image that is a standalone document without scripts or external resources.
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
      expect(svg).not.toMatch(/<script|<foreignObject|href="http/);
    }
    // Settings are labelled with their keys, by the short alias of the model's table.
    expect(text(file('r/detection.svg'))).toContain('>delete.timeout=30s<');
    expect(r.written).toContain('report.html');
    expect(md).toContain('24 runs; complete');
  });

  it('report.html inlines the same charts and loads nothing from outside', () => {
    const html = text(file('r/report.html'));
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).not.toMatch(/<script|<link|src="|<img/);
    expect(html).toContain('<h2>Failure-detector QoS (Chen, Toueg, Aguilera)</h2>');
  });

  it('the QoS table: on a loss-free LAN no mistakes (P_A 1), and T_D is the unhealthy mark, before the removal', () => {
    const r = loadQosRow(text(file('r/README.md')), 'delete.timeout=30s');
    const timeoutMs = V1_KNOBS.find((k) => k.key === V1_KEYS.beatTimeout)?.default as number;
    // Unhealthy when no beat for the heartbeat timeout, noticed by a check every beatCheckPeriod: T_D ≤ T + C (+ latency).
    const upperS = (timeoutMs + V1_CONSTANTS.beatCheckPeriodMs + 5) / 1000;
    expect(r.pA).toBe('1');
    expect(r.tdMaxS).toBeLessThanOrEqual(upperS);
    expect(r.tdMaxS).toBeLessThan(r.detectionMinS);
  });

  it('joins the shards of one sweep, keeps other sweeps apart, and never replaces a report without force', async () => {
    await expect(writeReport({ files: [file('s.jsonl')], out: file('r') })).rejects.toThrow(InputError);
    const r = await writeReport({ files: [file('shard-1.jsonl'), file('shard-2.jsonl'), file('other.jsonl')], out: file('r'), force: true });
    expect(r.sweeps.map((s) => s.runs)).toEqual([24, 8]);
    const md = text(file('r/README.md'));
    expect(md).toContain('## Sweep 1: nacos-v1, preserved.ip.delete.timeout');
    expect(md).toContain('## Sweep 2: nacos-v1, preserved.heart.beat.timeout');
    expect(existsSync(file('r/sweep-2-detection.svg'))).toBe(true);
    // The shards give the same numbers as the unsharded file.
    const alone = await writeReport({ files: [file('s.jsonl')], out: file('r2') });
    expect(JSON.stringify(r.sweeps[0]?.summaries)).toBe(JSON.stringify(alone.sweeps[0]?.summaries));
  });

  it('the Pareto front keeps the settings no other setting beats on both p99 and false removals', () => {
    //            A: fast, some false removals · B: slower, none · C: slower still, none · D: worse than A on both · E: never detected
    const p99 = [10, 20, 30, 15, null];
    const frr = [0.1, 0, 0, 0.2, 0];
    expect(paretoFront(p99, frr)).toEqual([0, 1]);
  });

  it('the Pareto chart: its rate axis is a share of runs: a little room past the largest (up to a tick), never past 100 %', () => {
    const domainFor = (frr: number[]): number[] => {
      const spec = paretoChart({ labels: frr.map((_, i) => `s${i}`), p99Seconds: frr.map(() => 10), falseRemovalRate: frr, front: [0] }) as {
        layer: { encoding: { x: { scale: { domain: number[] } } } }[];
      };
      return spec.layer[0]?.encoding.x.scale.domain ?? [];
    };
    // 50 % + 10 % room = 55 %, up to the next tick of a 0, 10, 20 … axis.
    expect(domainFor([0, 0.5])[1]).toBeCloseTo(60, 9);
    expect(domainFor([0, 1])).toEqual([0, 100]);
    expect(domainFor([0.95, 0.2])).toEqual([0, 100]);
    expect(domainFor([0, 0])).toEqual([0, 1]);
  });
});

/** Reads one row of the QoS table and the detection table for a setting. */
const loadQosRow = (md: string, setting: string): { pA: string; tdMaxS: number; detectionMinS: number } => {
  const rows = md.split('\n').filter((l) => l.startsWith(`| ${setting} |`));
  const cells = (l: string | undefined): string[] => (l ?? '').split('|').map((c) => c.trim());
  const detection = cells(rows[0]); // | setting | runs | never | min | p50 | p90 | p99 | max |
  const qos = cells(rows.at(-1)); // | setting | T_D p50 | T_D p99 | T_D max | E(T_MR) | E(T_M) | P_A | λ_M | time |
  return { pA: qos[7] as string, tdMaxS: Number(qos[4]), detectionMinS: Number(detection[4]) };
};
