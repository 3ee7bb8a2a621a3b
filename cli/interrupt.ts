/**
 * Ctrl-C (SIGINT) or SIGTERM during a long command (sweep, tune): put the terminal back as it
 * was (the progress bar hides the cursor; `ESC[?25h` shows it again), say on stderr how to
 * continue, and exit as a shell expects of a process ended by a signal: 128 + the signal number
 * (130 for SIGINT, 143 for SIGTERM). What is already written stays: a sweep's runs are in
 * OUT.partial, written synchronously line by line (src/sweep/store.ts), so `--resume` continues.
 */
const SHOW_CURSOR = '\x1b[?25h';
const EXIT_CODE = { SIGINT: 130, SIGTERM: 143 } as const;

export interface InterruptOptions {
  /** Stops progress output (bars) before the message. */
  readonly cleanup: () => void;
  /** The line that says how to continue, e.g. `resume with: livesim sweep … --resume`. */
  readonly hint: () => string;
}

/** Installs the handlers; call the returned function when the command ends normally. */
export const onInterrupt = (opts: InterruptOptions): (() => void) => {
  const handler = (signal: keyof typeof EXIT_CODE): void => {
    try {
      opts.cleanup();
    } catch {
      // The terminal must be restored whatever the bar does.
    }
    if (process.stderr.isTTY === true) process.stderr.write(`${SHOW_CURSOR}\r\x1b[K`);
    process.stderr.write(`livesim: interrupted (${signal}); ${opts.hint()}\n`);
    process.exit(EXIT_CODE[signal]);
  };
  const int = (): void => handler('SIGINT');
  const term = (): void => handler('SIGTERM');
  process.once('SIGINT', int);
  process.once('SIGTERM', term);
  return () => {
    process.removeListener('SIGINT', int);
    process.removeListener('SIGTERM', term);
  };
};
