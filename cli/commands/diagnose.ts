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
      .example('livesim diagnose --model nacos-v1 --set ephemeral=false', 'names the persistent instance as the cause'),
  handler: async (argv: DiagnoseFlags): Promise<void> => (await import('../handlers/diagnose.js')).diagnoseHandler(argv),
};
