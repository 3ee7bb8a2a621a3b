import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, MAIN } from './cli-harness.js';

/**
 * A scripted terminal session (issue 16, "Done when"): livesim run inside a real pseudo-terminal
 * by util-linux `script`, as a user at a terminal meets it. Ctrl-C is the byte 0x03 typed into
 * the terminal: the pty's line discipline turns it into SIGINT for the foreground process, as a
 * keyboard does. The progress bar hides the cursor (ESC[?25l); after Ctrl-C the cursor must be
 * shown again (ESC[?25h) — without livesim's handler node dies at once and it stays hidden.
 */
const HIDE = '\x1b[?25l';
const SHOW = '\x1b[?25h';
let dir = '';

interface Session {
  readonly code: number | null;
  readonly output: string;
}

const shellQuote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

/** Runs a shell command line in a pty; when the output first contains `interruptOn`, types Ctrl-C. */
const session = (commandLine: string, opts: { interruptOn?: string; timeoutMs?: number } = {}): Promise<Session> =>
  new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', COLUMNS: '100', LINES: '40' };
    delete env.FORCE_COLOR;
    delete env.NO_COLOR;
    const child = spawn('script', ['-q', '-e', '-c', commandLine, '/dev/null'], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let typed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`terminal session timed out: ${commandLine}\n${output.slice(-500)}`));
    }, opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString('utf8');
      if (opts.interruptOn !== undefined && !typed && output.includes(opts.interruptOn)) {
        typed = true;
        child.stdin.write('\x03');
      }
    });
    child.stderr.on('data', (b: Buffer) => {
      output += b.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, output });
    });
  });

const livesim = (args: string): string => `${shellQuote(process.execPath)} ${shellQuote(MAIN)} ${args}`;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'livesim-tty-'));
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe.concurrent('terminal session (script(1) pty)', () => {
  it('-h and help run print help', async () => {
    const [h, helpRun] = await Promise.all([session(livesim('-h')), session(livesim('help run'))]);
    expect(h.code, h.output).toBe(0);
    expect(h.output).toContain('Commands:');
    expect(helpRun.code, helpRun.output).toBe(0);
    expect(helpRun.output).toContain('livesim run');
    expect(helpRun.output).toMatch(/--model[^\n]*\n?[^\n]*\[required\]/);
  });

  it('--modle suggests --model', async () => {
    const s = await session(livesim('run --modle nacos-v1'));
    expect(s.code).toBe(2);
    expect(s.output).toContain('unknown flag --modle (did you mean --model?)');
  });

  it('Ctrl-C during a sweep shows the cursor again, prints the resume command and exits 130', async () => {
    const args = 'sweep --model nacos-v1 --vary preserved.ip.delete.timeout=20s..60s:10s --fault cut --runs 400 --workers 2 --out s.jsonl';
    const s = await session(livesim(args), { interruptOn: HIDE });
    expect(s.code, s.output).toBe(130);
    const hidden = s.output.lastIndexOf(HIDE);
    expect(hidden).toBeGreaterThanOrEqual(0);
    expect(s.output.indexOf(SHOW, hidden), 'cursor shown again after the bar hid it').toBeGreaterThan(hidden);
    expect(s.output).toContain(`resume with: livesim ${args} --resume`);
    expect(existsSync(join(dir, 's.jsonl.partial'))).toBe(true);
  });

  it('colour on a terminal; --color=never and a pipe give plain text', async () => {
    const run = 'run --model nacos-v1 --fault cut@60s --until 2m';
    const [auto, never, piped, noColor] = await Promise.all([
      session(livesim(run)),
      session(livesim(`${run} --color=never`)),
      session(`${livesim(run)} | cat`),
      session(`NO_COLOR=1 ${livesim(run)}`),
    ]);
    expect(auto.output).toContain('\x1b[');
    for (const s of [never, piped, noColor]) {
      expect(s.code, s.output).toBe(0);
      expect(s.output).toContain('instance removed by the server');
      expect(s.output).not.toContain('\x1b');
    }
  });
});
