#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../src/scenario/input-error.js';
import { boundCommand } from './commands/bound.js';
import { diagnoseCommand } from './commands/diagnose.js';
import { modelsCommand } from './commands/models.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { sweepCommand } from './commands/sweep.js';
import { tuneCommand } from './commands/tune.js';

/** Bad input: one line on stderr, exit 2, never a stack trace. */
const usageError = (message: string): never => {
  process.stderr.write(`livesim: ${message.split('\n')[0]}\n`);
  process.exit(2);
};

const main = async (): Promise<void> => {
  try {
    await yargs(hideBin(process.argv))
      .scriptName('livesim')
      .usage('livesim — when does a service registry notice that an instance is gone?\n\nUsage: $0 <command> [options]')
      .command(runCommand)
      .command(diagnoseCommand)
      .command(modelsCommand)
      .command(schemaCommand)
      .command(sweepCommand)
      .command(reportCommand)
      .command(boundCommand)
      .command(tuneCommand)
      .demandCommand(1, 'name a command (livesim --help lists them)')
      .strict()
      .recommendCommands()
      .fail((msg, err) => {
        // yargs' own parse errors (a flag without its value) arrive as a YError: bad input, not a bug.
        if (err !== undefined && err !== null && err.name !== 'YError') throw err;
        usageError(msg ?? err?.message ?? 'bad arguments');
      })
      .help()
      .wrap(Math.min(120, process.stdout.columns ?? 100))
      .epilog('Docs: README.md and docs/ · every number replays from its seed')
      .parseAsync();
  } catch (e) {
    if (e instanceof InputError) usageError(e.message);
    process.stderr.write(`livesim: internal error: ${(e as Error).message ?? String(e)} (please report it with the command line)\n`);
    process.exit(1);
  }
};

await main();
