import { didYouMean } from '../src/scenario/closest.js';
import { InputError } from '../src/scenario/input-error.js';

/**
 * Checks a command line before yargs validates it, so that every mistake gets one line that
 * says what was wrong, what is accepted and, when something is near, what was meant: an unknown
 * flag (`--modle` → `--model`), a stray argument (`sweep merg` → `merge`), a value outside the
 * choices (all of them listed), a missing required flag. yargs' own checks (strict mode, choices,
 * demandOption) stay on behind it and find nothing left; they still mark `[required]` and
 * `[choices: …]` in `--help`. Runs as a yargs middleware before validation, in the context of
 * the command being run, so it sees exactly that command's flags.
 */

/** The slice of the yargs instance the checks read (yargs' public getOptions and getDemandedOptions, and its context). */
export interface OptionsView {
  getOptions(): {
    key: Record<string, unknown>;
    alias: Record<string, string[]>;
    choices: Record<string, readonly unknown[]>;
    hiddenOptions?: readonly string[];
  };
  getDemandedOptions(): Record<string, string | undefined>;
  getInternalMethods(): {
    getContext(): { commands: readonly string[] };
    getCommandInstance(): { getCommands(): readonly string[] };
    /** True once a command's handler (or help) has run: yargs then applies a parent command's middleware again, to nothing. */
    getHasOutput(): boolean;
  };
}

const camel = (s: string): string => s.replace(/-([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
const flag = (key: string): string => (key.length === 1 ? `-${key}` : `--${key}`);
const commandPath = (y: OptionsView): string => y.getInternalMethods().getContext().commands.join(' ');

const knownNames = (y: OptionsView): Set<string> => {
  const o = y.getOptions();
  const names = new Set<string>(['_', '$0']);
  for (const k of [...Object.keys(o.key), ...Object.keys(o.alias), ...Object.values(o.alias).flat()]) {
    names.add(k);
    names.add(camel(k));
  }
  return names;
};

/** Long flags a user may type here (what a suggestion may name). */
const visibleFlags = (y: OptionsView): string[] => {
  const o = y.getOptions();
  const hidden = new Set(o.hiddenOptions ?? []);
  return Object.keys(o.key).filter((k) => k.length > 1 && !hidden.has(k) && !k.startsWith('$'));
};

const unknownFlags = (argv: Record<string, unknown>, y: OptionsView): void => {
  const known = knownNames(y);
  const unknown = Object.keys(argv).filter((k) => !known.has(k));
  // yargs-parser adds a camelCase copy of every dashed name: report the name as typed.
  const typed = unknown.filter((k) => !unknown.some((other) => other !== k && camel(other) === k));
  const first = typed[0];
  if (first === undefined) return;
  const more = typed.length > 1 ? ` (and ${typed.slice(1).map(flag).join(', ')})` : '';
  const hint = didYouMean(first, visibleFlags(y)).replace(/mean (\S+)\?/, (_, n: string) => `mean --${n}?`);
  throw new InputError(`unknown flag ${flag(first)}${more}${hint}; \`livesim ${commandPath(y)} --help\` lists the flags`);
};

const strayArguments = (argv: Record<string, unknown>, y: OptionsView): void => {
  const ctx = y.getInternalMethods().getContext();
  const given = (argv._ as unknown[]).slice(ctx.commands.length).map(String);
  const first = given[0];
  if (first === undefined) return;
  const subs = y.getInternalMethods().getCommandInstance().getCommands();
  const accepted = subs.length > 0 ? ` (subcommands: ${subs.join(', ')})` : ' (it takes no arguments besides flags)';
  throw new InputError(`${commandPath(y)}: unexpected argument '${first}'${didYouMean(first, subs)}${accepted}`);
};

const outsideChoices = (argv: Record<string, unknown>, y: OptionsView): void => {
  for (const [key, choices] of Object.entries(y.getOptions().choices)) {
    const v = argv[key];
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) {
      if (choices.includes(one)) continue;
      const list = choices.map(String);
      throw new InputError(`${flag(key)} '${String(one)}' is not accepted${didYouMean(String(one), list)} (accepted: ${list.join(', ')})`);
    }
  }
};

const missingRequired = (argv: Record<string, unknown>, y: OptionsView): void => {
  for (const [key, why] of Object.entries(y.getDemandedOptions())) {
    if (argv[key] === undefined) throw new InputError(`${commandPath(y)}: ${flag(key)} is required${why === undefined || why === '' ? '' : ` (${why})`}`);
  }
};

export const preflight = (argv: Record<string, unknown>, y: OptionsView): void => {
  if (y.getInternalMethods().getHasOutput()) return;
  unknownFlags(argv, y);
  strayArguments(argv, y);
  outsideChoices(argv, y);
  missingRequired(argv, y);
};
