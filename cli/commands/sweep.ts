import type { Argv } from 'yargs';
import type { MergeFlags, SweepFlags } from '../handlers/sweep.js';
import { MAX_MEMORY_OPTION } from '../limit-option.js';
import { keepOptionsLocal } from './local-options.js';
import { scenarioOptions, WHOLE } from './run.js';

const mergeCommand = {
  command: 'merge <files..>',
  describe: 'merge the files of `sweep --shard I/N` runs into the file an unsharded sweep writes (byte for byte)',
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'shard files' })
      .option('out', { type: 'string', requiresArg: true, demandOption: 'the merged sweep file, e.g. --out all.jsonl', describe: 'merged sweep file' })
      .option('force', { type: 'boolean', describe: 'replace an existing --out' })
      .option('json', { type: 'boolean', describe: 'print the per-point summaries as JSON Lines' })
      .example('livesim sweep merge shard-*.jsonl --out all.jsonl', 'join the shards of one sweep'),
  handler: async (argv: MergeFlags): Promise<void> => (await import('../handlers/sweep.js')).mergeHandler(argv),
};

export const sweepCommand = {
  command: 'sweep',
  describe: 'run a configuration space × N seeds; one JSON line per run and a summary per point (subcommand: merge)',
  builder: (y: Argv) =>
    keepOptionsLocal(
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
        .option('runs', { ...WHOLE, demandOption: 'seeds per point, e.g. --runs 30', describe: 'seeds per point (--seed, default 1, is the first)' })
        .option('out', {
          type: 'string',
          requiresArg: true,
          demandOption: 'the sweep file, e.g. --out s.jsonl',
          describe: 'sweep file (JSON Lines); written as OUT.partial until complete',
        })
        .option('workers', { ...WHOLE, describe: 'worker threads (the output does not depend on it)', defaultDescription: 'the number of cores' })
        .option('max-memory', MAX_MEMORY_OPTION)
        .option('shard', { type: 'string', describe: 'run only shard I of N (runs i with i mod N = I − 1); join with `sweep merge`' })
        .option('resume', { type: 'boolean', describe: 'continue OUT(.partial): skip the runs already in it' })
        .option('force', { type: 'boolean', describe: 'start over even if OUT or OUT.partial exists (OUT is replaced when the new sweep completes)' })
        .option('json', { type: 'boolean', describe: 'print the per-point summaries as JSON Lines' })
        .example(
          'livesim sweep --model nacos-v1 --vary preserved.ip.delete.timeout=10s..60s:10s --fault cut --runs 50 --out s.jsonl',
          'delete timeout × 50 seeds, cut at a random phase',
        )
        .example('livesim sweep … --shard 3/8 --out shard-3.jsonl', 'one of 8 machines'),
    ),
  handler: async (argv: SweepFlags): Promise<void> => (await import('../handlers/sweep.js')).sweepHandler(argv),
};
