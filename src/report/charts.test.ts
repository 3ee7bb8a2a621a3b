import { describe, expect, it } from 'vitest';
import { paretoChart } from './charts.js';
import { renderSvg } from './render.js';

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
