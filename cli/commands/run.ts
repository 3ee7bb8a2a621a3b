import type { Argv } from 'yargs';
import { flagGiven } from '../command-line.js';
import type { RunFlags } from '../handlers/run.js';
import { MAX_MEMORY_OPTION } from '../limit-option.js';

/** The models' ids, for `--help` and "did you mean" before the registry loads; test/cli-conventions.test.ts checks them against src/models/registry.ts. */
export const MODEL_IDS: readonly string[] = ['nacos-v1', 'nacos-v2', 'eureka', 'zookeeper', 'consul', 'etcd', 'kubernetes'];

/**
 * A whole number, shown as `[number]` in --help but handed to the handler as typed, so that
 * nothing is silently coerced ('' → 0, 0x10 → 16): yargs-parser keeps a string flag's text, and
 * yargs labels an option that is both string and number `[number]`.
 */
export const WHOLE = { type: 'string', number: true, requiresArg: true } as const;

export const scenarioOptions = <T>(y: Argv<T>) =>
  y
    .option('model', {
      type: 'string',
      requiresArg: true,
      choices: MODEL_IDS,
      describe: 'protocol model (or `model` in --scenario FILE.json)',
      // Required unless a scenario file may name it (then src/scenario checks that it does).
      demandOption: flagGiven('scenario') ? false : `accepted: ${MODEL_IDS.join(', ')}; or give it in --scenario FILE.json`,
    })
    .option('set', {
      type: 'string',
      array: true,
      requiresArg: true,
      describe: 'KEY=VALUE with a Nacos key, e.g. preserved.ip.delete.timeout=60s (repeatable; see `livesim models`)',
    })
    .option('fault', {
      type: 'string',
      array: true,
      requiresArg: true,
      describe:
        'fault in the DSL, e.g. cut@60s, cut@60s-90s, oneway:c2s@60s, rst@60s, crash@60s, pause@60s-75s, loss:0.2@60s-120s, delay:800ms@60s, flap:2s/8s@60s-300s, nat-idle:350s (repeatable)',
    })
    .option('until', { type: 'string', requiresArg: true, describe: 'horizon (simulated time), e.g. 5m', defaultDescription: '10m' })
    .option('seed', { ...WHOLE, describe: 'run seed: same seed and inputs give the same bytes', defaultDescription: '1' })
    .option('clients', { ...WHOLE, describe: 'clients c1..cN, each with one instance (metrics follow c1)', defaultDescription: '1' })
    .option('subscribers', { ...WHOLE, describe: 'consumers sub1..subN of the service', defaultDescription: '1' })
    .option('servers', { ...WHOLE, describe: 'Nacos servers s1..sN', defaultDescription: '1' })
    .option('client-version', { type: 'string', requiresArg: true, describe: 'Nacos client release, e.g. 1.4.1', defaultDescription: 'the model default' })
    .option('server-version', { type: 'string', requiresArg: true, describe: 'Nacos server release', defaultDescription: 'the model default' })
    .option('network', {
      type: 'string',
      requiresArg: true,
      describe: 'network preset: lan, cross-az, cross-region, lossy-wifi, gc-heavy (net.* settings override it)',
      defaultDescription: 'lan',
    })
    .option('proxy', {
      type: 'string',
      requiresArg: true,
      describe: 'nacos-v2: an L4 proxy host `proxy` in front of the server: nginx-stream|nlb (faults: cut:c1-proxy, cut:proxy-s1)',
      defaultDescription: 'none',
    })
    .option('consumer-framework', {
      type: 'string',
      requiresArg: true,
      choices: ['none', 'spring-cloud-loadbalancer', 'ribbon', 'dubbo'],
      describe: "what the subscribers route by, on top of the Nacos client's cache (consumers-still-call then measures it)",
      defaultDescription: 'none',
    })
    .option('client-sdk', {
      type: 'string',
      requiresArg: true,
      choices: ['java', 'go'],
      describe: "nacos-v2: the providers' client library (go: nacos-sdk-go v2, --client-version then names its release)",
      defaultDescription: 'java',
    })
    .option('consumer-sdk', {
      type: 'string',
      requiresArg: true,
      choices: ['java', 'go'],
      describe: "nacos-v2: the consumers' client library (go: nacos-sdk-go v2, keeps the last non-empty list unless go.ClientConfig.UpdateCacheWhenEmpty)",
      defaultDescription: 'java',
    })
    .option('scenario', { type: 'string', requiresArg: true, describe: 'scenario file (JSON, see `livesim schema`); flags override it' });

export const runCommand = {
  command: 'run',
  describe: 'simulate one scenario and show when the server and the consumers notice the fault',
  builder: (y: Argv) =>
    scenarioOptions(y)
      .option('json', { type: 'boolean', describe: 'print exactly one JSON object (the result contract) on stdout' })
      .option('max-memory', MAX_MEMORY_OPTION)
      .option('trace', { type: 'boolean', describe: 'print every trace event, one per line' })
      .option('check-determinism', { type: 'boolean', describe: 'run twice and report the first divergent event (exit 1 if any)' })
      .option('step-all', {
        type: 'boolean',
        describe: 'step every client through the event kernel, none quietly: slower, the same result byte for byte (a check of quiet stepping)',
      })
      .option('html', {
        type: 'string',
        requiresArg: true,
        describe: 'also write FILE: one self-contained HTML page with the message diagram and state lanes (opens offline)',
      })
      .option('follow', { type: 'string', array: true, requiresArg: true, describe: 'with --html: clients drawn besides c1, e.g. c7 (repeatable or c7,c8)' })
      .conflicts('json', 'trace')
      .conflicts('html', 'trace')
      .implies('follow', 'html')
      .example('livesim run --model nacos-v1 --fault cut@60s --until 5m', 'network cut at 60 s: when is the instance removed?')
      .example('livesim run --model nacos-v1 --set ephemeral=false --fault cut@60s --json', 'a persistent instance is never removed')
      .example('livesim run --model nacos-v2 --server-version 2.2.3 --fault oneway:s2c@60s --html run.html', 'the run as a sequence diagram in one HTML file')
      .example('livesim run --model nacos-v2 --server-version 2.2.3 --fault cut@60s --until 1h', 'half-open gRPC connection on 2.2.x: never removed (#10773)'),
  // The implementation (zod, the models, the kernel) loads only when the command runs.
  handler: async (argv: RunFlags): Promise<void> => (await import('../handlers/run.js')).runHandler(argv),
};
