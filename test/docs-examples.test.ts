import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, MAIN, ROOT } from './cli-harness.js';
import { type Example, extractExamples, matchesShown } from './docs/examples.js';
import { runSession, type StepResult } from './docs/session.js';

/**
 * Docs that cannot drift (issue 16 item 3): every shell example in README.md and docs/**\/*.md
 * is run, and what it prints must be what the docs show (test/docs/examples.ts: `…` on a line
 * of its own stands for omitted lines, within a line for omitted text; nothing else may differ).
 * A block of `livesim` commands without output must exit 0. Each file's examples run as one
 * shell session in a temporary directory (test/docs/session.ts), the files in parallel.
 */
const markdownFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );

const FILES = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))].sort();
const EXAMPLES = new Map<string, Example[]>(FILES.map((f) => [relative(ROOT, f), extractExamples(relative(ROOT, f), readFileSync(f, 'utf8'))]));

/** A file's whole session may take this long; every example of the file waits for it. */
const SESSION_TIMEOUT_MS = 300_000;

ensureBuilt();
const sessions = new Map<string, Promise<StepResult[]>>();
for (const [file, examples] of EXAMPLES) {
  const steps = examples.filter((e) => e.notRun === null).flatMap((e) => e.steps);
  if (steps.length > 0) sessions.set(file, runSession(steps, MAIN, SESSION_TIMEOUT_MS));
}

describe('docs examples', () => {
  it('finds the examples (the parser sees the blocks the docs hold)', () => {
    const all = [...EXAMPLES.values()].flat();
    expect(all.filter((e) => e.notRun === null).length).toBeGreaterThanOrEqual(20);
    for (const e of all.filter((x) => x.notRun !== null)) expect(e.notRun, `${e.file}:${e.line}`).toMatch(/\w{3,}/);
  });

  for (const [file, examples] of EXAMPLES) {
    const run = examples.filter((e) => e.notRun === null);
    if (run.length === 0) continue;
    describe.concurrent(file, () => {
      for (const [k, ex] of run.entries()) {
        const before = run.slice(0, k).reduce((n, e) => n + e.steps.length, 0);
        it(
          `${file}:${ex.line} ${ex.steps[0]?.command.split('\n')[0]}`,
          async () => {
            const results = await (sessions.get(file) as Promise<StepResult[]>);
            ex.steps.forEach((step, i) => {
              const r = results[before + i] as StepResult;
              const where = `${file}:${ex.line} $ ${step.command}`;
              if (step.shown === null) expect(r.code, `${where}\n${r.output}`).toBe(0);
              else if (!matchesShown(step.shown, r.output)) expect(r.output, `${where}: the docs show something else`).toBe(step.shown.join('\n'));
            });
          },
          SESSION_TIMEOUT_MS,
        );
      }
    });
  }
});
