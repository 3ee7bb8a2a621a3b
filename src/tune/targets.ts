import { parseDuration } from '../scenario/duration.js';
import { InputError } from '../scenario/input-error.js';
import type { DetectionKind } from './spaces.js';

/**
 * What `livesim tune` must meet: the p99 of one detection time under the fault, and the rate of
 * fault-free runs in which a live instance was removed; among the settings that meet both, the
 * one with the smallest server load wins.
 */
export interface TuneTargets {
  readonly detection: DetectionKind;
  /** p99 of the detection time (ms from the fault) must be at most this. */
  readonly detectionMs: number;
  /** Fraction of fault-free runs with at least one false removal, at most this. */
  readonly maxFalseRemovalRate: number;
  /** The load minimised: protocol messages or every datagram (TCP segments and HTTP/2 PINGs too), per second. */
  readonly load: LoadKind;
}

export type LoadKind = 'messages' | 'datagrams';
export const LOAD_KINDS: readonly LoadKind[] = ['messages', 'datagrams'];
export const DETECTION_KINDS: readonly DetectionKind[] = ['server', 'subscriber', 'client'];

export interface TargetFlags {
  readonly targetDetection?: string | number;
  readonly maxFalseRemovalRate?: string | number;
  readonly detection?: string;
  readonly load?: string;
}

/** `0.01`, `1%` or `1 %`: a fraction in [0, 1]. */
export const parseRate = (text: string | number, what: string): number => {
  const raw = String(text).trim();
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(%?)$/.exec(raw);
  const value = m === null ? Number.NaN : Number(m[1]) / (m[2] === '%' ? 100 : 1);
  if (!(value >= 0 && value <= 1)) throw new InputError(`${what} '${raw}': expected a rate from 0 to 1 (e.g. 0.001) or a percentage (e.g. 0.1%)`);
  return value;
};

/** `defaultDetection`: the detection the model records first (its tune space's), used when --detection is not given. */
export const parseTargets = (flags: TargetFlags, defaultDetection: DetectionKind = 'server'): TuneTargets => {
  if (flags.targetDetection === undefined) throw new InputError('--target-detection DUR is required (the p99 detection time to meet, e.g. 20s)');
  if (flags.maxFalseRemovalRate === undefined)
    throw new InputError('--max-false-removal-rate R is required (the largest acceptable share of fault-free runs with a false removal, e.g. 0.01 or 1%)');
  const detectionUs = parseDuration(flags.targetDetection, '--target-detection');
  if (detectionUs === 0) throw new InputError('--target-detection: must be positive');
  const detection = (flags.detection ?? defaultDetection) as DetectionKind;
  if (!DETECTION_KINDS.includes(detection)) throw new InputError(`--detection '${flags.detection}': accepted: ${DETECTION_KINDS.join(', ')}`);
  const load = (flags.load ?? 'messages') as LoadKind;
  if (!LOAD_KINDS.includes(load)) throw new InputError(`--load '${flags.load}': accepted: ${LOAD_KINDS.join(', ')}`);
  return {
    detection,
    detectionMs: detectionUs / 1000,
    maxFalseRemovalRate: parseRate(flags.maxFalseRemovalRate, '--max-false-removal-rate'),
    load,
  };
};
