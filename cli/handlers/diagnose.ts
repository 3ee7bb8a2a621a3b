import type { Symptom } from '../../src/diagnose/cause.js';
import { remedyChart } from '../../src/diagnose/chart.js';
import { diagnose } from '../../src/diagnose/diagnose.js';
import { diagnoseRemedies } from '../../src/diagnose/diagnose-remedies.js';
import { formatVersion } from '../../src/models/version.js';
import { resolveScenario } from '../../src/scenario/run.js';
import { writeChart } from '../chart-file.js';
import { formatDiagnosisText } from '../format/diagnose-text.js';
import { type ScenarioFlags, scenarioInput } from '../scenario-input.js';
import { styleFor } from '../style.js';

export interface DiagnoseFlags extends ScenarioFlags {
  readonly symptom: Symptom;
  readonly json?: boolean;
  readonly chart?: string;
}

/** `livesim diagnose` (flags: cli/commands/diagnose.ts). */
export const diagnoseHandler = async (argv: DiagnoseFlags): Promise<void> => {
  const input = scenarioInput(argv);
  const sc = resolveScenario(input);
  const { answered, ...d } = diagnose(input, argv.symptom);
  // In this thread: some forty short runs, each worker would first load the simulator (measured on
  // 2.2.3: 1.2 s inline once warm, 5.9-7.8 s on a two-worker pool with the machine loaded).
  const remedies = await diagnoseRemedies(input, { workers: 1, ...(answered === undefined ? {} : { yours: answered }) });
  if (argv.chart !== undefined) await writeChart(argv.chart, remedyChart(remedies, `${sc.model.id} ${formatVersion(sc.serverVersion)}: remedies`));
  if (argv.json === true) process.stdout.write(`${JSON.stringify({ ...d, remedies })}\n`);
  else
    process.stdout.write(
      formatDiagnosisText(d, styleFor(process.stdout), remedies, { server: formatVersion(sc.serverVersion), client: formatVersion(sc.clientVersion) }),
    );
};
