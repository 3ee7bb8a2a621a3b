import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Step } from './examples.js';

/**
 * Runs the steps of one Markdown file's examples as one bash session, in document order, in a
 * fresh temporary directory: later examples use the files earlier ones wrote (`s.jsonl`), and
 * nothing is written into the repository. `livesim` and `npx livesim` are the built CLI
 * (dist/cli/main.js); stdout and stderr go to one pipe, as a terminal shows both (on Linux
 * node writes to pipes synchronously, so their order is the order they were written). Colour is
 * off (not a terminal; NO_COLOR).
 */
export interface StepResult {
  readonly output: string;
  readonly code: number;
}

const MARK = '\x1edocs-step';

export const runSession = (steps: readonly Step[], main: string, timeoutMs: number): Promise<StepResult[]> =>
  new Promise((resolve, reject) => {
    const dir = mkdtempSync(join(tmpdir(), 'livesim-docs-'));
    const q = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
    const lines = [
      'set +e',
      'exec 2>&1',
      `livesim() { ${q(process.execPath)} ${q(main)} "$@"; }`,
      // Only `npx livesim`: an example must not install or run anything else.
      `npx() { if [ "$1" = livesim ]; then shift; livesim "$@"; else echo "docs test: 'npx $1' does not run here" >&2; return 127; fi; }`,
      '__rc=0',
    ];
    // Restore $? before each step (the marker's printf resets it), so `$ echo $?` sees the step before.
    for (const s of steps) lines.push('(exit $__rc)', s.command, '__rc=$?', `printf '\\n${MARK} %d\\n' "$__rc"`);
    const script = join(dir, '.docs-session.sh');
    writeFileSync(script, `${lines.join('\n')}\n`);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', LC_ALL: 'C.UTF-8' };
    delete env.FORCE_COLOR;
    execFile('bash', [script], { cwd: dir, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      rmSync(dir, { recursive: true, force: true });
      const parts = stdout.split(new RegExp(`${MARK} (\\d+)\\n`));
      const results: StepResult[] = [];
      for (let i = 0; i + 1 < parts.length; i += 2) results.push({ output: parts[i] as string, code: Number(parts[i + 1]) });
      if (results.length !== steps.length)
        return reject(new Error(`docs session stopped after ${results.length} of ${steps.length} steps (${err?.message ?? 'no error'})`));
      resolve(results);
    });
  });
