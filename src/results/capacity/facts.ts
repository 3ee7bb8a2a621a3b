import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { v1OnsetClients, v2OnsetClients } from '../../analysis/capacity-bounds.js';
import type { RunMetrics } from '../../analysis/metrics.js';
import { CAPACITY_KEY } from '../../models/capacity.js';
import type { Knob } from '../../models/knob.js';
import { V1_KEYS, V1_KNOBS } from '../../models/nacos-v1/defaults.js';
import { type V1Capacity, v1Settings } from '../../models/nacos-v1/settings.js';
import { type V2Capacity, type V2Settings, v2Settings } from '../../models/nacos-v2/settings.js';
import { resolveScenario } from '../../scenario/run.js';
import type { RunSpec } from './plan.js';

/** One run's JSON (capacity/run.ts), as the README reads it back. */
export interface CapacityRunJson extends RunSpec {
  readonly subscribers: number;
  readonly rack: number | null;
  readonly untilMs: number;
  readonly loadPerSec: Readonly<Record<string, number>>;
  readonly instancesFalselyUnhealthy: number;
  readonly instancesFalselyRemoved: number;
  readonly clientsFalselyDisconnected: number;
  readonly firstFalseUnhealthyAtMs: number | null;
  readonly reRegistrations: number;
  readonly peakWaitMs: Readonly<Record<string, number>>;
  readonly perSecond: { readonly pushes: readonly number[]; readonly removals: readonly number[]; readonly registrations: readonly number[] } | null;
  readonly c1: RunMetrics;
  readonly events: number;
  readonly wallS: number;
  readonly traceHash: string;
  readonly replay: string;
}

export const readRuns = (dir: string): CapacityRunJson[] =>
  readdirSync(dir)
    .filter((f) => /^(steady|burst)-.*\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CapacityRunJson);

/** The analytic onsets, from the reference profile's resolved settings and the models' default timeouts. */
export interface Onsets {
  readonly cap1: V1Capacity;
  readonly cap2: V2Capacity;
  readonly s2: V2Settings;
  readonly hb: number;
  readonly del: number;
  readonly interval: number;
  readonly unhealthy: number | null;
  readonly removed: number | null;
  readonly overloaded: number | null;
  readonly v2: number | null;
}

const knob = (knobs: readonly Knob[], key: string): number => {
  const d = knobs.find((k) => k.key === key)?.default;
  if (typeof d !== 'number') throw new Error(`no numeric default for ${key}`);
  return d;
};

export const onsets = (): Onsets => {
  const ref = (model: string) => resolveScenario({ model, set: { [CAPACITY_KEY]: 'reference-8c' } });
  const sc1 = ref('nacos-v1');
  const sc2 = ref('nacos-v2');
  const cap1 = v1Settings(sc1.config, sc1.clientVersion).capacity;
  const s2 = v2Settings(sc2.config, { client: sc2.clientVersion, server: sc2.serverVersion });
  const hb = knob(V1_KNOBS, V1_KEYS.beatTimeout);
  const del = knob(V1_KNOBS, V1_KEYS.deleteTimeout);
  const interval = knob(V1_KNOBS, V1_KEYS.beatInterval);
  return {
    cap1,
    cap2: s2.capacity,
    s2,
    hb,
    del,
    interval,
    unhealthy: v1OnsetClients(cap1, hb),
    removed: v1OnsetClients(cap1, del),
    overloaded: v1OnsetClients(cap1, interval),
    v2: v2OnsetClients(s2.capacity, s2.keepAliveMs, s2.healthTimeoutMs),
  };
};

// ——— formatting ———
export const int = (x: number | null | undefined): string => (x == null ? '—' : Math.round(x).toLocaleString('en-US'));
export const num = (x: number | null | undefined, d = 1): string =>
  x == null ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 });
export const usText = (us: number): string => (us < 1e6 ? `${num(us / 1000, 1)} ms` : `${num(us / 1e6, 1)} s`);
export const sec = (ms: number | null | undefined): string => (ms == null ? 'never' : `${num(ms / 1000, 1)} s`);
export const waitText = (ms: number | null | undefined): string => (ms == null ? '< 1 ms' : ms >= 1000 ? `≥ ${num(ms / 1000, 1)} s` : `≥ ${num(ms, 0)} ms`);
export const pct = (k: number, n: number): string => (n > 0 ? `${num((100 * k) / n, k > 0 && (100 * k) / n < 0.1 ? 3 : 1)} %` : '—');

export interface FirstWith {
  readonly at: number | null;
  readonly below: number | null;
}
/** The smallest client count with a false expiry of this kind, and the largest below it without. */
export const firstWith = (rows: readonly CapacityRunJson[], count: (r: CapacityRunJson) => number): FirstWith => {
  const i = rows.findIndex((r) => count(r) > 0);
  if (i < 0) return { at: null, below: rows.at(-1)?.clients ?? null };
  return { at: rows[i]?.clients ?? null, below: i > 0 ? (rows[i - 1]?.clients ?? null) : null };
};
export const bracket = (f: FirstWith, what: string): string =>
  f.at === null
    ? `no ${what} in any run, up to ${int(f.below)} clients`
    : f.below === null
      ? `${what} already at ${int(f.at)} clients, the smallest count run`
      : `${what} first at **${int(f.at)} clients** (none at ${int(f.below)})`;
/** Every server message per second (registrations and removals are events, not messages). */
export const totalMsgs = (r: CapacityRunJson): number =>
  Object.entries(r.loadPerSec)
    .filter(([k]) => !['registrations', 'removals'].includes(k))
    .reduce((s, [, v]) => s + v, 0);
