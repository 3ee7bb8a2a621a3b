import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweep } from '../src/sweep/sweep.js';

/**
 * `node dist/bench/sweep-workers.js [--runs-per-point N] [--repeat K] [--clients C]`:
 * the same sweep (6 points × N seeds, default N = 334 → 2,004 runs, cut at a drawn phase) with
 * `--workers 1` and `--workers 2`, alternated K times; prints each time, the ratio of the best
 * times and of the medians, and checks that both wrote the same bytes. Not part of `npm test`.
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const k = args.indexOf(`--${name}`);
  return k === -1 ? fallback : Number(args[k + 1]);
};
const perPoint = flag('runs-per-point', 334);
const repeat = flag('repeat', 3);
const clients = flag('clients', 1);

const dir = mkdtempSync(join(tmpdir(), 'livesim-bench-sweep-'));
const request = {
  base: { model: 'nacos-v1', faults: ['cut'], clients },
  vary: ['preserved.ip.delete.timeout=10s..60s:10s'],
  runs: perPoint,
};

const time = async (workers: number, k: number): Promise<number> => {
  const out = join(dir, `w${workers}-${k}.jsonl`);
  const t0 = process.hrtime.bigint();
  await runSweep({ request, out, workers });
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;

const main = async (): Promise<void> => {
  const total = 6 * perPoint;
  process.stdout.write(`# sweep: --workers 2 vs --workers 1\n\n`);
  process.stdout.write(
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${availableParallelism()}, Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}.\n`,
  );
  process.stdout.write(`Sweep: nacos-v1, 6 points × ${perPoint} seeds = ${total} runs, ${clients} client(s), cut at a drawn phase, horizon 10m.\n\n`);
  const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
  for (let k = 0; k < repeat; k++) {
    for (const w of [1, 2] as const) {
      const s = await time(w, k);
      times[w].push(s);
      process.stdout.write(`round ${k + 1}: --workers ${w}  ${s.toFixed(2)} s  (${(total / s).toFixed(0)} runs/s)\n`);
    }
  }
  const same = readFileSync(join(dir, 'w1-0.jsonl'), 'utf8') === readFileSync(join(dir, 'w2-0.jsonl'), 'utf8');
  const best = Math.min(...times[1]) / Math.min(...times[2]);
  const med = median(times[1]) / median(times[2]);
  process.stdout.write(`\nspeed-up --workers 2 / --workers 1: best ${best.toFixed(2)}×, median ${med.toFixed(2)}× (target ≥ 1.8×)\n`);
  process.stdout.write(`outputs byte-identical: ${same ? 'yes' : 'NO'}\n`);
  rmSync(dir, { recursive: true, force: true });
  if (!same) process.exitCode = 1;
};

await main();
