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

export class Trace {
  readonly events: TraceEvent[] = [];
  private readonly hash: Hash = createHash('sha256');

  record(event: TraceEvent): void {
    this.events.push(event);
    this.hash.update(formatTraceLine(event));
    this.hash.update('\n');
  }

  /** Hex SHA-256 of all canonical lines so far; call once, at the end of a run. */
  digest(): string {
    return this.hash.digest('hex');
  }
}
