import { InputError } from '../../src/scenario/input-error.js';
import type { SweepStart } from '../../src/sweep/sweep.js';
import { commandWith } from '../command-line.js';
import { progressBar } from '../format/sweep-progress.js';
import { formatSweepText, pointLabel } from '../format/sweep-text.js';
import { seconds } from '../format/units.js';
import { onInterrupt } from '../interrupt.js';
import { type ScenarioFlags, scenarioInput } from '../scenario-input.js';
import { note, styleFor } from '../style.js';
import { wholeFlag } from '../whole-flag.js';

export interface SweepFlags extends ScenarioFlags {
  readonly vary?: readonly (string | number)[];
  /** Whole numbers, as typed (cli/whole-flag.ts). */
  readonly runs?: number | string;
  readonly out?: string;
  readonly workers?: number | string;
  readonly shard?: string;
  readonly resume?: boolean;
  readonly force?: boolean;
  readonly json?: boolean;
  readonly 'max-memory'?: string;
}

const say = note;

const describeStart = (s: SweepStart, out: string, shard: string | undefined): void => {
  const h = s.header;
  const onset = h.onset === null ? '' : ` · onset ${seconds(h.onset.warmupMs)} + U[0, ${seconds(h.onset.periodMs)}) per seed`;
  const slice = shard === undefined ? '' : ` (shard ${shard}: ${s.expected})`;
  say(
    `sweep ${h.model}: ${h.points} points × ${h.runs} seeds = ${h.total} runs${slice} · faults ${h.faults.join(' ') || 'none'}${onset} · ${s.toRun} to run on ${s.workers} worker${s.workers > 1 ? 's' : ''} → ${out}`,
  );
  if (s.expected > s.toRun && s.toRun > 0) say(`resuming: ${s.expected - s.toRun} runs already in the file`);
  for (const p of s.plan.points) {
    if (p.illegal !== null) say(`warning: point ${p.index} (${pointLabel(p.set)}) is illegal, its runs are recorded as such: ${p.illegal}`);
  }
};

/** `livesim sweep` (flags: cli/commands/sweep.ts). */
export const sweepHandler = async (argv: SweepFlags): Promise<void> => {
  if (argv.out === undefined) throw new InputError('--out FILE.jsonl is required');
  const runs = wholeFlag('runs', argv.runs);
  if (runs === undefined) throw new InputError('--runs N is required (seeds per point)');
  const { parseShard, runSweep } = await import('../../src/sweep/sweep.js');
  const { parseMemoryLimit } = await import('../../src/scenario/resource-estimate.js');
  const progress = await progressBar(process.stderr, 'sweep');
  const out = argv.out;
  // Ctrl-C: the runs so far are in OUT.partial; the same command with --resume continues.
  const resume = commandWith({ drop: ['force', 'resume'], add: ['--resume'] });
  const dispose = onInterrupt({ cleanup: () => progress.stop(), hint: () => `the runs so far are in ${out}.partial; resume with: ${resume}` });
  try {
    const outcome = await runSweep({
      request: { base: scenarioInput(argv), vary: (argv.vary ?? []).map(String), runs },
      out,
      workers: wholeFlag('workers', argv.workers),
      shard: argv.shard === undefined ? null : parseShard(argv.shard),
      resume: argv.resume === true,
      force: argv.force === true,
      maxMemoryBytes: parseMemoryLimit(argv['max-memory']),
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
    dispose();
  }
};

export interface MergeFlags {
  readonly files?: readonly string[];
  readonly out?: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

/** `livesim sweep merge` (flags: cli/commands/sweep.ts). */
export const mergeHandler = async (argv: MergeFlags): Promise<void> => {
  if (argv.out === undefined) throw new InputError('sweep merge: --out FILE.jsonl is required');
  const { mergeShards } = await import('../../src/sweep/merge.js');
  const r = mergeShards((argv.files ?? []).map(String), argv.out, argv.force === true);
  if (argv.json === true) process.stdout.write(r.summaries.map((s) => `${JSON.stringify(s)}\n`).join(''));
  else process.stdout.write(formatSweepText(r.header, r.summaries, r.out, styleFor(process.stdout)));
};
