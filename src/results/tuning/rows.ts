import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Distribution, distribution } from '../../analysis/distribution.js';
import type { KnobValue } from '../../models/knob.js';

/** One run line of a sweep file, as the tuning analysis reads it (the metrics of c1 and the resolved config). */
export interface TuningRow {
  readonly config: Readonly<Record<string, KnobValue>>;
  readonly metrics: {
    readonly faultAtMs: number | null;
    readonly clientDetectedAtMs: number | null;
    readonly serverUnhealthyAtMs: number | null;
    readonly detectionMs: number | null;
    readonly staleMs: number | null;
    readonly falseRemovals: number;
    readonly reRegistrations: number;
    readonly messages: Readonly<Record<string, number>>;
  };
  readonly stop?: { readonly atMs: number };
}

/** The run lines of the sweep files in one directory, each file read once. */
export class SweepData {
  private readonly cache = new Map<string, TuningRow[]>();

  constructor(readonly dir: string) {}

  /** The runs of DIR/name that have metrics (an illegal point's runs have none); none when the file is missing. */
  runsOf(name: string): TuningRow[] {
    const file = join(this.dir, name);
    const hit = this.cache.get(file);
    if (hit !== undefined) return hit;
    const rows: TuningRow[] = [];
    // A missing file is not remembered: its sweep may still be ahead.
    if (!existsSync(file)) return rows;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.startsWith('{"type":"run"')) continue;
      const row = JSON.parse(line) as Partial<TuningRow>;
      if (row.metrics !== undefined) rows.push(row as TuningRow);
    }
    this.cache.set(file, rows);
    return rows;
  }
}

// ——— per-run measures ———
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
/** Fault → the client gave up on its connection (recorded on c1 only). */
export const clientDet = (row: TuningRow): number | null => {
  const m = row.metrics;
  return m.clientDetectedAtMs !== null && m.faultAtMs !== null ? round3(m.clientDetectedAtMs - m.faultAtMs) : null;
};
export const falseRemoval = (row: TuningRow): boolean => row.metrics.falseRemovals > 0;
export const reconnect = (row: TuningRow): boolean => (row.metrics.messages.reconnectAttempts ?? 0) > 0;
export const falseUnhealthy = (row: TuningRow): boolean => row.metrics.serverUnhealthyAtMs !== null;
/** A false disconnection in a fault-free run: 2.x a removal or any reconnect; 1.x a removal or an unhealthy mark. */
export const v2False = (row: TuningRow): boolean => falseRemoval(row) || reconnect(row);
export const v1False = (row: TuningRow): boolean => falseRemoval(row) || falseUnhealthy(row);
/** Protocol messages per simulated second (datagrams are the transport's, not the protocol's). */
export const msgsPerSec = (row: TuningRow): number => {
  let n = 0;
  for (const [kind, c] of Object.entries(row.metrics.messages)) if (kind !== 'datagrams') n += c;
  const s = (row.stop?.atMs ?? 0) / 1000;
  return s > 0 ? n / s : 0;
};
export const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
export const count = <T>(rows: readonly T[], pred: (r: T) => boolean): number => rows.filter(pred).length;
export const dist = (rows: readonly TuningRow[], f: (r: TuningRow) => number | null): Distribution => distribution(rows.map(f));

// ——— formatting ———
export const dur = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);
/** `5s` / `500ms` back to ms. */
export const ms = (s: string): number => Number.parseFloat(s) * (s.endsWith('ms') ? 1 : 1000);
export const sec = (ms: number | null | undefined, d = 3): string => (ms === null || ms === undefined ? 'never' : `${(ms / 1000).toFixed(d)}`);
export const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(x > 0 && x < 0.001 ? 3 : 2)} %`);
export const int = (n: number): string => n.toLocaleString('en-US');
export const frac = (k: number, n: number): string => `${int(k)} / ${int(n)}`;
export const rate = (x: number | null): string => (x === null ? '—' : x.toFixed(2));
export const v2Label = (t: number, r: number): string => `${dur(t)} / ${r}`;
export const v1Label = (i: number, h: number, d: number): string => `${dur(i)} / ${dur(h)} / ${dur(d)}`;
export const inf = (x: number | null): number => (x === null ? Number.POSITIVE_INFINITY : x);
/** A fault's part of a file name: `oneway:s2c` → `oneway-s2c`, `flap:2s/8s` → `flap-2s-8s`. */
export const faultName = (f: string): string => f.replace(/[:/]/g, '-');
