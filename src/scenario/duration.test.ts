import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_DURATION_US, parseDuration } from './duration.js';
import { InputError } from './input-error.js';

const fails = (text: string | number, ...parts: string[]) => {
  let err: unknown;
  try {
    parseDuration(text, 'until');
  } catch (e) {
    err = e;
  }
  expect(err, `'${text}' should be rejected`).toBeInstanceOf(InputError);
  const msg = (err as Error).message;
  expect(msg).toContain('until');
  for (const p of parts) expect(msg).toContain(p);
  expect(msg).not.toContain('\n');
};

describe('parseDuration', () => {
  it('reads every unit into whole microseconds', () => {
    expect(parseDuration('200us', 'x')).toBe(200);
    expect(parseDuration('500ms', 'x')).toBe(500_000);
    expect(parseDuration('15s', 'x')).toBe(15_000_000);
    expect(parseDuration('3m', 'x')).toBe(180_000_000);
    expect(parseDuration('1.5h', 'x')).toBe(5_400_000_000);
    expect(parseDuration('1d', 'x')).toBe(86_400_000_000);
    expect(parseDuration('0s', 'x')).toBe(0);
  });

  it('a bare number is milliseconds, as Nacos takes its timeouts; numbers work as well as text', () => {
    expect(parseDuration('30000', 'x')).toBe(30_000_000);
    expect(parseDuration(30000, 'x')).toBe(30_000_000);
    expect(parseDuration('0.5', 'x')).toBe(500);
    expect(parseDuration(' 15s ', 'x')).toBe(15_000_000);
  });

  it('rounds fractions to the nearest microsecond', () => {
    expect(parseDuration('1.0004ms', 'x')).toBe(1_000);
    expect(parseDuration('1.0006ms', 'x')).toBe(1_001);
    expect(parseDuration('0.4us', 'x')).toBe(0);
  });

  it('accepts up to 366 days and refuses longer, saying the maximum', () => {
    expect(parseDuration('366d', 'x')).toBe(MAX_DURATION_US);
    fails('367d', 'too long', '366d');
    fails('99999999999999999999999h', 'too long');
    fails(`${'9'.repeat(400)}s`, 'too long');
  });

  it('refuses what is not a duration, saying what is accepted', () => {
    for (const bad of ['', '5x', 's', '5 s', '1e3', '.5s', '5.s', 'NaN', 'Infinity', '0x10', '５s', '15S', '15sec', '1m30s', '--5s', '5s5']) {
      fails(bad, 'is not a duration', 'accepted:', 'ms');
    }
  });

  it('refuses negative durations and says so', () => {
    fails('-5s', 'negative');
    fails(-1, 'negative');
    fails('-0.5ms', 'negative');
  });

  it('formatDuration gives text that parses back to the same microseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_DURATION_US }), (us) => {
        expect(parseDuration(formatDuration(us), 'x')).toBe(us);
      }),
    );
    expect(formatDuration(60_000_000)).toBe('60s');
    expect(formatDuration(300_000_000)).toBe('5m');
    expect(formatDuration(3_600_000_000)).toBe('1h');
    expect(formatDuration(1_500_000)).toBe('1500ms');
    expect(formatDuration(250)).toBe('250us');
  });

  it('never throws anything but InputError, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.double().map(String)), (text) => {
        try {
          const us = parseDuration(text, 'x');
          expect(Number.isInteger(us) && us >= 0 && us <= MAX_DURATION_US).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
