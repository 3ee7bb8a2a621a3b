/**
 * The arguments this run of livesim was given, as typed: to tell whether a flag was given before
 * yargs has parsed (a scenario file may supply `--model`), and to print a command that continues
 * an interrupted one.
 */
let args: readonly string[] = [];

export const setCommandLine = (given: readonly string[]): void => {
  args = given;
};

/** Whether `--NAME` (or `--NAME=…`) was typed before any `--`. */
export const flagGiven = (name: string): boolean => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
};

const quote = (s: string): string => (/^[\w.,:@/=+%-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

/** `livesim ARGS…` with `drop` flags (booleans) left out and `add` appended, quoted for a POSIX shell. */
export const commandWith = (opts: { drop?: readonly string[]; add?: readonly string[] } = {}): string => {
  const drop = new Set((opts.drop ?? []).map((d) => `--${d}`));
  const kept = args.filter((a) => !drop.has(a) && ![...drop].some((d) => a.startsWith(`${d}=`)));
  return ['livesim', ...kept, ...(opts.add ?? [])].map(quote).join(' ');
};
