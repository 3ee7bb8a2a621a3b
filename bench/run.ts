import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchKernel, kernelBytesPerPending } from './kernel.js';

/**
 * `npm run bench`: every figure is a ratio measured side by side in this one run.
 * `--record` also writes results/bench/README.md with the machine and the date.
 */
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const rows: string[] = [];
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
  rows.push(line);
};

const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
say('# livesim benchmarks');
say('');
say(`Machine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}.`);
say('');
say('## Kernel: schedule + pop (hold model), next to a bare typed-array binary heap');
say('');
say('| pending events | events timed | bare heap (M events/s) | kernel (M events/s) | kernel / bare |');
say('|---:|---:|---:|---:|---:|');
for (const pending of quick ? [1_000] : [1_000, 1_000_000]) {
  const events = quick ? 1_000_000 : pending >= 1_000_000 ? 3_000_000 : 10_000_000;
  const r = benchKernel(pending, events, quick ? 1 : 3);
  const f = (x: number): string => (x / 1e6).toFixed(2);
  say(
    `| ${pending.toLocaleString('en')} | ${events.toLocaleString('en')} | ${f(r.bareEventsPerSec)} | ${f(r.kernelEventsPerSec)} | ${(r.ratio * 100).toFixed(0)} % |`,
  );
}
const bytes = kernelBytesPerPending(1_000_000);
say('');
say(
  bytes === null
    ? 'Memory per pending event: run with node --expose-gc to measure.'
    : `Memory per pending kernel event (1,000,000 pending): ${bytes.toFixed(0)} bytes.`,
);
say('');
say('Target: the kernel reaches at least 50 % of the bare heap (issue 2).');
if (args.has('--record')) {
  writeFileSync('results/bench/README.md', `${rows.join('\n')}\n\nRegenerate: \`npm run bench -- --record\`.\n`);
  process.stdout.write('wrote results/bench/README.md\n');
}
