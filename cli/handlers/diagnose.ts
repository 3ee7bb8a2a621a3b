import type { Symptom } from '../../src/diagnose/cause.js';
import { diagnose } from '../../src/diagnose/diagnose.js';
import { formatDiagnosisText } from '../format/diagnose-text.js';
import { type ScenarioFlags, scenarioInput } from '../scenario-input.js';
import { styleFor } from '../style.js';

export interface DiagnoseFlags extends ScenarioFlags {
  readonly symptom: Symptom;
  readonly json?: boolean;
}

/** `livesim diagnose` (flags: cli/commands/diagnose.ts). */
export const diagnoseHandler = (argv: DiagnoseFlags): void => {
  const d = diagnose(scenarioInput(argv), argv.symptom);
  if (argv.json === true) process.stdout.write(`${JSON.stringify(d)}\n`);
  else process.stdout.write(formatDiagnosisText(d, styleFor(process.stdout)));
};
