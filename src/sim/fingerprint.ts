import { createHash } from 'node:crypto';
import type { Micros } from './time.js';

/**
 * The trace fingerprint: a 128-bit multiset hash of a run's timed lines.
 *
 * Each line `<t> <rest>` (rest = `<host> <kind>[ <data>]`) contributes four 32-bit values that
 * depend on the line's time and on a 64-bit hash of its rest; the fingerprint is their lane-wise
 * sum mod 2^32 plus the number of lines. Two runs with the same fingerprint recorded the same
 * lines at the same microseconds.
 *
 * Why a sum and not SHA-256 of the lines in order: a sum can be built from parts. A quiet client
 * (`quiet.ts`) that is stepped outside the kernel adds its lines in its own order, and a line's
 * value needs only its time and the hash of its rest, computed once per kind of line — at 100,000
 * clients × 1 h that is the difference between hashing 20 GB of text and a few additions per
 * event. What the sum does not see is the order of lines that share a microsecond (their times
 * already order all others); `--check-determinism` compares the lines themselves, in order.
 *
 * The exact arithmetic is in docs/trace-format.md; test/fingerprint.test.ts recomputes it from
 * `run --trace` output with an independent implementation.
 */

/**
 * A line's rest, hashed once: two 32-bit FNV-1a hashes (offset bases A and B) of its UTF-16 code
 * units, finalised, then spread over the four lanes (`lane_j = fmix32(h_(j mod 2) ^ seed_j)`).
 */
export interface RestHash {
  readonly l0: number;
  readonly l1: number;
  readonly l2: number;
  readonly l3: number;
}

const FNV_PRIME = 0x01000193;
const BASIS_A = 0x811c9dc5;
const BASIS_B = 0x9747b28c;
const LANE_SEEDS = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344] as const;
/** Two time hashes (T0, T1) from the time's low and high 32 bits, with these constants. */
const TIME_SEED_0 = 0xa4093822;
const TIME_SEED_1 = 0x299f31d0;
const GOLDEN = 0x9e3779b1;
const SILVER = 0x7feb352d;
const TWO_32 = 0x1_0000_0000;

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
export const fmix32 = (x: number): number => {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

export const hashRest = (rest: string): RestHash => {
  let a = BASIS_A;
  let b = BASIS_B;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    a = Math.imul(a ^ c, FNV_PRIME);
    b = Math.imul(b ^ c, FNV_PRIME);
  }
  a = fmix32(a);
  b = fmix32(b);
  return { l0: fmix32(a ^ LANE_SEEDS[0]), l1: fmix32(b ^ LANE_SEEDS[1]), l2: fmix32(a ^ LANE_SEEDS[2]), l3: fmix32(b ^ LANE_SEEDS[3]) };
};

/** T0 and T1 of a line's time (see `Fingerprint.add`), from its low and high 32 bits. */
const timeHash0 = (tUs: Micros): number => fmix32((tUs >>> 0) ^ TIME_SEED_0 ^ Math.imul(Math.floor(tUs / TWO_32), GOLDEN));
const timeHash1 = (tUs: Micros): number => fmix32((((tUs >>> 0) + TIME_SEED_1) >>> 0) ^ Math.imul(Math.floor(tUs / TWO_32), SILVER));

export class Fingerprint {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private n = 0;

  /**
   * Adds the line `<tUs> <rest>` whose rest hashes to `r`: with tLo, tHi the time's low and high
   * 32 bits, T0 = fmix32(tLo ^ S0 ^ tHi·G), T1 = fmix32((tLo + S1) ^ tHi·H), and the lanes get
   * fmix32(l0 + T0), fmix32(l1 + T1), fmix32(l2 ^ T1), fmix32(l3 ^ T0), each summed mod 2^32.
   */
  add(tUs: Micros, r: RestHash): void {
    this.mix(timeHash0(tUs), timeHash1(tUs), r);
    this.n++;
  }

  /** Adds two lines at the same time (`add(t, a); add(t, b)`, hashing the time once): a quiet cycle has several such pairs. */
  addPair(tUs: Micros, a: RestHash, b: RestHash): void {
    const t0 = timeHash0(tUs);
    const t1 = timeHash1(tUs);
    this.mix(t0, t1, a);
    this.mix(t0, t1, b);
    this.n += 2;
  }

  private mix(t0: number, t1: number, r: RestHash): void {
    this.s0 = (this.s0 + fmix32(r.l0 + t0)) >>> 0;
    this.s1 = (this.s1 + fmix32(r.l1 + t1)) >>> 0;
    this.s2 = (this.s2 + fmix32(r.l2 ^ t1)) >>> 0;
    this.s3 = (this.s3 + fmix32(r.l3 ^ t0)) >>> 0;
  }

  get lines(): number {
    return this.n;
  }

  /** The run's `traceHash`: hex SHA-256 of `livesim-trace/2 <lines> <s0> <s1> <s2> <s3>` (decimal lanes). */
  digest(): string {
    return createHash('sha256').update(`livesim-trace/2 ${this.n} ${this.s0} ${this.s1} ${this.s2} ${this.s3}`).digest('hex');
  }
}
