import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fingerprint, hashRest } from '../src/sim/fingerprint.js';
import { referenceFingerprint } from './fingerprint-reference.js';

const fast = (lines: readonly string[]): string => {
  const fp = new Fingerprint();
  for (const line of lines) {
    const space = line.indexOf(' ');
    fp.add(Number(line.slice(0, space)), hashRest(line.slice(space + 1)));
  }
  return fp.digest();
};

const timeArb = fc.oneof(fc.nat({ max: 10_000_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
const restArb = fc.string({ unit: 'binary', maxLength: 60 });
const lineArb = fc.tuple(timeArb, restArb).map(([t, rest]) => `${t} ${rest}`);

describe('trace fingerprint', () => {
  it('matches the BigInt reference written from docs/trace-format.md (times past 2^32, any UTF-16 text)', () => {
    fc.assert(fc.property(fc.array(lineArb, { maxLength: 40 }), (lines) => fast(lines) === referenceFingerprint(lines)));
  });

  it('addPair(t, a, b) is add(t, a) then add(t, b)', () => {
    fc.assert(
      fc.property(timeArb, restArb, restArb, fc.array(lineArb, { maxLength: 5 }), (t, a, b, others) => {
        const one = new Fingerprint();
        const two = new Fingerprint();
        for (const fp of [one, two]) for (const line of others) fp.add(Number(line.slice(0, line.indexOf(' '))), hashRest(line.slice(line.indexOf(' ') + 1)));
        one.addPair(t, hashRest(a), hashRest(b));
        two.add(t, hashRest(a));
        two.add(t, hashRest(b));
        return one.digest() === two.digest() && one.lines === two.lines;
      }),
    );
  });

  it('sees one changed microsecond, one changed character, one line more or less', () => {
    const base = ['5000000 c1 net.send {"to":"s1","kind":"tcp.syn","fate":"sent"}', '5002097 s1 beat.recv {"instance":"c1","light":false}'];
    const h = fast(base);
    expect(fast(['5000001 c1 net.send {"to":"s1","kind":"tcp.syn","fate":"sent"}', base[1] as string])).not.toBe(h);
    expect(fast([base[0] as string, '5002097 s1 beat.recv {"instance":"c2","light":false}'])).not.toBe(h);
    expect(fast([...base, base[1] as string])).not.toBe(h);
    expect(fast(base.slice(1))).not.toBe(h);
    // Swapping time and text between two lines is a different history.
    expect(fast(['5002097 c1 net.send {"to":"s1","kind":"tcp.syn","fate":"sent"}', '5000000 s1 beat.recv {"instance":"c1","light":false}'])).not.toBe(h);
  });

  it('is the same whatever order the lines were added in (what lets quiet clients add theirs apart)', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 30 }), fc.infiniteStream(fc.nat()), (lines, picks) => {
        const shuffled = [...lines];
        const it = picks[Symbol.iterator]();
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = (it.next().value as number) % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
        }
        return fast(shuffled) === fast(lines);
      }),
    );
  });
});
