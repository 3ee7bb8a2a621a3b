import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs the built CLI (`node dist/cli/main.js …`) the way a user would, one command at a time.
 * Each command is remembered as `npx livesim …` for the README (without `--resume`, which only
 * says how to continue an interrupted file and changes nothing in it); its output goes to a log.
 * With a terminal on stderr the CLI's own progress bar shows there.
 */
export class LivesimCli {
  readonly commands: string[] = [];

  constructor(
    private readonly root: string,
    private readonly log: string,
  ) {}

  run(args: readonly string[], opts: { readonly resume?: boolean } = {}): void {
    this.commands.push(`npx livesim ${args.join(' ')}`);
    appendFileSync(this.log, `\n$ livesim ${args.join(' ')}\n`);
    const fd = openSync(this.log, 'a');
    try {
      const argv = [join(this.root, 'dist/cli/main.js'), ...args, ...(opts.resume === true ? ['--resume'] : [])];
      const r = spawnSync(process.execPath, argv, { cwd: this.root, stdio: ['ignore', fd, process.stderr.isTTY ? 'inherit' : fd] });
      if (r.status !== 0) {
        const tail = readFileSync(this.log, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
        throw new PipelineError(`'livesim ${args.join(' ')}' failed (exit ${r.status ?? r.signal}); last lines of ${this.log}:\n${tail}`);
      }
    } finally {
      closeSync(fd);
    }
  }
}

/** A step of a pipeline failed: the message says which and why; no stack trace. */
export class PipelineError extends Error {}
