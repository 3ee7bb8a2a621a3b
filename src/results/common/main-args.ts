import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../../scenario/input-error.js';

/**
 * The options every results pipeline takes: its plan, the output directory, how many workers (or
 * runs at once) and whether to start over. Bad input is one line on stderr and exit code 2.
 */
export interface PipelineArgs {
  readonly plan: string;
  readonly out: string;
  /** `out` relative to the repository root (for the README and `git status`). */
  readonly outRel: string;
  readonly parallel: number | null;
  readonly fresh: boolean;
  /** The plan was given (not the default): the README's command names it. */
  readonly planGiven: boolean;
}

export const parsePipelineArgs = (
  argv: readonly string[],
  root: string,
  defaults: { readonly plan: string; readonly out: string; readonly parallelFlag: string },
): PipelineArgs | 'help' => {
  const { values } = (() => {
    try {
      return parseArgs({
        args: [...argv],
        options: {
          plan: { type: 'string' },
          out: { type: 'string' },
          [defaults.parallelFlag]: { type: 'string' },
          fresh: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
        allowPositionals: false,
      });
    } catch (e) {
      throw new InputError(`${(e as Error).message.split('\n')[0]} (accepted: --plan FILE, --out DIR, --${defaults.parallelFlag} N, --fresh)`);
    }
  })();
  if (values.help === true) return 'help';
  const p = values[defaults.parallelFlag];
  let parallel: number | null = null;
  if (typeof p === 'string') {
    if (!/^[1-9][0-9]*$/.test(p)) throw new InputError(`--${defaults.parallelFlag} '${p}': expected a whole number ≥ 1`);
    parallel = Number(p);
  }
  const outArg = typeof values.out === 'string' ? values.out.replace(/\/+$/, '') : defaults.out;
  if (outArg === '' || outArg === '.' || resolve(root, outArg) === resolve('/')) throw new InputError(`--out '${outArg}' is not a usable directory`);
  const out = resolve(root, outArg);
  const rel = relative(root, out);
  const planArg = typeof values.plan === 'string' ? values.plan : defaults.plan;
  return {
    plan: resolve(root, planArg),
    out,
    outRel: rel.startsWith('..') || isAbsolute(rel) ? out : rel,
    parallel,
    fresh: values.fresh === true,
    planGiven: typeof values.plan === 'string',
  };
};

/** Runs a pipeline's main: an InputError (or a failed step) is one line and exit code 2 (1 for a failed step), no stack trace. */
export const runMain = (main: () => Promise<void>, isStepError: (e: unknown) => boolean): void => {
  main().catch((e: unknown) => {
    if (e instanceof InputError) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 2;
    } else if (isStepError(e)) {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exitCode = 1;
    } else throw e;
  });
};
