import type { Distribution } from '../../analysis/distribution.js';
import { TUNING_KEYS as K } from './plan.js';
import {
  clientDet,
  count,
  dist,
  dur,
  falseRemoval,
  falseUnhealthy,
  inf,
  mean,
  msgsPerSec,
  reconnect,
  type SweepData,
  type TuningRow,
  v1False,
  v2False,
} from './rows.js';

/**
 * The grids of the tuning pipeline read back from their sweep files: per setting its detection
 * under the faults and its false disconnections in the fault-free screen, the candidates that
 * passed (fastest first) and the verification of a candidate on new seeds.
 */
export interface V2Point {
  readonly t: number;
  readonly r: number;
  readonly client: Distribution;
  readonly serverCut: Distribution;
  readonly serverS2c: Distribution;
  readonly n: number;
  readonly kRemoval: number;
  readonly kReconnect: number;
  readonly kAny: number;
  readonly pass: boolean;
  readonly msgs: number | null;
  readonly steadyRows: readonly TuningRow[];
}

export interface V1Point {
  readonly i: number;
  readonly h: number;
  readonly d: number;
  readonly removal: Distribution;
  readonly stale: Distribution;
  readonly n: number;
  readonly kRemoval: number;
  readonly kUnhealthy: number;
  readonly k: number;
  readonly pass: boolean;
  readonly msgs: number | null;
}

export interface Verification {
  readonly rows: readonly TuningRow[];
  /** The runs of the verification sweep alone (2.x adds the screen runs of the pair to them). */
  readonly verifyOnly: readonly TuningRow[];
  readonly n: number;
  readonly k: number;
  readonly kRemoval: number;
  readonly msgs: number | null;
}

export type V2Ranking = 'client' | 'server';

const v2Key = (row: TuningRow): string => `${row.config[K.t]}|${row.config[K.r]}`;
const v1Key = (row: TuningRow): string => `${row.config[K.i]}|${row.config[K.h]}|${row.config[K.d]}`;
const group = (rows: readonly TuningRow[], key: (r: TuningRow) => string): Map<string, TuningRow[]> => {
  const m = new Map<string, TuningRow[]>();
  for (const row of rows) {
    const k = key(row);
    const list = m.get(k);
    if (list === undefined) m.set(k, [row]);
    else list.push(row);
  }
  return m;
};
const parseKey = (k: string): number[] => k.split('|').map(Number);
/** The longest silence a pair tolerates before reconnecting: timeout × attempts. */
const tolerance = (g: V2Point): number => g.t * (g.r + 1);

/**
 * Fastest first. client: p99 client detection of the half-open cut, then p99 server removal under
 * oneway:s2c; server: the other way round. Ties go to the more tolerant pair, then the longer timeout.
 */
const V2_ORDER: Record<V2Ranking, (a: V2Point, b: V2Point) => number> = {
  client: (a, b) => inf(a.client.p99) - inf(b.client.p99) || inf(a.serverS2c.p99) - inf(b.serverS2c.p99) || tolerance(b) - tolerance(a) || b.t - a.t,
  server: (a, b) => inf(a.serverS2c.p99) - inf(b.serverS2c.p99) || tolerance(b) - tolerance(a) || b.t - a.t || inf(a.client.p99) - inf(b.client.p99),
};

export class TuningGrids {
  constructor(
    readonly data: SweepData,
    readonly target: number,
  ) {}

  /** A rate k / n below the target (with no runs: not). */
  below(k: number, n: number): boolean {
    return n > 0 && k / n < this.target;
  }

  v2Grid(p: string): V2Point[] {
    const cut = group(this.data.runsOf(`v2-${p}-grid-cut.jsonl`), v2Key);
    const s2c = group(this.data.runsOf(`v2-${p}-grid-oneway-s2c.jsonl`), v2Key);
    const steady = group(this.data.runsOf(`v2-${p}-steady.jsonl`), v2Key);
    const keys = [...new Set([...cut.keys(), ...steady.keys()])];
    return keys.map((k) => {
      const [t = 0, r = 0] = parseKey(k);
      const c = cut.get(k) ?? [];
      const s = s2c.get(k) ?? [];
      const f = steady.get(k) ?? [];
      const kAny = count(f, v2False);
      return {
        t,
        r,
        client: dist(c, clientDet),
        serverCut: dist(c, (row) => row.metrics.detectionMs),
        serverS2c: dist(s, (row) => row.metrics.detectionMs),
        n: f.length,
        kRemoval: count(f, falseRemoval),
        kReconnect: count(f, reconnect),
        kAny,
        pass: this.below(kAny, f.length),
        msgs: mean(f.map(msgsPerSec)),
        steadyRows: f,
      };
    });
  }

