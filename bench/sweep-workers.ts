import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSweep } from '../src/sweep/sweep.js';

/**
 * `--workers 2` against `--workers 1` on the same sweep (issue 5: ≥ 1.8× on 2 cores for ≥ 2,000
 * runs): 6 points × N seeds of nacos-v1 with C clients, cut at a drawn phase, alternated K times;
 * both must write the same bytes. Each run must carry real work: with one client a run takes
 * ≈ 1.5 ms, and the two workers' start-up and JIT warm-up (each thread compiles the simulator
 * afresh) then cost more than they save (measured 0.8–0.9×). Since quiet clients (src/sim/quiet.ts)
 * step c2…cN outside the kernel, 10 clients are back to ≈ 2 ms a run (measured 1.31×); 100 clients
 * (≈ 13 ms a run: c1 and every client's start in the kernel, the rest quiet) carry enough work
 * for the sweep to scale. `npm run bench` runs it; alone: `node dist/bench/sweep-workers.js [--runs-per-point
 * N] [--repeat K] [--clients C]`.
 */
export interface WorkersResult {
  readonly runs: number;
  readonly clients: number;
  readonly seconds: Readonly<Record<1 | 2, readonly number[]>>;
  readonly bestRatio: number;
  readonly medianRatio: number;
  readonly identical: boolean;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;

export const benchSweepWorkers = async (opts: { perPoint?: number; repeat?: number; clients?: number } = {}): Promise<WorkersResult> => {
  const perPoint = opts.perPoint ?? 334;
  const repeat = opts.repeat ?? 2;
  const clients = opts.clients ?? 100;
  const dir = mkdtempSync(join(tmpdir(), 'livesim-bench-sweep-'));
  const request = { base: { model: 'nacos-v1', faults: ['cut'], clients }, vary: ['preserved.ip.delete.timeout=10s..60s:10s'], runs: perPoint };
  try {
    const seconds: Record<1 | 2, number[]> = { 1: [], 2: [] };
    for (let k = 0; k < repeat; k++) {
      for (const workers of [1, 2] as const) {
        const t0 = process.hrtime.bigint();
        await runSweep({ request, out: join(dir, `w${workers}-${k}.jsonl`), workers });
        seconds[workers].push(Number(process.hrtime.bigint() - t0) / 1e9);
      }
    }
    const identical = readFileSync(join(dir, 'w1-0.jsonl'), 'utf8') === readFileSync(join(dir, 'w2-0.jsonl'), 'utf8');
    return {
      runs: 6 * perPoint,
      clients,
      seconds,
      bestRatio: Math.min(...seconds[1]) / Math.min(...seconds[2]),
      medianRatio: median(seconds[1]) / median(seconds[2]),
      identical,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const args = process.argv.slice(2);
  const flag = (name: string): number | undefined => {
    const k = args.indexOf(`--${name}`);
    return k === -1 ? undefined : Number(args[k + 1]);
  };
  const r = await benchSweepWorkers({ perPoint: flag('runs-per-point'), repeat: flag('repeat'), clients: flag('clients') });
  process.stdout.write(`# sweep: --workers 2 vs --workers 1 (${cpus()[0]?.model ?? 'unknown CPU'} × ${availableParallelism()}, Node ${process.version})\n`);
  process.stdout.write(`${r.runs} runs of nacos-v1 with ${r.clients} client(s), 10 min each\n`);
  for (const w of [1, 2] as const) process.stdout.write(`--workers ${w}: ${r.seconds[w].map((s) => `${s.toFixed(2)} s`).join(', ')}\n`);
  process.stdout.write(
    `speed-up: best ${r.bestRatio.toFixed(2)}×, median ${r.medianRatio.toFixed(2)}× (target ≥ 1.8×); outputs byte-identical: ${r.identical ? 'yes' : 'NO'}\n`,
  );
  if (!r.identical) process.exitCode = 1;
}
