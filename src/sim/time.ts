/**
 * Simulated time is an integer count of microseconds since the start of a run.
 * A double holds integers exactly up to 2^53 µs ≈ 285 years, so plain numbers suffice.
 * Outputs report milliseconds; everything inside the kernel stays in µs.
 */
export type Micros = number;

export const US_PER_MS = 1_000;
export const US_PER_S = 1_000_000;

export const msToUs = (ms: number): Micros => Math.round(ms * US_PER_MS);
export const sToUs = (s: number): Micros => Math.round(s * US_PER_S);
/** µs → ms, keeping sub-millisecond precision as a decimal (3 places at most). */
export const usToMs = (us: Micros): number => us / US_PER_MS;
