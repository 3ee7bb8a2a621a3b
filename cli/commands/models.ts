import type { Argv } from 'yargs';

export const modelsCommand = {
  command: 'models',
  describe: "list each model's settings (Nacos keys, defaults, sources), constants and version differences",
  builder: (y: Argv) => y.option('json', { type: 'boolean', describe: 'print the tables as one JSON object' }),
  handler: async (argv: { json?: boolean }): Promise<void> => (await import('../handlers/models.js')).modelsHandler(argv),
};
