import { msToUs } from '../../sim/time.js';
import { type Config, num } from '../knob.js';
import { CONSUL_CONSTANTS as K, CONSUL_KEYS as KEY } from './defaults.js';

/** The Consul model's view of a resolved configuration, every duration in ms. */
export interface ConsulSettings {
  readonly checkType: 'ttl' | 'http';
  readonly ttlMs: number;
  /** HTTP check: interval (raised to 1 s) and timeout. */
  readonly checkIntervalMs: number;
  readonly checkTimeoutMs: number;
  /** The effective reap timeout: 0 (never) or at least the 1 min minimum (agent.go addCheck). */
  readonly deregisterAfterMs: number;
  readonly probeIntervalMs: number;
  readonly probeTimeoutMs: number;
  readonly suspicionMult: number;
  readonly gossipIntervalMs: number;
  readonly gossipNodes: number;
  readonly retransmitMult: number;
  readonly indirectChecks: number;
  readonly suspicionMaxMult: number;
  readonly awarenessMax: number;
  readonly gossipToTheDeadMs: number;
  readonly ttlUpdateIntervalMs: number;
  /** null: drawn from the run seed per agent. */
  readonly agentPhaseUs: number | null;
}

export const consulSettings = (c: Config): ConsulSettings => {
  const asked = num(c, KEY.deregisterAfter);
  return {
    checkType: c[KEY.checkType] === 'http' ? 'http' : 'ttl',
    ttlMs: num(c, KEY.ttl),
    checkIntervalMs: Math.max(K.checkMinIntervalMs, num(c, KEY.interval)),
    checkTimeoutMs: num(c, KEY.timeout),
    deregisterAfterMs: asked > 0 ? Math.max(asked, K.deregisterMinMs) : 0,
    probeIntervalMs: num(c, KEY.probeInterval),
    probeTimeoutMs: num(c, KEY.probeTimeout),
    suspicionMult: num(c, KEY.suspicionMult),
    gossipIntervalMs: num(c, KEY.gossipInterval),
    gossipNodes: num(c, KEY.gossipNodes),
    retransmitMult: num(c, KEY.retransmitMult),
    indirectChecks: num(c, KEY.indirectChecks),
    suspicionMaxMult: num(c, KEY.suspicionMaxMult),
    awarenessMax: num(c, KEY.awarenessMax),
    gossipToTheDeadMs: num(c, KEY.gossipToTheDead),
    ttlUpdateIntervalMs: num(c, KEY.ttlUpdateInterval),
    agentPhaseUs: typeof c[KEY.agentPhase] === 'number' ? msToUs(c[KEY.agentPhase] as number) : null,
  };
};

/** Go's math.Frexp for x > 0: x = frac × 2^exp, frac in [½, 1). */
const frexp = (x: number): [number, number] => {
  let exp = Math.floor(Math.log2(x)) + 1;
  let frac = x / 2 ** exp;
  if (frac >= 1) [frac, exp] = [frac * K.half, exp + 1];
  if (frac < K.half) [frac, exp] = [frac / K.half, exp - 1];
  return [frac, exp];
};

/** Go's math.Log10 as memberlist gets it (log10.go, log2 in log10.go): exact at powers of ten, as Go is. */
const log10 = (x: number): number => {
  const [frac, exp] = frexp(x);
  const log2 = frac === K.half ? exp - 1 : Math.log(frac) * K.invLn2 + exp;
  return log2 * K.log10Of2;
};

/** util.go suspicionTimeout: SuspicionMult × Duration(max(1, log10(max(1, n))) × 1000) × interval / 1000, in µs (Go's integer ns). */
export const suspicionMinUs = (s: ConsulSettings, n: number): number => {
  const scale = Math.max(1, log10(Math.max(1, n)));
  const intervalNs = msToUs(s.probeIntervalMs) * K.secondMs;
  const ns = Math.trunc((s.suspicionMult * Math.trunc(scale * K.suspicionScalePrecision) * intervalNs) / K.suspicionScalePrecision);
  return Math.trunc(ns / K.secondMs);
};

/** suspectNode: confirmations wanted, k = SuspicionMult − 2, or 0 when n − 2 < k. */
export const confirmationsWanted = (s: ConsulSettings, n: number): number => {
  const k = s.suspicionMult - K.confirmationsOffset;
  return n - K.confirmationsOffset < k ? 0 : k;
};

/**
 * suspicion.go remainingSuspicionTime (before subtracting the elapsed time): max − log(c+1)/log(k+1)·(max − min),
 * floored to whole ms, never below min; µs.
 */
export const suspicionTimeoutUs = (minUs: number, maxUs: number, confirmations: number, k: number): number => {
  if (k < 1) return minUs;
  const frac = Math.log(confirmations + 1) / Math.log(k + 1);
  const rawS = maxUs / msToUs(K.secondMs) - frac * ((maxUs - minUs) / msToUs(K.secondMs));
  const us = msToUs(Math.floor(K.secondMs * rawS));
  return Math.max(us, minUs);
};

/** util.go retransmitLimit: RetransmitMult × ceil(log10(n + 1)). */
export const retransmitLimit = (s: ConsulSettings, n: number): number => s.retransmitMult * Math.ceil(log10(n + 1));
