import { type BoundOptions, boundReport } from '../../src/bound/report.js';
import { InputError } from '../../src/scenario/input-error.js';
import { formatBoundText } from '../format/bound-text.js';
import { type ScenarioFlags, scenarioInput } from '../scenario-input.js';
import { isQuiet, styleFor } from '../style.js';

export interface BoundFlags extends ScenarioFlags {
  readonly json?: boolean;
  readonly space?: readonly string[];
  readonly metric?: string;
  readonly seeds?: number;
  readonly grid?: number;
}

/** `livesim bound` (flags: cli/commands/bound.ts). */
export const boundHandler = (argv: BoundFlags): void => {
  for (const [flag, v] of [
    ['seeds', argv.seeds],
    ['grid', argv.grid],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1 && v <= 1000)) throw new InputError(`--${flag} must be a whole number from 1 to 1000`);
  }
  const opts: BoundOptions = { metric: argv.metric, seeds: argv.seeds, grid: argv.grid, space: argv.space };
  // The search takes a second or more: say so on a terminal (stderr, erased when done).
  const tty = process.stderr.isTTY === true && !isQuiet();
  if (tty) process.stderr.write('livesim bound: searching the timer grid and climbing…');
  const report = boundReport(scenarioInput(argv), opts);
  if (tty) process.stderr.write('\r\x1b[K');
  if (argv.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(formatBoundText(report, styleFor(process.stdout)));
};
