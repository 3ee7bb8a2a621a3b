import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latencyEnvelope, sampleLatency } from '../sim/latency.js';
import { RandomStreams } from '../sim/random.js';
import { InputError } from './input-error.js';
import { parseLatency } from './latency-dsl.js';

const rejects = (text: string, ...parts: string[]) => {
  let err: unknown;
  try {
    parseLatency(text);
  } catch (e) {
    err = e;
  }
  expect(err, `'${text}' should be rejected`).toBeInstanceOf(InputError);
  const msg = (err as Error).message;
  expect(msg).toContain('net.latency');
  for (const p of parts) expect(msg).toContain(p);
};

describe('latency DSL', () => {
  it('parses the three bounded distributions', () => {
    expect(parseLatency('fixed:1ms')).toEqual({ kind: 'fixed', us: 1_000 });
    expect(parseLatency('fixed:0')).toEqual({ kind: 'fixed', us: 0 });
    expect(parseLatency('uniform:200us..1ms')).toEqual({ kind: 'uniform', minUs: 200, maxUs: 1_000 });
    expect(parseLatency('uniform:5ms..5ms')).toEqual({ kind: 'uniform', minUs: 5_000, maxUs: 5_000 });
    expect(parseLatency(' lognormal:20ms/0.3/200ms ')).toEqual({ kind: 'lognormal', medianUs: 20_000, sigma: 0.3, maxUs: 200_000 });
  });

  it('the LAN default parses', () => {
    expect(latencyEnvelope(parseLatency('uniform:200us..1ms'))).toEqual({ minUs: 200, maxUs: 1_000 });
  });

  it('rejects unknown forms and lists the accepted ones', () => {
    for (const bad of ['', 'fast', 'normal:1ms/1', 'fixed', 'FIXED:1ms', 'exponential:5ms'])
      rejects(bad, 'fixed:D', 'uniform:MIN..MAX', 'lognormal:MEDIAN/SIGMA/MAX');
  });

  it('rejects bad durations and bounds in the wrong order', () => {
    rejects('fixed:-1ms', 'negative');
    rejects('fixed:soon', 'not a duration');
    rejects('uniform:1ms', 'uniform:MIN..MAX');
    rejects('uniform:1ms..2ms..3ms', 'uniform:MIN..MAX');
    rejects('uniform:1ms..', 'not a duration');
    rejects('uniform:5ms..1ms', 'MAX must not be below MIN');
    rejects('lognormal:20ms/0.3', 'SIGMA in [0, 5]');
    rejects('lognormal:20ms/x/200ms', 'SIGMA in [0, 5]');
    rejects('lognormal:20ms/-1/200ms', 'SIGMA in [0, 5]');
    rejects('lognormal:20ms/6/200ms', 'SIGMA in [0, 5]');
    rejects('lognormal:20ms/NaN/200ms', 'SIGMA in [0, 5]');
    rejects('lognormal:20ms/0.3/10ms', 'MAX must not be below MEDIAN');
  });

  it('every draw stays inside the envelope the analytic bounds use', () => {
    const spec = fc.oneof(
      fc.integer({ min: 0, max: 1_000_000 }).map((us) => `fixed:${us}us`),
      fc
        .tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }))
        .map(([a, b]) => `uniform:${Math.min(a, b)}us..${Math.max(a, b)}us`),
      fc
        .tuple(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 5, noNaN: true }), fc.integer({ min: 0, max: 1_000_000 }))
        .map(([m, s, extra]) => `lognormal:${m}us/${s}/${m + extra}us`),
    );
    fc.assert(
      fc.property(spec, fc.integer({ min: 0, max: 1000 }), (text, seed) => {
        const parsed = parseLatency(text);
        const env = latencyEnvelope(parsed);
        const rng = new RandomStreams(seed).get('l');
        for (let i = 0; i < 50; i++) {
          const us = sampleLatency(parsed, rng);
          expect(Number.isInteger(us)).toBe(true);
          expect(us).toBeGreaterThanOrEqual(env.minUs);
          expect(us).toBeLessThanOrEqual(env.maxUs);
        }
      }),
      { numRuns: 200 },
    );
  });
});
