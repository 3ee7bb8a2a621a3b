import fc from 'fast-check';
import { type ScenarioFlags, scenarioInput } from '../cli/scenario-input.js';
import { replayCommand } from '../src/scenario/replay.js';
import { resolveScenario, type Scenario } from '../src/scenario/run.js';

/**
 * Shared helpers of the property suites: one fixed seed for CI (PROPS_SEED, printed in every
 * suite title), a run count (PROPS_RUNS; `npm run props:deep` sets 10⁵), and failures that end
 * with the seed, the fast-check path, the shrunk counterexample and a one-line `livesim run …`.
 */
const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name}='${raw}': expected a whole number`);
  return n;
};

export const PROPS_SEED = envInt('PROPS_SEED', 424242);
const PROPS_RUNS_ENV = process.env.PROPS_RUNS === undefined ? null : envInt('PROPS_RUNS', 0);

/**
 * Cases for one suite: its CI default, or PROPS_RUNS when set. `cap` bounds suites whose single
 * case is itself a search of hundreds of runs (tightness), so a deep run stays finite.
 */
export const propsRuns = (ciDefault: number, cap = Number.POSITIVE_INFINITY): number => Math.max(1, Math.min(cap, PROPS_RUNS_ENV ?? ciDefault));

/** A suite title that names the seed and the run count, so a CI log says how to rerun it. */
export const suiteTitle = (claim: string, runs: number): string => `${claim} [PROPS_SEED=${PROPS_SEED} PROPS_RUNS=${runs}]`;

/** A failed claim about one simulated scenario: its message ends with the line that replays it. */
export class Violation extends Error {
  constructor(
    readonly claim: string,
    readonly replay: string,
  ) {
    super(`${claim}\n    replay: ${replay}`);
    this.name = 'Violation';
  }
}

export const replayLine = (sc: Scenario): string => replayCommand(sc);

/** Throws a Violation unless `ok`. */
export const claim = (ok: boolean, what: string, sc: Scenario): void => {
  if (!ok) throw new Violation(what, replayLine(sc));
};

export interface PropertyFailure {
  readonly message: string;
  readonly shrinks: number;
  readonly counterexample: unknown;
  readonly replay: string | null;
}

/** Runs a property with the suite seed; returns the failure (shrunk), or null when it holds. */
export const checkProperty = <T>(prop: fc.IProperty<T>, runs: number, params: fc.Parameters<T> = {}): PropertyFailure | null => {
  const details = fc.check(prop, { seed: PROPS_SEED, numRuns: runs, ...params });
  if (!details.failed) return null;
  const error = details.errorInstance;
  const replay = error instanceof Violation ? error.replay : null;
  const lines = [
    `property failed after ${details.numRuns} case(s), shrunk ${details.numShrinks} time(s)`,
    `  rerun: PROPS_SEED=${PROPS_SEED} (fast-check seed ${details.seed}, path "${details.counterexamplePath}")`,
    `  counterexample: ${fc.stringify(details.counterexample)}`,
    // A Violation's message ends with its replay line.
    `  ${error instanceof Error ? error.message : String(error)}`,
  ];
  return { message: lines.join('\n'), shrinks: details.numShrinks, counterexample: details.counterexample, replay };
};

/** Asserts a property: throws the formatted failure (counterexample and replay line). */
export const assertProperty = <T>(prop: fc.IProperty<T>, runs: number, params: fc.Parameters<T> = {}): void => {
  const failure = checkProperty(prop, runs, params);
  if (failure !== null) throw new Error(failure.message);
};

/** The same seed gives the same values: a sample drawn for a table-driven suite (tightness). */
export const sampleWithSeed = <T>(arb: fc.Arbitrary<T>, n: number): T[] => fc.sample(arb, { seed: PROPS_SEED, numRuns: n });

/**
 * The determinism claim shared by every model: three runs of each of three seeds give exactly
 * three trace hashes, one per seed. Returns a message when it does not hold, null when it does.
 */
export const threeSeedsThreeHashes = (
  scenarioFor: (seed: number) => Scenario,
  seeds: readonly [number, number, number],
  run: (sc: Scenario) => string,
): string | null => {
  const hashes = seeds.map((seed) => [0, 1, 2].map(() => run(scenarioFor(seed))));
  const perSeed = hashes.map((h) => new Set(h).size);
  const all = new Set(hashes.flat()).size;
  if (perSeed.some((n) => n !== 1)) return `the same seed gave ${Math.max(...perSeed)} different trace hashes`;
  if (all !== 3) return `3 seeds gave ${all} distinct trace hashes (expected 3)`;
  return null;
};

/** Splits a replay line the way a POSIX shell would (it only quotes with '…' and '\''). */
export const shellWords = (line: string): string[] => {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${line}`);
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (ch === ' ') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
};

/** The scenario a `livesim run …` replay line describes, through the CLI's own flag handling. */
export const scenarioFromReplay = (line: string, modelId?: string): Scenario => {
  const words = shellWords(line);
  if (words[0] !== 'livesim' || words[1] !== 'run') throw new Error(`not a livesim run line: ${line}`);
  const flags: Record<string, string | number | string[]> = {};
  for (let i = 2; i < words.length; i += 2) {
    const name = (words[i] as string).replace(/^--/, '');
    const value = words[i + 1] as string;
    if (name === 'set' || name === 'fault') flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
    else flags[name] = ['seed', 'clients', 'subscribers', 'servers'].includes(name) ? Number(value) : value;
  }
  if (modelId !== undefined) flags.model = modelId;
  return resolveScenario(scenarioInput(flags as ScenarioFlags));
};

/** A test timeout that grows with the case count, so `props:deep` is not cut off by vitest's default. */
export const timeoutFor = (runs: number, msPerCase: number): number => Math.max(120_000, Math.ceil(runs * msPerCase * 4));
