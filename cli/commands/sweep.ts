import type { Argv } from 'yargs';
import { formatDuration } from '../../src/scenario/duration.js';
import { InputError } from '../../src/scenario/input-error.js';
import type { SweepStart } from '../../src/sweep/sweep.js';
import { progressBar } from '../format/sweep-progress.js';
import { formatSweepText, pointLabel } from '../format/sweep-text.js';
import { type ScenarioFlags, scenarioInput } from '../scenario-input.js';
import { styleFor } from '../style.js';
import { scenarioOptions } from './run.js';

interface SweepFlags extends ScenarioFlags {
  readonly vary?: readonly (string | number)[];
  readonly runs?: number;
  readonly out?: string;
  readonly workers?: number;
  readonly shard?: string;
  readonly resume?: boolean;
  readonly force?: boolean;
  readonly json?: boolean;
}

const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const describeStart = (s: SweepStart, out: string, shard: string | undefined): void => {
  const h = s.header;
  const onset = h.onset === null ? '' : ` · onset ${formatDuration(h.onset.warmupMs * 1000)} + U[0, ${formatDuration(h.onset.periodMs * 1000)}) per seed`;
  const slice = shard === undefined ? '' : ` (shard ${shard}: ${s.expected})`;
  say(
    `sweep ${h.model}: ${h.points} points × ${h.runs} seeds = ${h.total} runs${slice} · faults ${h.faults.join(' ') || 'none'}${onset} · ${s.toRun} to run on ${s.workers} worker${s.workers > 1 ? 's' : ''} → ${out}`,
  );
  if (s.expected > s.toRun && s.toRun > 0) say(`resuming: ${s.expected - s.toRun} runs already in the file`);
  for (const p of s.plan.points) {
    if (p.illegal !== null) say(`warning: point ${p.index} (${pointLabel(p.set)}) is illegal, its runs are recorded as such: ${p.illegal}`);
  }
};

const sweepHandler = async (argv: SweepFlags): Promise<void> => {
  if (argv.out === undefined) throw new InputError('--out FILE.jsonl is required');
  if (argv.runs === undefined) throw new InputError('--runs N is required (seeds per point)');
  const { parseShard, runSweep } = await import('../../src/sweep/sweep.js');
  const progress = await progressBar(process.stderr, 'sweep');
  const out = argv.out;
  try {
    const outcome = await runSweep({
      request: { base: scenarioInput(argv), vary: (argv.vary ?? []).map(String), runs: argv.runs },
      out,
      workers: argv.workers,
      shard: argv.shard === undefined ? null : parseShard(argv.shard),
      resume: argv.resume === true,
      force: argv.force === true,
      onStart: (s) => describeStart(s, out, argv.shard),
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.stop();
    if (outcome.summaries === null) {
      say(
        `shard written: ${out} (${outcome.ran} runs now, ${outcome.skipped} before); merge the shards with: livesim sweep merge SHARD-FILES… --out ALL.jsonl`,
      );
      return;
    }
    if (argv.json === true) process.stdout.write(outcome.summaries.map((s) => `${JSON.stringify(s)}\n`).join(''));
    else process.stdout.write(formatSweepText(outcome.header, outcome.summaries, out, styleFor(process.stdout)));
  } finally {
    progress.stop();
  }
};

const mergeCommand = {
  command: 'merge <files..>',
  describe: 'merge the files of `sweep --shard I/N` runs into the file an unsharded sweep writes (byte for byte)',
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'shard files' })
      .option('out', { type: 'string', describe: 'merged sweep file' })
      .option('force', { type: 'boolean', describe: 'replace an existing --out' })
      .option('json', { type: 'boolean', describe: 'print the per-point summaries as JSON Lines' })
      .example('livesim sweep merge shard-*.jsonl --out all.jsonl', 'join the shards of one sweep'),
  handler: async (argv: { files?: readonly string[]; out?: string; force?: boolean; json?: boolean }) => {
    if (argv.out === undefined) throw new InputError('sweep merge: --out FILE.jsonl is required');
    const { mergeShards } = await import('../../src/sweep/merge.js');
    const r = mergeShards((argv.files ?? []).map(String), argv.out, argv.force === true);
    if (argv.json === true) process.stdout.write(r.summaries.map((s) => `${JSON.stringify(s)}\n`).join(''));
    else process.stdout.write(formatSweepText(r.header, r.summaries, r.out, styleFor(process.stdout)));
  },
};

export const sweepCommand = {
  command: 'sweep',
  describe: 'run a configuration space × N seeds; one JSON line per run and a summary per point (subcommand: merge)',
  builder: (y: Argv) =>
    scenarioOptions(y)
      .command(mergeCommand)
      .option('fault', {
        type: 'string',
        array: true,
        describe:
          'fault in the DSL (see `livesim run --help`); without @START, e.g. --fault cut, its onset is drawn per seed over one timer period after a warm-up, the same for every point (repeatable)',
      })
      .option('vary', {
        type: 'string',
        array: true,
        describe: 'KEY=SPEC, SPEC one of 1s..10s:1s (range), a,b,c (list), log:100ms..60s:12 (log-spaced); repeat for a cartesian product',
      })
      .option('runs', { type: 'number', describe: 'seeds per point (--seed, default 1, is the first)' })
      .option('out', { type: 'string', describe: 'sweep file (JSON Lines); written as OUT.partial until complete' })
      .option('workers', { type: 'number', describe: 'worker threads (the output does not depend on it)', defaultDescription: 'the number of cores' })
      .option('shard', { type: 'string', describe: 'run only shard I of N (runs i with i mod N = I − 1); join with `sweep merge`' })
      .option('resume', { type: 'boolean', describe: 'continue OUT(.partial): skip the runs already in it' })
      .option('force', { type: 'boolean', describe: 'start over even if OUT or OUT.partial exists (OUT is replaced when the new sweep completes)' })
      .option('json', { type: 'boolean', describe: 'print the per-point summaries as JSON Lines' })
      .example(
        'livesim sweep --model nacos-v1 --vary preserved.ip.delete.timeout=10s..60s:10s --fault cut --runs 50 --out s.jsonl',
        'delete timeout × 50 seeds, cut at a random phase',
      )
      .example('livesim sweep … --shard 3/8 --out shard-3.jsonl', 'one of 8 machines'),
  handler: sweepHandler,
};
