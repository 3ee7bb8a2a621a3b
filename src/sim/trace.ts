import { createHash, type Hash } from 'node:crypto';
import type { Micros } from './time.js';

/**
 * One line of a run's history. `kind` is dotted (`beat.recv`, `instance.remove`); `host` names
 * where it happened; `data` holds flat JSON-serialisable fields. The canonical text of an event
 * is fixed by `formatTraceLine`, and the run's trace hash is the SHA-256 of those lines, so two
 * runs with the same hash did the same things at the same microseconds.
 */
export interface TraceEvent {
  readonly t: Micros;
  readonly kind: string;
  readonly host: string;
  readonly data?: Readonly<Record<string, string | number | boolean | null>>;
}

export const formatTraceLine = (e: TraceEvent): string =>
  e.data === undefined ? `${e.t} ${e.host} ${e.kind}` : `${e.t} ${e.host} ${e.kind} ${JSON.stringify(e.data)}`;

/** Sees every event as it is recorded, with its canonical line (already formatted for the hash). */
export type TraceListener = (event: TraceEvent, line: string) => void;

/**
 * What a trace keeps in memory besides the hash: every event (`all`, the default: tests and small
 * runs read `events`), only those a predicate selects (a long or large run keeps what its metrics
 * need), or nothing.
 */
export type Retention = 'all' | 'none' | ((event: TraceEvent) => TraceEvent | null);

/**
 * Lines are hashed in chunks of about this many characters: SHA-256 is a streaming hash, so the
 * digest is the same as line by line, and one `update` per chunk instead of per event saves most
 * of the per-call cost that dominated large runs.
 */
const HASH_CHUNK_CHARS = 1 << 16;

export class Trace {
  private readonly kept: TraceEvent[] = [];
  private readonly hash: Hash = createHash('sha256');
  private readonly listeners: TraceListener[] = [];
  private pending = '';
  private recorded = 0;

  constructor(private readonly retention: Retention = 'all') {}

  /** The events kept by the retention (all of them by default), in the order they happened. */
  get events(): readonly TraceEvent[] {
    return this.kept;
  }

  /** How many events were recorded (kept or not). */
  get size(): number {
    return this.recorded;
  }

  listen(listener: TraceListener): void {
    this.listeners.push(listener);
  }

  record(event: TraceEvent): void {
    const line = formatTraceLine(event);
    this.recorded++;
    this.pending += `${line}\n`;
    if (this.pending.length >= HASH_CHUNK_CHARS) this.flush();
    for (const listener of this.listeners) listener(event, line);
    const r = this.retention;
    if (r === 'all') this.kept.push(event);
    else if (r !== 'none') {
      const keep = r(event);
      if (keep !== null) this.kept.push(keep);
    }
  }

  /** Hex SHA-256 of all canonical lines so far; call once, at the end of a run. */
  digest(): string {
    this.flush();
    return this.hash.digest('hex');
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.hash.update(this.pending);
    this.pending = '';
  }
}
