import { FRAMEWORK_KEYS } from '../models/framework/defaults.js';
import type { Config } from '../models/knob.js';
import type { ModelDefinition } from '../models/model.js';
import { findModel, MODELS } from '../models/registry.js';
import { SDK_KEYS } from '../models/sdk/defaults.js';
import { compareVersions, parseVersion, type Version } from '../models/version.js';
import { type Fault, PROXY } from '../sim/faults.js';
import type { Micros } from '../sim/time.js';
import { resolveConfig, type SettingInput } from './config.js';
import { parseDuration } from './duration.js';
import { parseFault } from './fault-dsl.js';
import { InputError } from './input-error.js';
import { findNetworkPreset } from './network-presets.js';
import type { ScenarioFile } from './scenario.js';

/**
 * From what the user gave (a scenario file merged with flags) to a checked Scenario: defaults
 * filled in, settings resolved against the model's table, faults parsed and checked against the
 * hosts the run has, versions inside the model's range. run.ts runs it.
 */
/** A scenario with every default filled in and every value checked: what a run is a function of. */
export interface Scenario {
  readonly model: ModelDefinition;
  readonly seed: number;
  readonly untilUs: Micros;
  readonly clients: number;
  readonly subscribers: number;
  readonly servers: number;
  readonly clientVersion: Version;
  readonly serverVersion: Version;
  readonly config: Config;
  readonly faults: readonly Fault[];
}

export const DEFAULT_UNTIL = '10m';

/** Turns user input (a scenario file merged with flags) into a checked Scenario. */
export const resolveScenario = (input: ScenarioFile): Scenario => {
  const model = findModel(input.model);
  if (model === undefined) throw new InputError(`unknown model '${input.model}' (accepted: ${MODELS.map((m) => m.id).join(', ')})`);
  const untilUs = parseDuration(input.until ?? DEFAULT_UNTIL, 'until');
  if (untilUs === 0) throw new InputError('until: the horizon must be positive');
  const preset = input.network === undefined ? {} : findNetworkPreset(input.network).set;
  const config = resolveConfig(model, {
    ...preset,
    ...proxySetting(model, input.proxy),
    ...frameworkSetting(input.consumerFramework),
    ...(input.clientSdk === undefined ? {} : sdkSetting(model, SDK_KEYS.clientSdk, input.clientSdk)),
    ...(input.consumerSdk === undefined ? {} : sdkSetting(model, SDK_KEYS.consumerSdk, input.consumerSdk)),
    ...(input.set ?? {}),
  } as Record<string, SettingInput>);
  const faults = (input.faults ?? []).map(parseFault).sort((a, b) => a.startUs - b.startUs);
  checkProxy(config, faults, input.servers ?? 1);
  for (const f of faults) {
    if (!model.faultKinds.includes(f.kind))
      throw new InputError(`fault '${f.text}': ${model.id} does not model ${f.kind} (accepted: ${model.faultKinds.join(', ')})`);
  }
  checkFaultHosts(faults, { c: input.clients ?? 1, s: input.servers ?? 1, sub: input.subscribers ?? 1 });
  const maxServers = model.servers?.max;
  if (maxServers !== undefined && (input.servers ?? 1) > maxServers)
    throw new InputError(`--servers ${input.servers}: ${model.id} models at most ${maxServers} (${model.servers?.why})`);
  const clientVersion = version(model, input.clientVersion ?? model.defaultClientVersion?.(config), 'client');
  const serverVersion = version(model, input.serverVersion, 'server');
  const unsupported = model.validateRun?.(config, { client: clientVersion, server: serverVersion }, input.servers ?? 1) ?? null;
  if (unsupported !== null) throw new InputError(unsupported);
  return {
    model,
    seed: input.seed ?? 1,
    untilUs,
    clients: input.clients ?? 1,
    subscribers: input.subscribers ?? 1,
    servers: input.servers ?? 1,
    clientVersion,
    serverVersion,
    config,
    faults,
  };
};

