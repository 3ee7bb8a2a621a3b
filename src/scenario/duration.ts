import type { Micros } from '../sim/time.js';
import { InputError } from './input-error.js';

const UNIT_US: Readonly<Record<string, number>> = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000, d: 86_400_000_000 };

/** Longest duration livesim accepts anywhere (a horizon of a year is already far past any detection). */
export const MAX_DURATION_US: Micros = 366 * 86_400_000_000;

const DURATION = /^(\d+(?:\.\d+)?)(us|ms|s|m|h|d)?$/;

/**
 * Parses `15s`, `500ms`, `3m`, `1.5h`, `200us`, or a bare number of milliseconds (as Nacos
 * takes its timeouts), into whole microseconds. `what` names the value in the error.
 */
export const parseDuration = (text: string | number, what: string): Micros => {
  const raw = String(text).trim();
  const m = DURATION.exec(raw);
  if (m === null) {
    const why = /^-\d/.test(raw) ? 'is negative, not a duration' : 'is not a duration';
    throw new InputError(`${what}: '${raw}' ${why} (accepted: a number of ms, or NUMBER with us|ms|s|m|h|d, e.g. 500ms, 15s, 3m)`);
  }
  const us = Math.round(Number(m[1]) * (UNIT_US[m[2] ?? 'ms'] as number));
  if (!Number.isFinite(us) || us > MAX_DURATION_US) {
    throw new InputError(`${what}: '${raw}' is too long (at most 366d)`);
  }
  return us;
};

/** Exact, readable text for a µs duration: 60s, 5m, 1500ms, 250us (minutes only from 5m, hours from 1h). */
export const formatDuration = (us: Micros): string => {
  if (us >= 3_600_000_000 && us % 3_600_000_000 === 0) return `${us / 3_600_000_000}h`;
  if (us >= 300_000_000 && us % 60_000_000 === 0) return `${us / 60_000_000}m`;
  if (us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  return us % 1000 === 0 ? `${us / 1000}ms` : `${us}us`;
};
