import seedrandom from 'seedrandom';

/**
 * Named random streams. Every stream is seeded from (run seed, stream name) alone, so a new
 * stream — another client, another link, another fault — never shifts the draws of the others.
 * That gives common random numbers across a sweep: the same seed sees the same latency draws
 * at every configuration point.
 */
export interface RandomStream {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi], both inclusive. */
  intInclusive(lo: number, hi: number): number;
  /** True with probability p (p ≤ 0 never, p ≥ 1 always, and neither consumes a draw). */
  chance(p: number): boolean;
  /** Standard normal draw (Box–Muller; consumes two uniforms). */
  normal(): number;
}

class AleaStream implements RandomStream {
  private readonly prng: seedrandom.PRNG;

  constructor(seed: string) {
    // Alea: fast, 32-bit quality is plenty for latency and phase draws, and seeds from any string.
    this.prng = seedrandom.alea(seed);
  }

  next(): number {
    return this.prng();
  }

  intInclusive(lo: number, hi: number): number {
    return lo + Math.floor(this.prng() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.prng() < p;
  }

  normal(): number {
    const u1 = 1 - this.prng(); // (0, 1]: log is finite
    const u2 = this.prng();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

/** The one place a stream's seed is formed from the run seed and the stream's name. */
export const streamSeed = (runSeed: number, name: string): string => `livesim/${runSeed}/${name}`;

export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();

  constructor(readonly runSeed: number) {}

  get(name: string): RandomStream {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      stream = new AleaStream(streamSeed(this.runSeed, name));
      this.streams.set(name, stream);
    }
    return stream;
  }
}
