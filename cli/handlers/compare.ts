import { compareChart } from '../../src/compare/chart.js';
import { compareRegistries, DEFAULT_COMPARE_RUNS } from '../../src/compare/compare.js';
import { formatCompareText } from '../../src/compare/text.js';
import { MODELS } from '../../src/models/registry.js';
import { InputError } from '../../src/scenario/input-error.js';
import { writeChart } from '../chart-file.js';
import { type ScenarioFlags, scenarioInput } from '../scenario-input.js';
import { styleFor } from '../style.js';
import { wholeFlag as whole } from '../whole-flag.js';

export interface CompareFlags extends Omit<ScenarioFlags, 'model'> {
  readonly models?: string;
  readonly runs?: number | string;
  readonly json?: boolean;
  readonly chart?: string;
}

/** `livesim compare` (flags: cli/commands/compare.ts). */
export const compareHandler = async (argv: CompareFlags): Promise<void> => {
  if (Array.isArray(argv.models)) throw new InputError('--models given more than once (give one comma-separated list)');
  // The scenario flags are checked as for any model; compare then sets each model in turn.
  const base = scenarioInput({ ...argv, model: (MODELS[0] as { id: string }).id });
  const models = argv.models === undefined ? undefined : argv.models.split(',').map((m) => m.trim());
  const report = compareRegistries({ base, ...(models === undefined ? {} : { models }), runs: whole('runs', argv.runs) ?? DEFAULT_COMPARE_RUNS });
  if (argv.chart !== undefined) await writeChart(argv.chart, compareChart(report, `compare · ${report.faults.join(' ')} · ${report.network}`));
  if (argv.json === true) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const c = styleFor(process.stdout);
  process.stdout.write(formatCompareText(report, { bold: (s) => c.bold(s), dim: (s) => c.dim(s) }));
};
