import { z } from 'zod';
import { MODELS } from '../models/registry.js';
import { InputError } from './input-error.js';

/** Documented resource limits: past them a run is refused with a clear message, not attempted. */
export const LIMITS = {
  maxClients: 100_000,
  maxSubscribers: 1_000,
  maxServers: 9,
  maxSeed: 2 ** 32 - 1,
  maxFaults: 32,
  maxEvents: 500_000_000,
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
    set: z.record(z.string(), setting).optional().describe('settings by Nacos key (see `livesim models`)'),
    faults: z.array(z.string()).max(LIMITS.maxFaults).optional().describe('faults in the DSL, e.g. "cut@60s"'),
  })
  .strict();

export type ScenarioFile = z.infer<typeof ScenarioFileSchema>;

/** Validates parsed JSON; the first problem becomes one line naming its path. */
export const parseScenarioFile = (json: unknown, source: string): ScenarioFile => {
  const r = ScenarioFileSchema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
  throw new InputError(`${source}${where}: ${issue?.message ?? 'invalid scenario'}`);
};

export const scenarioJsonSchema = (): unknown => z.toJSONSchema(ScenarioFileSchema);
