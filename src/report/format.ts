/** How the report writes numbers in its tables and sentences. */
export const secs = (ms: number | null): string => (ms === null ? 'never' : (ms / 1000).toFixed(3));
export const pct = (x: number | null): string => (x === null ? '–' : `${Number((x * 100).toPrecision(4))} %`);
/** Table alignment: the first column (the setting) left, the n numbers after it right. */
export const RIGHT = (n: number): ('left' | 'right')[] => ['left', ...Array.from({ length: n }, () => 'right' as const)];
