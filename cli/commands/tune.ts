import type { Argv } from 'yargs';
import type { TuneFlags } from '../handlers/tune.js';
import { MAX_MEMORY_OPTION } from '../limit-option.js';
import { scenarioOptions, WHOLE } from './run.js';

export const tuneCommand = {
  command: 'tune',
  describe: 'search the liveness settings for the cheapest that meet a p99 detection target and a false-removal target (exit 1 if none does)',
  builder: (y: Argv) =>
    scenarioOptions(y)
      .option('fault', {
        type: 'string',
        array: true,
        requiresArg: true,
        describe:
          'fault the detection target is measured under; without @START, e.g. --fault crash, its onset is drawn per seed over one timer period, the same for every point',
        defaultDescription: 'cut (nacos-v2: a half-open connection)',
      })
      .option('target-detection', {
        type: 'string',
        requiresArg: true,
        demandOption: 'e.g. --target-detection 20s',
        describe: 'p99 detection time to meet under the fault, e.g. 20s (bare number = ms)',
      })
      .option('max-false-removal-rate', {
        type: 'string',
        requiresArg: true,
        demandOption: 'e.g. --max-false-removal-rate 1%',
        describe: 'largest share of fault-free runs in which a live instance is removed, e.g. 0.01 or 1%',
      })
      .option('detection', {
        type: 'string',
        requiresArg: true,
        describe:
          'which detection the target is about: server (registry removes the instance), subscriber (consumers stop seeing it), client (nacos-v2: the client drops its connection)',
        defaultDescription: 'server, or the first the model records',
      })
      .option('load', {
        type: 'string',
        requiresArg: true,
        describe:
          'load to minimise, per second at the server in fault-free runs: messages (protocol messages) or datagrams (every packet, incl. TCP and HTTP/2 PINGs)',
        defaultDescription: 'messages',
      })
      .option('space', {
        type: 'string',
        array: true,
        requiresArg: true,
        describe: 'KEY=SPEC replacing the grid of a setting (a,b,c | 1s..10s:1s | log:100ms..60s:12), or adding one; --set KEY=V fixes it instead',
      })
      .option('runs', { ...WHOLE, describe: 'seeds per point, under the fault and fault-free', defaultDescription: '30' })
      .option('workers', {
        ...WHOLE,
        describe: 'worker threads (the result does not depend on it)',
        defaultDescription: 'the number of cores',
      })
      .option('top', { ...WHOLE, describe: 'runners-up to list', defaultDescription: '5' })
      .option('max-memory', MAX_MEMORY_OPTION)
      .option('json', { type: 'boolean', describe: 'print one JSON object: recommendation, runnersUp, nearest, defaults, pareto, candidates' })
      .example(
        'livesim tune --model nacos-v1 --target-detection 20s --max-false-removal-rate 1% --network lossy-wifi',
        'beat interval, beat timeout and delete timeout for a 20 s p99 removal on a lossy network',
      )
      .example(
        'livesim tune --model nacos-v2 --detection client --target-detection 10s --max-false-removal-rate 0.001 --network cross-region',
        'health timeout / retry / keep-alive for a half-open connection across regions',
      ),
  handler: async (argv: TuneFlags): Promise<void> => (await import('../handlers/tune.js')).tuneHandler(argv),
};
