import { writeSync } from 'node:fs';
import { onStream } from './failure.js';

/** The reader went away (`livesim run --trace | head`): stop the run quietly, as Unix tools do. */
export class OutputClosed extends Error {}

/**
 * Writes text to a file descriptor as the run produces it, in chunks of about 64 KiB. A run is
 * synchronous, so `process.stdout.write` would queue every line in memory until it ends (a
 * 100,000-client trace is gigabytes); writing synchronously keeps memory flat. A pipe whose reader
 * is slower answers EAGAIN: wait a moment and retry, so nothing is lost.
 */
export class SyncWriter {
  private pending = '';

  constructor(
    private readonly fd: number,
    private readonly chunkChars = 1 << 16,
  ) {}

  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= this.chunkChars) this.flush();
  }

  flush(): void {
    let buf = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    while (buf.length > 0) {
      try {
        buf = buf.subarray(writeSync(this.fd, buf));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') throw new OutputClosed('output closed');
        if (code !== 'EAGAIN') throw this.fd === 1 ? onStream(e, 'stdout') : this.fd === 2 ? onStream(e, 'stderr') : e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
  }
}
