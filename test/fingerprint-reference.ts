import { createHash } from 'node:crypto';

/**
 * The trace fingerprint as docs/trace-format.md defines it, written again from the text with
 * BigInt arithmetic and nothing shared with src/sim/fingerprint.ts, so that the two can check
 * each other. Input: the lines of `run --trace` (without newlines).
 */
const M32 = (1n << 32n) - 1n;
const u32 = (x: bigint): bigint => x & M32;
const mul = (a: bigint, b: bigint): bigint => u32(a * b);

const fmix = (x: bigint): bigint => {
  let h = u32(x);
  h ^= h >> 16n;
  h = mul(h, 0x85ebca6bn);
  h ^= h >> 13n;
  h = mul(h, 0xc2b2ae35n);
  h ^= h >> 16n;
  return h;
};

const fnv1a = (text: string, basis: bigint): bigint => {
  let h = basis;
  for (let i = 0; i < text.length; i++) h = mul(h ^ BigInt(text.charCodeAt(i)), 0x01000193n);
  return h;
};

export const referenceFingerprint = (lines: readonly string[]): string => {
  const sums = [0n, 0n, 0n, 0n];
  for (const line of lines) {
    const space = line.indexOf(' ');
    const t = BigInt(line.slice(0, space));
    const rest = line.slice(space + 1);
    const a = fmix(fnv1a(rest, 0x811c9dc5n));
    const b = fmix(fnv1a(rest, 0x9747b28cn));
    const l = [fmix(a ^ 0x243f6a88n), fmix(b ^ 0x85a308d3n), fmix(a ^ 0x13198a2en), fmix(b ^ 0x03707344n)];
    const lo = t & M32;
    const hi = t >> 32n;
    const t0 = fmix(lo ^ 0xa4093822n ^ mul(hi, 0x9e3779b1n));
    const t1 = fmix(u32(lo + 0x299f31d0n) ^ mul(hi, 0x7feb352dn));
    const v = [fmix((l[0] as bigint) + t0), fmix((l[1] as bigint) + t1), fmix((l[2] as bigint) ^ t1), fmix((l[3] as bigint) ^ t0)];
    for (let j = 0; j < 4; j++) sums[j] = u32((sums[j] as bigint) + (v[j] as bigint));
  }
  return createHash('sha256')
    .update(`livesim-trace/2 ${lines.length} ${sums.join(' ')}`)
    .digest('hex');
};
