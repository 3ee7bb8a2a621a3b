/**
 * One tunable or constant of a model, as a row of its table of defaults: the real Nacos key
 * (or a livesim `net.*` / `sim.*` key), its default, its legal range, and the Nacos source file
 * the default comes from. Durations are held in milliseconds, as Nacos holds them.
 */
export type KnobValue = number | boolean | string;

interface KnobBase {
  /** The Nacos configuration key, instance metadata key or switch name; livesim's own under net./sim. */
  readonly key: string;
  readonly aliases?: readonly string[];
  readonly description: string;
  /** Where in github:alibaba/nacos (or which reference) the default comes from. */
  readonly source: string;
}

export type Knob =
  /** A duration in ms; `default: 'auto'` means the knob also accepts `auto` (the model decides). */
  | (KnobBase & { readonly type: 'duration'; readonly default: number | 'auto'; readonly minMs?: number; readonly maxMs?: number })
  | (KnobBase & { readonly type: 'number'; readonly default: number; readonly min?: number; readonly max?: number; readonly integer?: boolean })
  | (KnobBase & { readonly type: 'boolean'; readonly default: boolean })
  | (KnobBase & { readonly type: 'enum'; readonly default: string; readonly values: readonly string[] })
  | (KnobBase & { readonly type: 'text'; readonly default: string; readonly format: string });

/** A protocol constant that Nacos does not let anyone change: still one row with its source. */
export interface Constant {
  readonly name: string;
  readonly value: number;
  readonly unit: 'ms' | 'count' | 'ratio';
  readonly description: string;
  readonly source: string;
}

/** A fully resolved configuration: every knob's key with its value (durations in ms). */
export type Config = Readonly<Record<string, KnobValue>>;

export const num = (config: Config, key: string): number => {
  const v = config[key];
  if (typeof v !== 'number') throw new Error(`config ${key} is not a number`);
  return v;
};

export const bool = (config: Config, key: string): boolean => {
  const v = config[key];
  if (typeof v !== 'boolean') throw new Error(`config ${key} is not a boolean`);
  return v;
};

export const str = (config: Config, key: string): string => {
  const v = config[key];
  if (typeof v !== 'string') throw new Error(`config ${key} is not a string`);
  return v;
};
