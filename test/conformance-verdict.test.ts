import { describe, expect, it } from 'vitest';
import { judge, median } from '../conformance/verdict.js';

// The conformance rule (issue 15 item 3): within 5 % or 200 ms of the real median, whichever is
// larger; a count or an outcome must match. Numbers below are chosen around those edges by hand.
const seconds = { key: 'x', label: 'x', unit: 's' as const };

describe('conformance verdict', () => {
  it('median of an odd and an even number of runs', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('5 % of the median when that is more than 200 ms', () => {
    // median 100 s: tolerance 5 s
    expect(judge('c', seconds, [99, 100, 101], 104.9).pass).toBe(true);
    expect(judge('c', seconds, [99, 100, 101], 105.1).pass).toBe(false);
    expect(judge('c', seconds, [99, 100, 101], 94.9).pass).toBe(false);
  });

  it('200 ms when 5 % is less', () => {
    // median 2 s: 5 % is 100 ms, so 200 ms applies
    expect(judge('c', seconds, [2, 2, 2], 2.19).pass).toBe(true);
    expect(judge('c', seconds, [2, 2, 2], 2.21).pass).toBe(false);
    // in ms: 30 ms against 0.1 ms is within 200 ms
    expect(judge('c', { ...seconds, unit: 'ms' }, [30, 31, 29], 0.1).pass).toBe(true);
    expect(judge('c', { ...seconds, unit: 'ms' }, [30, 31, 29], 250).pass).toBe(false);
  });

  it('an outcome must be what the kernel did every time; a count must equal the median', () => {
    const kind = { key: 'k', label: 'k', unit: 'kind' as const };
    expect(judge('c', kind, ['rst', 'rst', 'rst'], 'rst').pass).toBe(true);
    expect(judge('c', kind, ['rst', 'fin', 'rst'], 'rst').pass).toBe(false);
    const count = { key: 'n', label: 'n', unit: 'count' as const };
    expect(judge('c', count, [1, 1, 2], 1).pass).toBe(true);
    expect(judge('c', count, [1, 1, 1], 2).pass).toBe(false);
  });
});
