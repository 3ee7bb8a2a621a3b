import { describe, expect, it } from 'vitest';
import { type Dim, gridPoints, type Point, search } from './search.js';

/**
 * The search on a landscape whose extremes are known: a saw-tooth in the onset (value grows
 * towards the tooth's left edge) times a saw-tooth in a circular phase (grows until a wrap).
 */
const onset: Dim = { kind: 'time', name: 'onset', loUs: 1_000_000, hiUs: 6_000_000, circular: false };
const phase: Dim = { kind: 'time', name: 'phase', loUs: 0, hiUs: 5_000_000, circular: true };
const TEETH = [2_345_678, 4_700_001];
const PHASE_EDGE = 3_141_592;

const landscape = (p: Point): number => {
  const x = p.onset as number;
  const edge = [...TEETH].reverse().find((t) => t < x) ?? onset.loUs - 500_000;
  const phaseGain = (((p.phase as number) - PHASE_EDGE - 1 + 5_000_000) % 5_000_000) / 1000;
  return -(x - edge) / 1000 + phaseGain;
};

const budget = { gridPerDim: 8, climbs: 3, minStepUs: 1, maxEvaluations: 5000 };

describe('bound › search', () => {
  it('enumerates the product of the grid', () => {
    const pts = gridPoints([onset, phase, { kind: 'choice', name: 'seed', values: [1, 2] }], 4);
    expect(pts).toHaveLength(4 * 4 * 2);
    expect(pts[0]).toEqual({ onset: 1_000_000, phase: 0, seed: 1 });
  });

  it('climbs to the exact microsecond of the maximum (tooth edge + 1 µs, phase just before its wrap)', () => {
    const found = search([onset, phase], landscape, 'max', budget);
    expect(TEETH.map((t) => t + 1)).toContain(found.point.onset);
    expect(found.point.phase).toBe(PHASE_EDGE);
    expect(found.evaluations).toBeLessThanOrEqual(budget.maxEvaluations);
  });

  it('finds the minimum too, and counts never (null) as +∞', () => {
    const withNever = (p: Point): number | null => ((p.onset as number) > 5_000_000 ? null : landscape(p));
    expect(search([onset, phase], withNever, 'max', budget).value).toBeNull();
    const low = search([onset, phase], withNever, 'min', budget);
    expect(low.value).not.toBeNull();
    expect(low.point.phase).toBe((PHASE_EDGE + 1) % 5_000_000);
  });

  it('starts from a given grid when the model supplies its timer grid', () => {
    const seen: Point[] = [];
    const record = (p: Point): number => {
      seen.push(p);
      return landscape(p);
    };
    search([onset, phase], record, 'max', { ...budget, climbs: 0 }, { grid: [{ onset: 2_345_679, phase: PHASE_EDGE }] });
    expect(seen).toEqual([{ onset: 2_345_679, phase: PHASE_EDGE }]);
  });
});
