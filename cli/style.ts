import { Chalk, type ChalkInstance } from 'chalk';

/**
 * The terminal conventions every command shares: colour (`--color=auto|always|never`, NO_COLOR,
 * FORCE_COLOR) and `--quiet`. The global flags are applied once by a middleware (cli/app.ts)
 * before any handler runs; formatters ask `styleFor(stream)`, handlers print notes through `note`.
 */
export type ColorMode = 'auto' | 'always' | 'never';
export const COLOR_MODES: readonly ColorMode[] = ['auto', 'always', 'never'];

const state: { color: ColorMode; quiet: boolean } = { color: 'auto', quiet: false };

export const setTerminalOptions = (o: { color?: ColorMode; quiet?: boolean }): void => {
  state.color = o.color ?? 'auto';
  state.quiet = o.quiet === true;
};

/** chalk's level for FORCE_COLOR as supports-color reads it: '' / 'true' → 1, '0' / 'false' → 0, 1..3 as given. */
const forcedLevel = (v: string): 0 | 1 | 2 | 3 => {
  if (v === '' || v === 'true') return 1;
  if (v === 'false') return 0;
  const n = Number(v);
  return n === 0 ? 0 : n === 2 ? 2 : n >= 3 ? 3 : 1;
};

/**
 * The colour level for a stream. `--color=always|never` wins (the user said so on this command
 * line); `auto` honours NO_COLOR (https://no-color.org: set and not empty → off), then
 * FORCE_COLOR (https://force-color.org), then colours only a terminal.
 */
export const colorLevel = (stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env, mode: ColorMode = state.color): 0 | 1 | 2 | 3 => {
  if (mode === 'never') return 0;
  if (mode === 'always') return env.FORCE_COLOR !== undefined ? (Math.max(1, forcedLevel(env.FORCE_COLOR)) as 1 | 2 | 3) : 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined) return forcedLevel(env.FORCE_COLOR);
  return stream.isTTY === true ? 1 : 0;
};

export const styleFor = (stream: NodeJS.WriteStream): ChalkInstance => new Chalk({ level: colorLevel(stream) });

/** `--quiet`: no progress bars and no notes on stderr; errors (and the results on stdout) still print. */
export const isQuiet = (): boolean => state.quiet;

/** A note or warning for the user on stderr, unless `--quiet`. */
export const note = (line: string): void => {
  if (!state.quiet) process.stderr.write(`${line}\n`);
};
