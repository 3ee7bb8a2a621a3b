import type { Argv } from 'yargs';

/** The flags every command takes (cli/app.ts); everything else belongs to one command. */
export const GLOBAL_FLAGS: readonly string[] = ['help', 'version', 'color', 'quiet'];

/**
 * yargs makes every option global unless told otherwise, so a subcommand (`sweep merge`) would
 * inherit, accept and list all of its parent's flags. Called at the end of a builder that
 * declares subcommands: the parent's own flags stay with the parent.
 */
export const keepOptionsLocal = <T>(y: Argv<T>): Argv<T> => {
  // yargs' global(keys, false); @types/yargs declares only the one-argument form.
  const raw = y as unknown as {
    getOptions(): { key: Record<string, unknown>; alias: Record<string, readonly string[]> };
    global(keys: string[], global: boolean): unknown;
  };
  const o = raw.getOptions();
  const shared = new Set(GLOBAL_FLAGS.flatMap((g) => [g, ...(o.alias[g] ?? [])]));
  raw.global(
    Object.keys(o.key).filter((k) => !shared.has(k)),
    false,
  );
  return y;
};
