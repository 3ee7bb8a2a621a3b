import { spawnSync } from 'node:child_process';

/**
 * `livesim compare --fault cut@60s` through the compiled CLI, start-up included: the wall time a
 * user waits for the side-by-side table (issue 18: under 10 s). Median of `runs` after one warm-up.
 */
export const COMPARE_ARGS: readonly string[] = ['dist/cli/main.js', 'compare', '--fault', 'cut@60s'];

export const benchCompare = (runs: number): { readonly medianMs: number; readonly runs: number } => {
  const times: number[] = [];
  for (let k = -1; k < runs; k++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, COMPARE_ARGS, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`compare failed: ${r.stderr.trim()}`);
    if (k >= 0) times.push(performance.now() - t0);
  }
  const s = times.sort((a, b) => a - b);
  return { medianMs: s[s.length >> 1] as number, runs };
};
