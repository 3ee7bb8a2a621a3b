import { describe, expect, it } from 'vitest';
import { RandomStreams } from './random.js';

const draws = (s: { next(): number }, n: number): number[] => Array.from({ length: n }, () => s.next());

describe('random streams', () => {
  it('a stream depends only on (seed, name): creating other streams first changes nothing', () => {
    const alone = new RandomStreams(7);
    const crowded = new RandomStreams(7);
    draws(crowded.get('net.latency:c2>s1'), 100);
    draws(crowded.get('client.start:c3'), 5);
    expect(draws(crowded.get('net.latency:c1>s1'), 20)).toEqual(draws(alone.get('net.latency:c1>s1'), 20));
  });

  it('different seeds or names give different draws', () => {
    const a = draws(new RandomStreams(1).get('x'), 5);
    expect(draws(new RandomStreams(2).get('x'), 5)).not.toEqual(a);
    expect(draws(new RandomStreams(1).get('y'), 5)).not.toEqual(a);
  });

  it('intInclusive covers both ends and nothing outside', () => {
    const s = new RandomStreams(3).get('dice');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(s.intInclusive(1, 6));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('chance(0) and chance(1) are certain and consume no draw', () => {
    const a = new RandomStreams(4).get('p');
    const b = new RandomStreams(4).get('p');
    expect(a.chance(0)).toBe(false);
    expect(a.chance(1)).toBe(true);
    expect(a.next()).toBe(b.next());
  });
});
