import { scenarioJsonSchema } from '../../src/scenario/scenario.js';

/** `livesim schema` (cli/commands/schema.ts). */
export const schemaHandler = (): void => {
  process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
};
