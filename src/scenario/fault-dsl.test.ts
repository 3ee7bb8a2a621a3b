import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, formatFault, parseFault, parseFaultTemplate, placeFault } from './fault-dsl.js';
import { InputError } from './input-error.js';

const S = 1_000_000;

/** The fault text must be rejected with one line that contains every given part. */
const rejects = (text: string, ...parts: string[]) => {
  let err: unknown;
  try {
    parseFault(text);
  } catch (e) {
    err = e;
  }
  expect(err, `'${text}' should be rejected`).toBeInstanceOf(InputError);
  const msg = (err as Error).message;
  expect(msg).toContain(`fault '${text.trim()}'`);
  for (const p of parts) expect(msg).toContain(p);
  expect(msg).not.toContain('\n');
};

describe('fault DSL: every form of the design parses to the right data', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['cut@60s', { kind: 'cut', startUs: 60 * S, endUs: null }],
    ['cut@60s-90s', { kind: 'cut', startUs: 60 * S, endUs: 90 * S }],
    ['oneway:c2s@60s', { kind: 'oneway', direction: 'c2s', startUs: 60 * S, endUs: null }],
    ['oneway:s2c@60s', { kind: 'oneway', direction: 's2c', startUs: 60 * S, endUs: null }],
    ['rst@60s', { kind: 'rst', startUs: 60 * S, endUs: null }],
    ['crash@60s', { kind: 'crash', startUs: 60 * S, endUs: null }],
    ['pause@60s-75s', { kind: 'pause', startUs: 60 * S, endUs: 75 * S }],
    ['server-pause@60s-75s', { kind: 'server-pause', startUs: 60 * S, endUs: 75 * S }],
    ['loss:0.2@60s-120s', { kind: 'loss', probability: 0.2, startUs: 60 * S, endUs: 120 * S }],
    ['delay:800ms@60s', { kind: 'delay', delayUs: 800_000, startUs: 60 * S, endUs: null }],
    ['flap:2s/8s@60s-300s', { kind: 'flap', upUs: 2 * S, downUs: 8 * S, startUs: 60 * S, endUs: 300 * S }],
    ['beat-error@60s', { kind: 'beat-error', startUs: 60 * S, endUs: null }],
  ];
  for (const [text, want] of cases) {
    it(text, () => {
      const f = parseFault(text);
      expect(f).toMatchObject(want);
      // Nothing but the kind's own arguments is set.
      const argKeys = Object.keys(f).filter((k) => !['kind', 'startUs', 'endUs', 'text'].includes(k));
      expect(argKeys.sort()).toEqual(
        Object.keys(want)
          .filter((k) => !['kind', 'startUs', 'endUs'].includes(k))
          .sort(),
      );
      // The canonical text reads back to the same fault.
      expect(parseFault(f.text)).toEqual(f);
    });
  }

  it('times take every duration unit and bare milliseconds; spaces around are ignored', () => {
    expect(parseFault('cut@1m-90000').startUs).toBe(60 * S);
    expect(parseFault('cut@1m-90000').endUs).toBe(90 * S);
    expect(parseFault('  crash@1500ms ').startUs).toBe(1_500_000);
    expect(parseFault('loss:1@0s').probability).toBe(1);
    expect(parseFault('loss:0@0s').probability).toBe(0);
    expect(parseFault('loss:.5@0s').probability).toBe(0.5);
    expect(parseFault('delay:0ms@5s').delayUs).toBe(0);
  });

  it('canonical text is the shortest exact form', () => {
    expect(parseFault('cut@60000-90000').text).toBe('cut@60s-90s');
    expect(parseFault('flap:2000/8000@1m-5m').text).toBe('flap:2s/8s@60s-5m');
  });

  it('without @START a template leaves the onset to the caller; placing it keeps the length', () => {
    const t = parseFaultTemplate('pause');
    expect(t).toMatchObject({ kind: 'pause', startUs: null, endUs: null, durationUs: null });
    const cut = parseFaultTemplate('cut@10s-25s');
    expect(placeFault(cut, 100 * S)).toMatchObject({ kind: 'cut', startUs: 100 * S, endUs: 115 * S, text: 'cut@100s-115s' });
    expect(placeFault(parseFaultTemplate('oneway:s2c'), 7 * S).text).toBe('oneway:s2c@7s');
  });

  it('formatFault and parseFault agree on random faults', () => {
    const arb = fc.record({
      kind: fc.constantFrom('cut', 'oneway', 'loss', 'delay', 'flap', 'pause'),
      startUs: fc.integer({ min: 0, max: 3600 * S }),
      len: fc.integer({ min: 1, max: 3600 * S }),
      direction: fc.constantFrom('c2s', 's2c'),
      probability: fc.constantFrom(0, 0.25, 0.5, 1),
      delayUs: fc.integer({ min: 0, max: 10 * S }),
      upUs: fc.integer({ min: 1, max: 60 * S }),
      downUs: fc.integer({ min: 1, max: 60 * S }),
    });
    fc.assert(
      fc.property(arb, (r) => {
        const base = { kind: r.kind, startUs: r.startUs, endUs: r.startUs + r.len };
        const extra =
          r.kind === 'oneway'
            ? { direction: r.direction }
            : r.kind === 'loss'
              ? { probability: r.probability }
              : r.kind === 'delay'
                ? { delayUs: r.delayUs }
                : r.kind === 'flap'
                  ? { upUs: r.upUs, downUs: r.downUs }
                  : {};
        const f = { ...base, ...extra } as Parameters<typeof formatFault>[0];
        const text = formatFault(f);
        expect(parseFault(text)).toEqual({ ...f, text });
      }),
      { numRuns: 200 },
    );
  });
});

