import type { Argv } from 'yargs';
import { type BoundOptions, boundReport, DEFAULT_BOUND_OPTIONS } from '../../src/bound/report.js';
import { InputError } from '../../src/scenario/input-error.js';
import { formatBoundText } from '../format/bound-text.js';
import { type ScenarioFlags, scenarioInput } from '../scenario-input.js';
import { styleFor } from '../style.js';
import { scenarioOptions } from './run.js';

interface BoundFlags extends ScenarioFlags {
  readonly json?: boolean;
  readonly space?: readonly string[];
  readonly metric?: string;
  readonly seeds?: number;
  readonly grid?: number;
}

export const boundCommand = {
  command: 'bound',
  describe: 'analytic bound on detection, the worst and best cases a targeted search finds (with replays), and how tight the bound is',
  builder: (y: Argv) =>
    scenarioOptions(y)
      .option('json', { type: 'boolean', describe: 'print one JSON object: bound.lowerMs, bound.upperMs (null = unbounded), worst, best, tightness' })
      .option('space', { type: 'string', array: true, describe: 'KEY=RANGE (a,b,c or FROM..TO:STEP): report the configuration with the largest worst case' })
      .option('metric', { type: 'string', describe: 'quantity to bound: detection, unhealthy or stale (nacos-v1)', defaultDescription: 'detection' })
      .option('seeds', { type: 'number', describe: 'latency draws (seeds) in the search space', default: DEFAULT_BOUND_OPTIONS.seeds })
      .option('grid', {
        type: 'number',
        describe: 'uniform points per timer dimension, added to the timer grid before the hill-climbs',
        default: DEFAULT_BOUND_OPTIONS.grid,
      })
      .example('livesim bound --model nacos-v1 --fault cut', 'onset and check phase searched: worst case ≈ 35 s + one-way latency')
      .example(
        'livesim bound --model nacos-v1 --fault cut --space preserved.ip.delete.timeout=30s..60s:10s',
        'which delete timeout has the largest worst case',
      ),
  handler: (argv: BoundFlags) => {
    for (const [flag, v] of [
      ['seeds', argv.seeds],
      ['grid', argv.grid],
    ] as const) {
      if (v !== undefined && !(Number.isInteger(v) && v >= 1 && v <= 1000)) throw new InputError(`--${flag} must be a whole number from 1 to 1000`);
    }
    const opts: BoundOptions = { metric: argv.metric, seeds: argv.seeds, grid: argv.grid, space: argv.space };
    // The search takes a second or more: say so on a terminal (stderr, erased when done).
    const tty = process.stderr.isTTY === true;
    if (tty) process.stderr.write('livesim bound: searching the timer grid and climbing…');
    const report = boundReport(scenarioInput(argv), opts);
    if (tty) process.stderr.write('\r\x1b[K');
    if (argv.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(formatBoundText(report, styleFor(process.stdout)));
  },
};
