import { scenarioJsonSchema } from '../../src/scenario/scenario.js';

export const schemaCommand = {
  command: 'schema',
  describe: 'print the JSON Schema of scenario files (for editors; run accepts --scenario FILE.json)',
  handler: () => {
    process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  },
};
