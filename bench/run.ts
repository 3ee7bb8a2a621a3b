import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { benchCompare, COMPARE_ARGS } from './compare.js';
import { benchKernel, benchKernelLanes, kernelBytesPerPending } from './kernel.js';
import { scaleSection } from './scale.js';
import { benchSimpy, ensureSimpy, LOAD_AT_START, SIMPY_PYTHON } from './simpy.js';
import { benchStartup } from './startup.js';
import { benchSweepWorkers } from './sweep-workers.js';

/**
 * `npm run bench`: every figure is a ratio measured side by side in this one run.
 * `--record` also writes results/bench/README.md with the machine and the date.
 */
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const rows: string[] = [];
// First, so that a machine without SimPy fails in a second with what to install, not after the kernel rows.
let simpyVersion: string;
try {
  simpyVersion = ensureSimpy();
} catch (e) {
  process.stderr.write(`npm run bench: ${(e as Error).message}\n`);
  process.exit(1);
}
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
  rows.push(line);
};

const load = (avg: readonly number[] = loadavg()): string => avg.map((x) => x.toFixed(2)).join(' / ');
const loadOf = `load average (1 / 5 / 15 min, ${cpus().length} cores)`;
const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
say('# livesim benchmarks');
say('');
say(`Machine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}.`);
say('');
say('## Kernel: schedule + pop (hold model), next to a bare typed-array binary heap');
say('');
say(
  `Each pending event, when it runs, schedules the next at an exponential gap (mean 1 ms, a fixed table): the kernel (\`Simulation.schedule\`, a 4-ary heap of packed (time, sequence) pairs with slots, cancellation and callbacks; src/sim/quad-heap.ts) against bench/bare-heap.ts (a binary heap with an int payload, nothing else). CPU time of this process, ${quick ? 1 : 5} alternated rounds after a warm-up; the ratio is the median of the rounds' paired ratios; ${loadOf} before this section: ${load()}.`,
);
say('');
say('| pending events | events timed | bare heap (M events/s) | kernel (M events/s) | kernel / bare |');
say('|---:|---:|---:|---:|---:|');
for (const pending of quick ? [1_000] : [1_000, 1_000_000]) {
  const events = quick ? 1_000_000 : pending >= 1_000_000 ? 3_000_000 : 10_000_000;
  const r = benchKernel(pending, events, quick ? 1 : 5);
  const f = (x: number): string => (x / 1e6).toFixed(2);
  say(
    `| ${pending.toLocaleString('en')} | ${events.toLocaleString('en')} | ${f(r.bareEventsPerSec)} | ${f(r.kernelEventsPerSec)} | ${(r.ratio * 100).toFixed(0)} % |`,
  );
}
say('');
say(
  'Periodic timers (each pending event reschedules itself every 1, 5, 15 or 30 ms, timed after its first run at a random phase): the kernel with every event on the heap (`Simulation.schedule`), and with one FIFO lane per delay (`Simulation.lane`, same order of execution).',
);
say('');
say('| pending events | events timed | bare heap (M events/s) | kernel, heap (M events/s) | kernel, lanes (M events/s) | lanes / bare |');
say('|---:|---:|---:|---:|---:|---:|');
for (const pending of quick ? [1_000] : [1_000, 1_000_000]) {
  const events = quick ? 1_000_000 : pending >= 1_000_000 ? 3_000_000 : 10_000_000;
  const r = benchKernelLanes(pending, events, quick ? 1 : 3);
  const f = (x: number): string => (x / 1e6).toFixed(2);
  say(
    `| ${pending.toLocaleString('en')} | ${events.toLocaleString('en')} | ${f(r.bareEventsPerSec)} | ${f(r.heapEventsPerSec)} | ${f(r.lanesEventsPerSec)} | ${(r.ratio * 100).toFixed(0)} % |`,
  );
}
const bytes = kernelBytesPerPending(1_000_000);
say('');
say(
  bytes === null
    ? 'Memory per pending event: run with node --expose-gc to measure.'
    : `Memory per pending kernel event (1,000,000 pending; JS heap and array buffers after a full GC): ${bytes.toFixed(0)} bytes — a 16-byte heap pair and a 24-byte slot record, plus the arrays' room to grow.`,
);
say('');
say('Target: the kernel reaches at least 70 % of the bare heap at 1,000,000 pending events (issue 22; 50 % at every size, issue 2).');

