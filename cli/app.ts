import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../src/scenario/input-error.js';
import { setCommandLine } from './command-line.js';
import { boundCommand } from './commands/bound.js';
import { compareCommand } from './commands/compare.js';
import { diagnoseCommand } from './commands/diagnose.js';
import { helpCommand } from './commands/help.js';
import { modelsCommand } from './commands/models.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { sweepCommand } from './commands/sweep.js';
import { tuneCommand } from './commands/tune.js';
import { exitFor } from './failure.js';
import { type OptionsView, preflight } from './preflight.js';
import { COLOR_MODES, type ColorMode, setTerminalOptions } from './style.js';
import { rewriteYargsMessage } from './yargs-messages.js';

/**
 * The livesim program. Start-up matters (issue 8, docs/performance.md "Start-up"): the command
 * modules in ./commands hold only names, descriptions and flags; each handler `await import()`s
 * its implementation from ./handlers, so `--help` loads neither zod nor the models nor vega.
 *
 * Conventions (issue 16 item 4, as hyperfine, ripgrep and kubectl users expect): `-h`/`--help`
 * on every command and `livesim help COMMAND`; a mistyped command, flag or choice gets one line
 * with "did you mean" (cli/preflight.ts, cli/yargs-messages.ts); `--color=auto|always|never`
 * and `--quiet` on every command (cli/style.ts); `livesim completion` prints yargs' completion
 * script for bash and zsh.
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

const COMMANDS = [runCommand, diagnoseCommand, modelsCommand, schemaCommand, sweepCommand, reportCommand, boundCommand, tuneCommand, compareCommand] as const;
const COMMAND_NAMES = [...COMMANDS.map((c) => c.command.split(' ')[0] as string), 'help', 'completion'];

/** The global flags, checked and applied before any handler (and before yargs validates the rest). */
const applyGlobalFlags = (argv: Record<string, unknown>, y: Argv): void => {
  // After `sweep merge` has run, yargs applies sweep's middleware again: nothing left to check.
  if ((y as unknown as OptionsView).getInternalMethods().getHasOutput()) return;
  // `--no-color` is the common spelling of --color=never (yargs reads it as color=false).
  if (argv.color === false) argv.color = 'never';
  preflight(argv, y as unknown as OptionsView);
  setTerminalOptions({ color: argv.color as ColorMode, quiet: argv.quiet === true });
};

export const main = async (args: readonly string[] = hideBin(process.argv)): Promise<void> => {
  setCommandLine(args);
  try {
    const cli = yargs([...args]);
    skipHelpCache(cli);
    await cli
      .scriptName('livesim')
      .locale('en')
      .usage('livesim — when does a service registry notice that an instance is gone?\n\nUsage: $0 <command> [options]')
      .command(runCommand)
      .command(diagnoseCommand)
      .command(modelsCommand)
      .command(schemaCommand)
      .command(sweepCommand)
      .command(reportCommand)
      .command(boundCommand)
      .command(tuneCommand)
      .command(compareCommand)
      .command(helpCommand(COMMAND_NAMES, (path) => main([...path, '--help'])))
      .completion('completion', 'print a shell completion script (bash, zsh): livesim completion >> ~/.bashrc')
      .option('color', {
        choices: COLOR_MODES,
        default: 'auto',
        global: true,
        describe: 'colour: auto (a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), always or never',
      })
      .option('quiet', { alias: 'q', type: 'boolean', global: true, describe: 'no progress bars or notes on stderr (errors still print)' })
      .middleware(applyGlobalFlags as unknown as (argv: object) => void, true)
      .demandCommand(1, `name a command (${COMMAND_NAMES.join(', ')}; livesim --help describes them)`)
      .strict()
      .recommendCommands()
      .fail((msg, err) => {
        // yargs' own parse errors (a flag without its value) arrive as a YError: bad input, not a bug.
        if (err !== undefined && err !== null && err.name !== 'YError') throw err;
        usageError(rewriteYargsMessage(msg ?? err?.message ?? 'bad arguments', { args, commands: COMMAND_NAMES, subcommands: { sweep: ['merge'] } }));
      })
      .help()
      .alias('help', 'h')
      .wrap(Math.min(120, process.stdout.columns ?? 100))
      .epilog('Docs: README.md and docs/ · every number replays from its seed')
      .parseAsync();
  } catch (e) {
    if (e instanceof InputError) usageError(e.message);
    exitFor(e); // exit 2 or 3 with one line for a file-system failure, else 1 (cli/failure.ts)
  }
};
