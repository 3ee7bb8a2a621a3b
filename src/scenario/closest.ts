/**
 * "Did you mean": the candidate nearest to what was typed, for mistyped commands, flags, setting
 * keys and choices. No imports, so the CLI can load it at start-up (before zod or the models).
 */

/** Edit distance (Levenshtein); names are short, so O(n·m) is nothing. */
export const editDistance = (a: string, b: string): number => {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
};

/**
 * The nearest candidate (case-insensitive), if it is near: at most 2 edits, or a quarter of the
 * typed length for long names. Ties go to the earlier candidate, so the answer is deterministic.
 */
export const closest = (typed: string, candidates: readonly string[]): string | undefined => {
  const lower = typed.toLowerCase();
  if (lower.length === 0 || lower.length > 200) return undefined;
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = editDistance(lower, name.toLowerCase());
    if (best === undefined || d < best.d) best = { name, d };
  }
  return best !== undefined && best.d <= Math.max(2, Math.floor(lower.length / 4)) ? best.name : undefined;
};

/** ` (did you mean X?)`, or '' when nothing is near. */
export const didYouMean = (typed: string, candidates: readonly string[]): string => {
  const c = closest(typed, candidates);
  return c === undefined ? '' : ` (did you mean ${c}?)`;
};
