import type { Argv } from 'yargs';
import { SYMPTOMS, type Symptom } from '../../src/diagnose/cause.js';
import type { DiagnoseFlags } from '../handlers/diagnose.js';
import { scenarioOptions } from './run.js';

export const diagnoseCommand = {
  command: 'diagnose',
  describe: '"my instance was not taken offline": which causes reproduce it under your settings, and which change fixes each',
  builder: (y: Argv) =>
    scenarioOptions(y)
      .option('symptom', { choices: SYMPTOMS, default: 'never-removed' as Symptom, describe: 'what you observed' })
      .option('json', { type: 'boolean', describe: 'print the diagnosis as one JSON object' })
      .option('chart', {
        type: 'string',
        requiresArg: true,
        describe: 'also write a chart of the remedies (detection, false removals) to FILE (.svg; .json for the Vega-Lite spec)',
      })
      .example('livesim diagnose --model nacos-v1 --set ephemeral=false', 'names the persistent instance as the cause')
      .example(
        'livesim diagnose --model nacos-v2 --server-version 2.2.3 --chart remedies.svg',
        'when it is removed, every remedy simulated, and a chart of them',
      ),
  handler: async (argv: DiagnoseFlags): Promise<void> => (await import('../handlers/diagnose.js')).diagnoseHandler(argv),
};
