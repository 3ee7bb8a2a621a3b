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

/**
 * The livesim program. Start-up matters (issue 8, docs/performance.md "Start-up"): the command
 * modules in ./commands hold only names, descriptions and flags; each handler `await import()`s
 * its implementation from ./handlers, so `--help` loads neither zod nor the models nor vega.
 */

/** Bad input: one line on stderr, exit 2, never a stack trace. */
const usageError = (message: string): never => {
  process.stderr.write(`livesim: ${message.split('\n')[0]}\n`);
  process.exit(2);
};

/**
 * yargs renders the running command's whole help text right after calling its handler, in case
 * the handler calls showHelp() later; livesim's handlers never do and failures go through
 * .fail() below, so the text is never shown. Rendering it measures the width of every option
 * description (string-width: Unicode segmentation and emoji regexes), 50–70 ms of a trivial
 * `run` here. Skipped through yargs' internals, guarded: if they change, yargs renders it as
 * before. Output is unchanged either way (`--help` and `run --help` render their text afresh).
 */
const skipHelpCache = (cli: object): void => {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = (cli as Internals).getInternalMethods?.().getUsageInstance?.();
  if (usage !== undefined && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
};

export const main = async (): Promise<void> => {
  try {
    const cli = yargs(hideBin(process.argv));
    skipHelpCache(cli);
    await cli
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
