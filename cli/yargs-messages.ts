import { didYouMean } from '../src/scenario/closest.js';

/**
 * yargs' own failure messages, rewritten as one line that says what was wrong and what is
 * accepted. Most mistakes are caught earlier by cli/preflight.ts; what reaches yargs' `.fail()`
 * is what happens before a command runs: no command or an unknown one, a flag without its
 * value, a missing positional argument. yargs runs with `.locale('en')`, so these texts are stable.
 */
export interface MessageContext {
  /** The arguments as typed. */
  readonly args: readonly string[];
  /** Top-level command names. */
  readonly commands: readonly string[];
  /** Subcommands by command (`sweep` → `merge`). */
  readonly subcommands: Readonly<Record<string, readonly string[]>>;
}

/** What each command needs as positional arguments, for "missing" messages. */
const POSITIONAL_USAGE: Record<string, string> = {
  report: 'name at least one sweep file (usage: livesim report FILE.jsonl… --out DIR)',
  'sweep merge': 'name the shard files (usage: livesim sweep merge SHARD.jsonl… --out ALL.jsonl)',
};

const positionals = (args: readonly string[]): string[] => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).filter((a) => !a.startsWith('-'));
};

export const rewriteYargsMessage = (msg: string, ctx: MessageContext): string => {
  const [first = '', second = ''] = positionals(ctx.args);
  const subs = ctx.subcommands[first];
  if (subs !== undefined && second !== '' && !subs.includes(second) && /^(Did you mean|Unknown argument)/.test(msg)) {
    return `${first}: unexpected argument '${second}'${didYouMean(second, subs)} (subcommands: ${subs.join(', ')})`;
  }
  const list = `commands: ${ctx.commands.join(', ')}; \`livesim --help\` describes them`;
  if (/^Did you mean .+\?$/.test(msg) || (/^Unknown arguments?: /.test(msg) && first !== '' && !ctx.commands.includes(first))) {
    return `unknown command '${first}'${didYouMean(first, ctx.commands)} (${list})`;
  }
  const noValue = /^Not enough arguments following: (.+)$/.exec(msg);
  if (noValue !== null) return `--${noValue[1]} needs a value`;
  if (/^Not enough non-option arguments/.test(msg)) {
    const path = positionals(ctx.args).slice(0, 2).join(' ');
    const usage = POSITIONAL_USAGE[path] ?? POSITIONAL_USAGE[first];
    if (usage !== undefined) return `${path in POSITIONAL_USAGE ? path : first}: ${usage}`;
  }
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (unknown !== null) {
    const names = (unknown[1] ?? '').split(', ');
    return `unknown flag ${names.map((n) => (n.length === 1 ? `-${n}` : `--${n}`)).join(', ')} (\`livesim --help\` lists the flags)`;
  }
  // Anything else: all of it on one line, nothing cut off.
  return msg
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
};
