import type { RandomStream } from './random.js';
import type { Micros } from './time.js';

/**
 * One-way latency of a link direction. Every distribution is bounded (lognormal is capped at
 * `maxUs`) so that the analytic bounds can name the envelope [minUs, maxUs].
 */
export type LatencySpec =
  | { readonly kind: 'fixed'; readonly us: Micros }
  | { readonly kind: 'uniform'; readonly minUs: Micros; readonly maxUs: Micros }
  | { readonly kind: 'lognormal'; readonly medianUs: Micros; readonly sigma: number; readonly maxUs: Micros };

export const sampleLatency = (spec: LatencySpec, rng: RandomStream): Micros => {
  switch (spec.kind) {
    case 'fixed':
      return spec.us;
    case 'uniform':
      return spec.minUs + Math.floor(rng.next() * (spec.maxUs - spec.minUs + 1));
    case 'lognormal':
      return Math.min(spec.maxUs, Math.round(spec.medianUs * Math.exp(spec.sigma * rng.normal())));
  }
};

export interface LatencyEnvelope {
  readonly minUs: Micros;
  readonly maxUs: Micros;
}

export const latencyEnvelope = (spec: LatencySpec): LatencyEnvelope => {
  switch (spec.kind) {
    case 'fixed':
      return { minUs: spec.us, maxUs: spec.us };
    case 'uniform':
      return { minUs: spec.minUs, maxUs: spec.maxUs };
    case 'lognormal':
      return { minUs: 0, maxUs: spec.maxUs };
  }
};