  v2Candidates(p: string, ranking: V2Ranking): V2Point[] {
    return this.v2Grid(p)
      .filter((g) => g.pass)
      .sort(V2_ORDER[ranking]);
  }

  /** A pair's fault-free runs: its screen runs and its verification runs (new seeds). */
  v2Verification(p: string, t: number, r: number): Verification & { readonly kReconnect: number } {
    const screen = this.v2Grid(p).find((g) => g.t === t && g.r === r)?.steadyRows ?? [];
    const verify = this.data.runsOf(`v2-${p}-verify-${dur(t)}-${r}.jsonl`);
    const rows = [...screen, ...verify];
    return {
      rows,
      verifyOnly: verify,
      n: rows.length,
      k: count(rows, v2False),
      kRemoval: count(rows, falseRemoval),
      kReconnect: count(rows, reconnect),
      msgs: mean(rows.map(msgsPerSec)),
    };
  }

  v1Grids(p: string): { del: V1Point[]; beat: V1Point[] } {
    const mk = (cutFile: string, steadyFile: string, flag: (r: TuningRow) => boolean): V1Point[] => {
      const cut = group(this.data.runsOf(cutFile), v1Key);
      const steady = group(this.data.runsOf(steadyFile), v1Key);
      return [...new Set([...cut.keys(), ...steady.keys()])].map((key) => {
        const [i = 0, h = 0, d = 0] = parseKey(key);
        const c = cut.get(key) ?? [];
        const f = steady.get(key) ?? [];
        const k = count(f, flag);
        return {
          i,
          h,
          d,
          removal: dist(c, (row) => row.metrics.detectionMs),
          stale: dist(c, (row) => row.metrics.staleMs),
          n: f.length,
          kRemoval: count(f, falseRemoval),
          kUnhealthy: count(f, falseUnhealthy),
          k,
          pass: this.below(k, f.length),
          msgs: mean(f.map(msgsPerSec)),
        };
      });
    };
    return {
      del: mk(`v1-${p}-grid-delete-cut.jsonl`, `v1-${p}-steady-delete.jsonl`, falseRemoval),
      beat: mk(`v1-${p}-grid-beat-cut.jsonl`, `v1-${p}-steady-beat.jsonl`, falseUnhealthy),
    };
  }

  /** Per beat interval: the smallest delete timeout and the smallest beat timeout that passed their screens; fastest removal first. */
  v1Candidates(p: string): { i: number; h: number; d: number }[] {
    const { del, beat } = this.v1Grids(p);
    const intervals = [...new Set(del.map((g) => g.i))].sort((a, b) => a - b);
    const out: { i: number; h: number; d: number; removal: Distribution; stale: Distribution }[] = [];
    for (const i of intervals) {
      const d = del.filter((g) => g.i === i && g.pass).sort((a, b) => a.d - b.d)[0];
      const h = beat.filter((g) => g.i === i && g.pass).sort((a, b) => a.h - b.h)[0];
      if (d !== undefined && h !== undefined) out.push({ i, h: h.h, d: d.d, removal: d.removal, stale: h.stale });
    }
    return out.sort((a, b) => inf(a.removal.p99) - inf(b.removal.p99) || inf(a.stale.p99) - inf(b.stale.p99) || b.i - a.i);
  }

  v1Verification(p: string, i: number, h: number, d: number): Verification & { readonly kUnhealthy: number } {
    const rows = this.data.runsOf(`v1-${p}-verify-${dur(i)}-${dur(h)}-${dur(d)}.jsonl`);
    return {
      rows,
      verifyOnly: rows,
      n: rows.length,
      k: count(rows, v1False),
      kRemoval: count(rows, falseRemoval),
      kUnhealthy: count(rows, falseUnhealthy),
      msgs: mean(rows.map(msgsPerSec)),
    };
  }
}