say('');
say('## livesim against SimPy 3: the same Nacos 1.x heartbeat model, side by side');
say('');
say(
  `SimPy ${simpyVersion} under ${SIMPY_PYTHON} (bench/simpy/heartbeat.py) against bench/heartbeat.ts: clients beat every 5 s with 1 ms one-way latency (send + receive event), the server sweeps every 5 s with a 15 s timeout, every 10th client dies halfway; 1 simulated hour. Both execute the same kernel events, marks and lastBeat checksum (checked against a closed-form count); after two warm-up runs, each SimPy run is paired with three livesim runs, and each side reports its best run, in CPU time of its own process. ${loadOf}: ${load(LOAD_AT_START)} when the benchmark started, ${load()} before this section.`,
);
say('');
say('| clients | simulated | kernel events | unhealthy marks | SimPy (M events/s) | livesim (M events/s) | livesim / SimPy |');
say('|---:|---:|---:|---:|---:|---:|---:|');
// [clients, simulated seconds]: 1.4 M and 6.9 M kernel events (0.24 M with --quick).
const full: readonly (readonly [number, number])[] = [
  [1_000, 3_600],
  [5_000, 3_600],
];
for (const [clients, horizonS] of quick ? [[1_000, 600] as const] : full) {
  const r = benchSimpy(clients, horizonS, quick ? 1 : 3);
  const f = (x: number): string => (x / 1e6).toFixed(2);
  say(
    `| ${clients.toLocaleString('en')} | ${horizonS} s | ${r.events.toLocaleString('en')} | ${r.marks} | ${f(r.simpyEventsPerSec)} | ${f(r.livesimEventsPerSec)} | ${r.ratio.toFixed(1)}× |`,
  );
}
say('');
say('Target: livesim ≥ 40× SimPy on 1 h runs (issue 22); see docs/performance.md for what dominates.');
say('');
say('## Start-up of the compiled CLI');
say('');
const startLoad = load();
const startup = benchStartup(quick ? 3 : 10);
say(`Median wall time of ${startup.runs} runs after 2 warm-ups (${startup.tool}); ${loadOf} before this section: ${startLoad}.`);
say('');
say('| command | median (ms) |');
say('|---|---:|');
for (const row of startup.rows) say(`| \`${row.command}\` | ${row.medianMs.toFixed(0)} |`);
say('');
say('Target: ≤ 300 ms each (issue 8).');
say('');
say('## compare: every registry side by side');
say('');
const compare = benchCompare(quick ? 1 : 3);
say(
  `\`node ${COMPARE_ARGS.join(' ')}\` (3 models × 3 seeds, 10 min each), median of ${compare.runs} after a warm-up: ${(compare.medianMs / 1000).toFixed(2)} s. Target: < 10 s (issue 18).`,
);
scaleSection(say, { quick });

say('');
say('## Sweeps: --workers 2 against --workers 1');
say('');
const workersLoad = load();
const workers = await benchSweepWorkers(quick ? { perPoint: 40, repeat: 1 } : {});
say(
  `The same sweep (bench/sweep-workers.ts: ${workers.runs.toLocaleString('en')} runs of nacos-v1 with ${workers.clients} clients, 10 min each, a cut at a drawn phase) with one and two worker threads, alternated; ${loadOf} before this section: ${workersLoad}.`,
);
say('');
say('| workers | wall times (s) |');
say('|---:|---|');
for (const w of [1, 2] as const) say(`| ${w} | ${workers.seconds[w].map((x) => x.toFixed(2)).join(', ')} |`);
say('');
say(
  `Speed-up: best ${workers.bestRatio.toFixed(2)}×, median ${workers.medianRatio.toFixed(2)}×; outputs byte-identical: ${workers.identical ? 'yes' : 'NO'}. Target: ≥ 1.8× on 2 cores for ≥ 2,000 runs (issue 5).`,
);
if (!workers.identical) process.exitCode = 1;
if (args.has('--record')) {
  writeFileSync('results/bench/README.md', `${rows.join('\n')}\n\nRegenerate: \`npm run bench -- --record\`.\n`);
  process.stdout.write('wrote results/bench/README.md\n');
}
