import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** CLOCK_MONOTONIC in ms: the clock every peer stamps its events with. */
export const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export interface PeerEvent {
  readonly t: number;
  readonly ev: string;
  readonly code?: string;
  readonly data?: string;
  readonly [key: string]: unknown;
}

const children = new Set<ChildProcess>();

/** A step before the measurement failed: nothing was measured, so the run can be tried again. */
export class SetupError extends Error {}

/** Kills every peer still running (exit handler). */
export const killAllPeers = (): void => {
  for (const c of children) c.kill('SIGKILL');
};

/**
 * A process inside a namespace that reports JSON-line events; `next` waits for one, bounded by
 * a timeout so that no case can hang the suite.
 */
export class PeerProcess {
  readonly events: PeerEvent[] = [];
  private readonly waiters: { match: (e: PeerEvent) => boolean; resolve: (e: PeerEvent) => void }[] = [];
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(netns: string, script: string, args: readonly string[]) {
    const path = fileURLToPath(new URL(script, import.meta.url));
    // Node peers are compiled next to this file; a Python peer is run from the source tree.
    const interpreter = script.endsWith('.py') ? 'python3' : process.execPath;
    this.child = spawn('ip', ['netns', 'exec', netns, interpreter, path, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(this.child);
    // A peer that died (killed at the end of its case, or crashed) must not take the runner with it.
    this.child.stdin?.on('error', () => undefined);
    this.child.on('exit', () => children.delete(this.child));
    this.child.stderr?.on('data', (d) => {
      this.stderr += d;
    });
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const e = JSON.parse(line) as PeerEvent;
      this.events.push(e);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i];
        if (w?.match(e)) {
          this.waiters.splice(i, 1);
          w.resolve(e);
        }
      }
    });
  }

  /** The first event (already seen or still to come) that matches, within `timeoutMs`. */
  next(
    what: string,
    match: (e: PeerEvent) => boolean,
    timeoutMs: number,
    after = 0,
    onTimeout: (msg: string) => Error = (m) => new Error(m),
  ): Promise<PeerEvent> {
    const seen = this.events.slice(after).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(onTimeout(`no ${what} within ${timeoutMs / 1000} s; ${this.stderr.trim()}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  on(ev: string, timeoutMs: number, after = 0): Promise<PeerEvent> {
    return this.next(ev, (e) => e.ev === ev, timeoutMs, after);
  }

  /** Like `on`, for a set-up step: its timeout is a SetupError (the run may be tried again). */
  ready(ev: string, timeoutMs: number, after = 0): Promise<PeerEvent> {
    return this.next(
      ev,
      (e) => e.ev === ev,
      timeoutMs,
      after,
      (m) => new SetupError(m),
    );
  }

  send(cmd: Record<string, unknown>): void {
    this.child.stdin?.write(`${JSON.stringify(cmd)}\n`);
  }

  /** SIGKILL; resolves with the monotonic time it was sent. */
  kill9(): number {
    const t = monoMs();
    this.child.kill('SIGKILL');
    return t;
  }

  stop(): void {
    this.child.stdin?.end();
    this.child.kill('SIGKILL');
  }
}
