import { Fingerprint, hashRest } from './fingerprint.js';
import type { Micros } from './time.js';

/**
 * One line of a run's history. `kind` is dotted (`beat.recv`, `instance.remove`); `host` names
 * where it happened; `data` holds flat JSON-serialisable fields. The canonical text of an event
 * is fixed by `formatTraceLine`, and the run's trace hash is the fingerprint of those lines
 * (`fingerprint.ts`), so two runs with the same hash did the same things at the same microseconds.
 */
export interface TraceEvent {
  readonly t: Micros;
  readonly kind: string;
  readonly host: string;
  readonly data?: Readonly<Record<string, string | number | boolean | null>>;
}

/** A line without its time: `<host> <kind>[ <data as JSON>]`. */
export const formatTraceRest = (host: string, kind: string, data?: TraceEvent['data']): string =>
  data === undefined ? `${host} ${kind}` : `${host} ${kind} ${JSON.stringify(data)}`;

export const formatTraceLine = (e: TraceEvent): string => `${e.t} ${formatTraceRest(e.host, e.kind, e.data)}`;

/** Sees every event as it is recorded, with its canonical line (already formatted for the hash). */
export type TraceListener = (event: TraceEvent, line: string) => void;

/**
 * What a trace keeps in memory besides the hash: every event (`all`, the default: tests and small
 * runs read `events`), only those a predicate selects (a long or large run keeps what its metrics
 * need), or nothing.
 */
export type Retention = 'all' | 'none' | ((event: TraceEvent) => TraceEvent | null);

export class Trace {
  private readonly kept: TraceEvent[] = [];
  private readonly fingerprint = new Fingerprint();
  private readonly listeners: TraceListener[] = [];
  private readonly kinds = new Map<string, number>();

  constructor(private readonly retention: Retention = 'all') {}

  /** The events kept by the retention (all of them by default), in the order they happened. */
  get events(): readonly TraceEvent[] {
    return this.kept;
  }

  /** How many events were recorded (kept or not, quiet ones included). */
  get size(): number {
    return this.fingerprint.lines;
  }

  /** Lines per kind over the whole run, quiet ones included. */
  get kindCounts(): ReadonlyMap<string, number> {
    return this.kinds;
  }

  listen(listener: TraceListener): void {
    this.listeners.push(listener);
  }

  record(event: TraceEvent): void {
    const rest = formatTraceRest(event.host, event.kind, event.data);
    this.fingerprint.add(event.t, hashRest(rest));
    this.kinds.set(event.kind, (this.kinds.get(event.kind) ?? 0) + 1);
    if (this.listeners.length > 0) {
      const line = `${event.t} ${rest}`;
      for (const listener of this.listeners) listener(event, line);
    }
    const r = this.retention;
    if (r === 'all') this.kept.push(event);
    else if (r !== 'none') {
      const keep = r(event);
      if (keep !== null) this.kept.push(keep);
    }
  }

  /** For a quiet stepper's inner loop: its lines go straight into the fingerprint, their kinds through `countQuiet`. */
  get quietFingerprint(): Fingerprint {
    return this.fingerprint;
  }

  /** Counts `lines` quiet lines of `kind` (already added to the fingerprint). */
  countQuiet(kind: string, lines: number): void {
    if (lines > 0) this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + lines);
  }

  /** The run's trace hash (`Fingerprint.digest`); call at the end of a run. */
  digest(): string {
    return this.fingerprint.digest();
  }
}
