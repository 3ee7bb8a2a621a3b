import type { Argv } from 'yargs';
import { didYouMean } from '../../src/scenario/closest.js';
import { InputError } from '../../src/scenario/input-error.js';

/** `livesim help [COMMAND…]`: the same text as `livesim [COMMAND…] --help` (kubectl, git and cargo answer both). */
export const helpCommand = (commands: readonly string[], showHelp: (path: readonly string[]) => Promise<void>) => ({
  command: 'help [command..]',
  describe: 'show the help of a command (the same as livesim COMMAND --help)',
  builder: (y: Argv) => y.positional('command', { type: 'string', array: true, describe: 'a command, e.g. run or sweep merge' }),
  handler: async (argv: { command?: readonly string[] }): Promise<void> => {
    const path = (argv.command ?? []).map(String);
    const first = path[0];
    if (first !== undefined && !commands.includes(first)) {
      throw new InputError(`help: unknown command '${first}'${didYouMean(first, commands)} (commands: ${commands.join(', ')})`);
    }
    await showHelp(path);
  },
});
