import { z } from 'zod';
import { MODELS } from '../models/registry.js';
import { didYouMean } from './closest.js';
import { InputError } from './input-error.js';

/** Documented resource limits: past them a run is refused with a clear message, not attempted. */
export const LIMITS = {
  maxClients: 100_000,
  maxSubscribers: 1_000,
  maxServers: 9,
  maxSeed: 2 ** 32 - 1,
  maxFaults: 32,
  maxEvents: 500_000_000,
  /** Largest scenario file read (a FIFO, a device or a huge file is refused, not read). */
  maxScenarioBytes: 1_048_576,
} as const;

const setting = z.union([z.string(), z.number(), z.boolean()]);

/**
 * A scenario file: the same settings as the `run` flags (flags override the file). Printed as
 * JSON Schema by `livesim schema` so that editors can complete and check scenario files.
 */
export const ScenarioFileSchema = z
  .object({
    $schema: z.string().optional().describe('JSON Schema reference, ignored'),
    model: z.enum(MODELS.map((m) => m.id) as [string, ...string[]]).describe('protocol model'),
    seed: z.number().int().min(0).max(LIMITS.maxSeed).optional().describe('run seed (default 1)'),
    until: z.union([z.string(), z.number()]).optional().describe('horizon: a duration such as "10m" or a number of ms (default 10m)'),
    clients: z.number().int().min(1).max(LIMITS.maxClients).optional().describe('clients c1..cN, each with one instance (default 1)'),
    subscribers: z.number().int().min(0).max(LIMITS.maxSubscribers).optional().describe('consumers sub1..subN (default 1)'),
    servers: z.number().int().min(1).max(LIMITS.maxServers).optional().describe('servers s1..sN (default 1)'),
    clientVersion: z.string().optional().describe('Nacos client release, e.g. "1.4.8"'),
    serverVersion: z.string().optional().describe('Nacos server release, e.g. "1.4.8"'),
    network: z.string().optional().describe('network preset: lan, cross-az, cross-region, lossy-wifi, gc-heavy (default lan); net.* settings override it'),
    proxy: z.string().optional().describe('a proxy in front of the servers (nacos-v2): nginx-stream, nlb (default none); the same as set sim.proxy'),
    clientSdk: z.string().optional().describe("the providers' client library (nacos-v2): java, go (default java); the same as set sim.client.sdk"),
    consumerSdk: z.string().optional().describe("the consumers' client library (nacos-v2): java, go (default java); the same as set sim.consumer.sdk"),
    consumerFramework: z
      .string()
      .optional()
      .describe('what the subscribers route by: none, spring-cloud-loadbalancer, ribbon, dubbo (default none); the same as set sim.consumer.framework'),
    set: z.record(z.string(), setting).optional().describe('settings by Nacos key (see `livesim models`)'),
    faults: z.array(z.string()).max(LIMITS.maxFaults).optional().describe('faults in the DSL, e.g. "cut@60s"'),
  })
  .strict();

export type ScenarioFile = z.infer<typeof ScenarioFileSchema>;

/** Whole-number fields and their accepted ranges, for messages that say what is accepted. */
const WHOLE: Readonly<Record<string, readonly [number, number]>> = {
  seed: [0, LIMITS.maxSeed],
  clients: [1, LIMITS.maxClients],
  subscribers: [0, LIMITS.maxSubscribers],
  servers: [1, LIMITS.maxServers],
};
const FLAG_NAMES: Readonly<Record<string, string>> = {
  faults: '--fault',
  clientVersion: '--client-version',
  serverVersion: '--server-version',
  proxy: '--proxy',
  consumerFramework: '--consumer-framework',
  clientSdk: '--client-sdk',
  consumerSdk: '--consumer-sdk',
};

/** A short, safe rendering of a bad value (never JSON.stringify: a deeply nested value would overflow the stack). */
const shown = (v: unknown): string => {
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  const s = typeof v === 'string' ? `'${v}'` : String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

const issueText = (issue: z.core.$ZodIssue, path: readonly string[], value: unknown): string => {
  const top = path[0];
  if (top === 'model' && path.length === 1) {
    const ids = MODELS.map((m) => m.id).join(', ');
    return value === undefined
      ? `a model is required (accepted: ${ids})`
      : `unknown model ${shown(value)}${
          typeof value === 'string'
            ? didYouMean(
                value,
                MODELS.map((m) => m.id),
              )
            : ''
        } (accepted: ${ids})`;
  }
  const range = top === undefined || path.length > 1 ? undefined : WHOLE[top];
  if (range !== undefined) return `${shown(value)} is not a whole number from ${range[0]} to ${range[1]}`;
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => shown(k)).join(', ');
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys} (accepted: ${Object.keys(ScenarioFileSchema.shape).join(', ')})`;
  }
  if (top === 'faults' && issue.code === 'too_big') return `at most ${LIMITS.maxFaults} faults`;
  if (top === 'set' && path.length === 2) return `${shown(value)} is not accepted (expected a string, number or boolean)`;
  return path.length === 0 ? issue.message : `${issue.message} (got ${shown(value)})`;
};

/** Validates parsed JSON; the first problem becomes one line naming where it is and what is accepted. */
export const parseScenarioFile = (json: unknown, source: string): ScenarioFile => {
  const r = ScenarioFileSchema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue === undefined) throw new InputError(`${source}: invalid scenario`);
  const path = issue.path.map(String);
  const value = path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), json);
  const top = path[0];
  let where = source;
  if (top !== undefined) where = source === 'flags' ? [FLAG_NAMES[top] ?? `--${top}`, ...path.slice(1)].join(' ') : `${source} at ${path.join('.')}`;
  throw new InputError(`${where}: ${issueText(issue, path, value)}`);
};

export const scenarioJsonSchema = (): unknown => z.toJSONSchema(ScenarioFileSchema);
