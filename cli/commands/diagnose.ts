import type { Argv } from 'yargs';
import { SYMPTOMS, type Symptom } from '../../src/diagnose/cause.js';
import { diagnose } from '../../src/diagnose/diagnose.js';
import { formatDiagnosisText } from '../format/diagnose-text.js';
import { type ScenarioFlags, scenarioInput } from '../scenario-input.js';
import { styleFor } from '../style.js';
import { scenarioOptions } from './run.js';

export const diagnoseCommand = {
  command: 'diagnose',
  describe: '"my instance was not taken offline": which causes reproduce it under your settings, and which change fixes each',
  builder: (y: Argv) =>
    scenarioOptions(y)
      .option('symptom', { choices: SYMPTOMS, default: 'never-removed' as Symptom, describe: 'what you observed' })
      .option('json', { type: 'boolean', describe: 'print the diagnosis as one JSON object' })
      .example('livesim diagnose --model nacos-v1 --set ephemeral=false', 'names the persistent instance as the cause'),
  handler: (argv: ScenarioFlags & { symptom: Symptom; json?: boolean }) => {
    const d = diagnose(scenarioInput(argv), argv.symptom);
    if (argv.json === true) process.stdout.write(`${JSON.stringify(d)}\n`);
    else process.stdout.write(formatDiagnosisText(d, styleFor(process.stdout)));
  },
};
