import type { Argv } from 'yargs';
import type { CompareFlags } from '../handlers/compare.js';
import { WHOLE } from './run.js';

export const compareCommand = {
  command: 'compare',
  describe: 'run one scenario on every registry at its defaults and print detection, consumer staleness, false removals and load side by side',
  builder: (y: Argv) =>
    y
      .option('models', { type: 'string', requiresArg: true, describe: 'comma-separated model ids, in the order wanted', defaultDescription: 'every model' })
      .option('fault', {
        type: 'string',
        array: true,
        requiresArg: true,
        describe: 'fault in the DSL, e.g. cut@60s, oneway:c2s@60s, pause@60s-90s, flap:2s/8s@60s-300s (repeatable)',
      })
      .option('network', {
        type: 'string',
        requiresArg: true,
        describe: 'network preset: lan, cross-az, cross-region, lossy-wifi, gc-heavy',
        defaultDescription: 'lan',
      })
      .option('set', {
        type: 'string',
        array: true,
        requiresArg: true,
        describe: 'KEY=VALUE for every model that has the key (net.latency=…), or MODEL:KEY=VALUE for one (repeatable)',
      })
      .option('until', { type: 'string', requiresArg: true, describe: 'horizon (simulated time), e.g. 10m', defaultDescription: '10m' })
      .option('seed', { ...WHOLE, describe: 'first seed', defaultDescription: '1' })
      .option('runs', { ...WHOLE, describe: 'seeds per model', defaultDescription: '3' })
      .option('clients', { ...WHOLE, describe: 'clients c1..cN (metrics follow c1)', defaultDescription: '1' })
      .option('subscribers', { ...WHOLE, describe: 'consumers sub1..subN', defaultDescription: '1' })
      .option('servers', { ...WHOLE, describe: 'servers s1..sN (a model that simulates fewer is skipped)', defaultDescription: '1' })
      .option('json', { type: 'boolean', describe: 'print one JSON object: the scenario and one row per model' })
      .option('chart', {
        type: 'string',
        requiresArg: true,
        describe: 'also write a chart of detection and staleness per registry, with each analytic window, to FILE (.svg; .json for the Vega-Lite spec)',
      })
      .example('livesim compare --fault cut@60s', 'every registry under a blackholing cut at 60 s')
      .example('livesim compare --fault cut@60s --chart compare.svg', 'the same, with a chart of it')
      .example(
        'livesim compare --fault cut@60s --clients 20 --set eureka:eureka.server.enable-self-preservation=false',
        'a fleet, with one setting changed for one model',
      ),
  handler: async (argv: CompareFlags): Promise<void> => (await import('../handlers/compare.js')).compareHandler(argv),
};
