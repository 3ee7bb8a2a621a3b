import { readFileSync, statSync } from 'node:fs';
import { MODELS } from '../src/models/registry.js';
import { InputError } from '../src/scenario/input-error.js';
import { LIMITS, parseScenarioFile, type ScenarioFile } from '../src/scenario/scenario.js';
import { checkJsonKeys } from './scenario-json.js';

/** The scenario flags shared by run (and later sweep, bound, diagnose). */
export interface ScenarioFlags {
  readonly model?: string;
  readonly scenario?: string;
  readonly network?: string;
  readonly set?: readonly (string | number)[];
  readonly fault?: readonly (string | number)[];
  readonly until?: string | number;
  /** Whole numbers; the CLI passes the text as typed so that nothing is silently coerced ('' → 0, 0x10 → 16). */
  readonly seed?: number | string;
  readonly clients?: number | string;
  readonly subscribers?: number | string;
  readonly servers?: number | string;
  readonly 'client-version'?: string;
  readonly 'server-version'?: string;
  readonly proxy?: string;
  readonly 'consumer-framework'?: string;
  readonly 'client-sdk'?: string;
  readonly 'consumer-sdk'?: string;
}

const readScenarioFile = (path: string): ScenarioFile => {
  let bytes: Buffer;
  try {
    // Never block on a FIFO or a device, never read a huge file into memory.
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(`--scenario ${path}: not a regular file`);
    if (st.size > LIMITS.maxScenarioBytes) throw new InputError(`--scenario ${path}: larger than ${LIMITS.maxScenarioBytes} bytes`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`--scenario ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`--scenario ${path}: not UTF-8 text`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not Node's message: it quotes the file's first bytes (`"root:x:0:0"...` for /etc/passwd).
    throw new InputError(`--scenario ${path}: not JSON (a scenario file is one JSON object; \`livesim schema\` describes it)`);
  }
  const file = parseScenarioFile(json, `--scenario ${path}`);
  // After the schema: it bounds the nesting the key walk recurses through (a 20 000-deep array is refused first).
  checkJsonKeys(text, `--scenario ${path}`);
  return file;
};

const parseSets = (sets: readonly (string | number)[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const raw of sets) {
    const text = String(raw);
    const eq = text.indexOf('=');
    if (eq <= 0) throw new InputError(`--set '${text}': expected KEY=VALUE, e.g. --set preserved.ip.delete.timeout=60s`);
    const key = text.slice(0, eq).trim();
    // Assigning '__proto__' would set the object's prototype, and the setting would vanish.
    if (key === '__proto__') throw new InputError(`--set '${text}': '__proto__' is not a setting ('livesim models' lists every key)`);
    out[key] = text.slice(eq + 1).trim();
  }
  return out;
};

const whole = (flag: string, v: number | string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v === 'string' ? !/^-?\d+$/.test(v) : !Number.isInteger(v)) throw new InputError(`--${flag} '${v}': expected a whole number`);
  return Number(v);
};

const SINGLE_FLAGS = [
  'model',
  'scenario',
  'until',
  'seed',
  'clients',
  'subscribers',
  'servers',
  'client-version',
  'server-version',
  'network',
  'proxy',
  'consumer-framework',
  'client-sdk',
  'consumer-sdk',
] as const;

/** A scenario file (if any) with the flags laid over it; flags win, `--set` merges key by key. */
export const scenarioInput = (flags: ScenarioFlags): ScenarioFile => {
  for (const name of SINGLE_FLAGS) if (Array.isArray(flags[name])) throw new InputError(`--${name} given more than once (give it once)`);
  const file: Partial<ScenarioFile> = flags.scenario === undefined ? {} : readScenarioFile(flags.scenario);
  const model = flags.model ?? file.model;
  if (model === undefined) throw new InputError(`--model is required (accepted: ${MODELS.map((m) => m.id).join(', ')}), or give it in --scenario FILE.json`);
  const merged: Record<string, unknown> = {
    ...file,
    model,
    set: { ...(file.set ?? {}), ...parseSets(flags.set ?? []) },
    faults: flags.fault !== undefined && flags.fault.length > 0 ? flags.fault.map(String) : file.faults,
  };
  const overrides: [string, unknown][] = [
    ['until', flags.until],
    ['network', flags.network],
    ['seed', whole('seed', flags.seed)],
    ['clients', whole('clients', flags.clients)],
    ['subscribers', whole('subscribers', flags.subscribers)],
    ['servers', whole('servers', flags.servers)],
    ['clientVersion', flags['client-version']],
    ['serverVersion', flags['server-version']],
    ['proxy', flags.proxy],
    ['consumerFramework', flags['consumer-framework']],
    ['clientSdk', flags['client-sdk']],
    ['consumerSdk', flags['consumer-sdk']],
  ];
  for (const [k, v] of overrides) if (v !== undefined) merged[k] = v;
  return parseScenarioFile(merged, 'flags');
};