describe('fault DSL: malformed faults are rejected with a message naming the bad part', () => {
  it('an unknown kind lists the accepted kinds', () => {
    rejects('cutt@60s', "unknown kind 'cutt'", 'accepted:', ...FAULT_KINDS);
    rejects('partition@60s', "unknown kind 'partition'");
  });

  it('text without the DSL shape names the missing part and shows the form with examples', () => {
    rejects('cut60s', "missing '@'", 'KIND[:ARGS]@START[-END]', 'cut@60s');
    rejects('cut@', 'missing the start', 'KIND[:ARGS]@START[-END]');
    rejects('cut@60s-', 'missing the end', 'KIND[:ARGS]@START[-END]');
    rejects('cut@60s@90s', "start: '60s@90s' is not a duration");
    rejects('CUT@60s', 'lower-case', 'KIND[:ARGS]@START[-END]');
    rejects('', 'KIND[:ARGS]@START[-END]');
  });

  it('run needs @START', () => {
    rejects('cut', 'needs @START', 'cut@60s');
    rejects('loss:0.2', 'needs @START');
  });

  it('bad or negative times name which time is bad and what a duration is', () => {
    rejects('cut@5x', "start: '5x' is not a duration", 'accepted:');
    rejects('cut@60s-9q', "end: '9q' is not a duration");
    rejects('cut@-5s', 'negative');
    rejects('cut@5s--10s', 'negative');
    rejects('cut@NaN', "start: 'NaN' is not a duration");
    rejects('cut@400d', 'start', 'too long');
    rejects('delay:fast@60s', "delay: 'fast' is not a duration");
    rejects('delay:-5ms@60s', "delay: '-5ms' is negative");
  });

  it('the end must be after the start', () => {
    rejects('cut@90s-60s', 'end must be after start');
    rejects('cut@60s-60s', 'end must be after start');
    rejects('pause@60s-60000', 'end must be after start');
  });

  it('loss is a probability in [0, 1]', () => {
    for (const p of ['1.5', '2', '-0.1', 'NaN', 'abc', '1e-1', '0x1', '']) rejects(`loss:${p}@60s`, 'loss');
    rejects('loss:1.01@60s', 'probability in [0, 1]');
    rejects('loss@60s', 'needs an argument', 'loss:0.2');
  });

  it('flap needs two positive durations', () => {
    rejects('flap:0s/8s@60s', 'positive');
    rejects('flap:2s/0@60s', 'positive');
    rejects('flap:2s@60s', 'UP/DOWN', 'flap:2s/8s');
    rejects('flap:2s/8s/1s@60s', 'UP/DOWN');
    rejects('flap:2s/x@60s', "down time: 'x' is not a duration");
    rejects('flap@60s', 'needs an argument');
  });

  it('pause and server-pause need an end', () => {
    rejects('pause@60s', 'pause needs an end', 'pause@60s-75s');
    rejects('server-pause@60s', 'server-pause needs an end', 'server-pause@60s-75s');
  });

  it('kinds without arguments refuse them; oneway needs a direction', () => {
    for (const k of ['cut', 'rst', 'crash', 'beat-error']) rejects(`${k}:x@60s`, `${k} takes no arguments`);
    rejects('pause:5s@60s-75s', 'pause takes no arguments');
    rejects('oneway@60s', 'oneway needs an argument', 'oneway:c2s@60s');
    rejects('oneway:up@60s', 'direction must be c2s or s2c');
    rejects('oneway:C2S@60s', 'direction must be c2s or s2c');
  });

  it('instantaneous kinds refuse an end rather than ignore it', () => {
    for (const k of ['crash', 'rst', 'beat-error']) rejects(`${k}@60s-90s`, `${k} happens once and has no end`, `${k}@60s`);
  });

  it('never throws anything but InputError, whatever the text', () => {
    const piece = fc.constantFrom(
      'cut',
      'loss',
      'flap',
      'pause',
      'oneway',
      ':',
      '@',
      '-',
      '/',
      '0.2',
      '60s',
      '8s',
      '-5s',
      'NaN',
      'c2s',
      '1e9d',
      '..',
      '\u00e9',
      '\u202e',
    );
    const text = fc.oneof(
      fc.string(),
      fc.array(piece, { maxLength: 8 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          const f = parseFaultTemplate(t);
          expect(FAULT_KINDS).toContain(f.kind);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
