import type { Argv } from 'yargs';
import type { BoundFlags } from '../handlers/bound.js';
import { scenarioOptions } from './run.js';

export const boundCommand = {
  command: 'bound',
  describe: 'analytic bound on detection, the worst and best cases a targeted search finds (with replays), and how tight the bound is',
  // Async (yargs awaits it): the defaults live with the search, which loads only for this command.
  builder: async (y: Argv) => {
    const { DEFAULT_BOUND_OPTIONS } = await import('../../src/bound/report.js');
    return scenarioOptions(y)
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
      );
  },
  handler: async (argv: BoundFlags): Promise<void> => (await import('../handlers/bound.js')).boundHandler(argv),
};
