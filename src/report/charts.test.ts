import { describe, expect, it } from 'vitest';
import { paretoChart } from './charts.js';
import { renderSvg } from './render.js';
import { logScale, MIN_TICK_GAP_PX, timeScale } from './scale.js';

/** Axis tick labels as drawn: the text of every tick label in the SVG. */
const tickLabels = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string);

describe('Pareto chart axes', () => {
  it('labels a 0–100 % false-removal axis in plain numbers (no "1e+2")', async () => {
    const svg = await renderSvg(paretoChart({ labels: ['a', 'b', 'c'], p99Seconds: [10, 20, 30], falseRemovalRate: [0, 0.5, 1], front: [0, 1] }));
    const labels = tickLabels(svg);
    expect(labels.some((l) => /e[+-]\d/.test(l))).toBe(false);
    // The axis spans 0 to 110 %: 100 must be among the ticks, written as such.
    expect(labels).toContain('100');
  });
});

describe('time axes (scale.ts)', () => {
  it('is logarithmic when the values span more than a decade, linear otherwise', () => {
    // 25 s … 7,200 s: a Nacos 2.3 ejector probe next to a 2.2.x gRPC keep-alive.
    expect(timeScale([25, 7200]).type).toBe('log');
    expect(timeScale([27, 48]).type).toBe('linear');
    // A zero cannot sit on a log axis.
    expect(timeScale([0, 7200]).type).toBe('linear');
  });

  it('puts its first and last ticks at the domain ends, and every tick inside', () => {
    for (const values of [
      [25, 7200],
      [0.0004, 9000],
      [27, 48],
      [3, 3],
      [0, 0.33],
      [14.9, 15.1],
    ]) {
      for (const s of [timeScale(values), timeScale(values, 150)]) {
        expect(s.ticks[0]).toBe(s.domain[0]);
        expect(s.ticks.at(-1)).toBe(s.domain[1]);
        expect(s.domain[0]).toBeLessThanOrEqual(Math.min(...values));
        expect(s.domain[1]).toBeGreaterThanOrEqual(Math.max(...values));
        expect([...s.ticks].sort((a, b) => a - b)).toEqual(s.ticks);
        expect(new Set(s.ticks).size).toBe(s.ticks.length);
      }
    }
  });

  it('keeps log tick labels at least MIN_TICK_GAP_PX apart on the axis', () => {
    for (const width of [150, 300, 560]) {
      const s = logScale(0.0004, 9000, width);
      const px = s.ticks.map((v) => (Math.log(v / s.domain[0]) / Math.log(s.domain[1] / s.domain[0])) * width);
      for (let k = 1; k < px.length; k++) expect((px[k] as number) - (px[k - 1] as number)).toBeGreaterThanOrEqual(MIN_TICK_GAP_PX - 1e-9);
    }
  });
});