/** `--proxy KIND` is the setting sim.proxy=KIND of the models that have one. */
const proxySetting = (model: ModelDefinition, proxy: string | undefined): Record<string, SettingInput> => {
  if (proxy === undefined) return {};
  if (!model.knobs.some((k) => k.key === PROXY_KEY))
    throw new InputError(`--proxy ${proxy}: ${model.id} has no proxy (nacos-v2 models one in front of its gRPC ports)`);
  return { [PROXY_KEY]: proxy };
};

/** `--client-sdk KIND` (`--consumer-sdk KIND`) is the setting sim.client.sdk (sim.consumer.sdk) of the models that have one. */
const sdkSetting = (model: ModelDefinition, key: string, sdk: string): Record<string, SettingInput> => {
  const flag = key === SDK_KEYS.clientSdk ? '--client-sdk' : '--consumer-sdk';
  if (!model.knobs.some((k) => k.key === key)) throw new InputError(`${flag} ${sdk}: ${model.id} models the Java client only (nacos-v2 models the Go SDK)`);
  return { [key]: sdk };
};

/** `--consumer-framework KIND` is the setting sim.consumer.framework=KIND (every Nacos model has it). */
const frameworkSetting = (framework: string | undefined): Record<string, SettingInput> =>
  framework === undefined ? {} : { [FRAMEWORK_KEYS.framework]: framework };

export const proxied = (config: Config): boolean => config[PROXY_KEY] !== undefined && config[PROXY_KEY] !== 'none';

/** A proxy stands in front of one server; faults may name its host only when it is there. */
const checkProxy = (config: Config, faults: readonly Fault[], servers: number): void => {
  if (proxied(config) && servers > 1)
    throw new InputError(`--proxy ${config[PROXY_KEY]}: a proxy is modelled in front of one server (got --servers ${servers})`);
  const named = faults.find((f) => f.hosts?.includes(PROXY) === true);
  if (named !== undefined && !proxied(config)) throw new InputError(`fault '${named.text}': no host proxy in this run (give --proxy nginx-stream|nlb)`);
};

/** livesim's key for a proxy in front of the servers (src/models/nacos-v2/proxy.ts). */
const PROXY_KEY = 'sim.proxy';
const SERVER_NAME = /^s\d+$/;
export const CLIENT_NAME = /^c\d+$/;
export const touchesRegistry = (f: Fault): boolean => f.hosts === undefined || f.hosts.some((h) => h === 'owner' || SERVER_NAME.test(h));

/** A fault may only name hosts the run has (c1…cN, s1…sN, sub1…subN; `owner` is resolved later). */
const checkFaultHosts = (faults: readonly Fault[], counts: Readonly<Record<string, number>>): void => {
  for (const f of faults) {
    const last = f.clients?.[1];
    if (last !== undefined && last > (counts.c ?? 0)) throw new InputError(`fault '${f.text}': no host c${last} in this run (it has c1…c${counts.c})`);
    for (const name of f.hosts ?? (f.target === undefined ? [] : [f.target])) {
      const m = /^(c|s|sub)(\d+)$/.exec(name);
      if (m === null) continue;
      const have = counts[m[1] as string] ?? 0;
      if (Number(m[2]) > have)
        throw new InputError(`fault '${f.text}': no host ${name} in this run (${have === 0 ? `no ${m[1]} hosts` : `it has ${m[1]}1…${m[1]}${have}`})`);
    }
  }
};

const version = (model: ModelDefinition, text: string | undefined, side: string): Version => {
  const v = parseVersion(text ?? model.defaultVersion);
  const range = side === 'server' ? (model.serverVersionRange ?? model.versionRange) : model.versionRange;
  const min = parseVersion(range.min) as Version;
  const max = parseVersion(range.max) as Version;
  if (v === null || compareVersions(v, min) < 0 || compareVersions(v, max) > 0) {
    throw new InputError(`--${side}-version '${text}': ${model.id} models ${side} releases ${range.min} to ${range.max}`);
  }
  return v;
};
