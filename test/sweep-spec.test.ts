import { describe, expect, it } from 'vitest';
import { findModel } from '../src/models/registry.js';
import { InputError } from '../src/scenario/input-error.js';
import { parseAxis } from '../src/sweep/spec.js';

const v1 = findModel('nacos-v1');
if (v1 === undefined) throw new Error('nacos-v1 is not registered');
const axis = (text: string) => parseAxis(v1, text);

describe('sweep › --vary KEY=SPEC', () => {
  it('FROM..TO:STEP includes both ends and writes durations canonically', () => {
    expect(axis('preserved.ip.delete.timeout=10s..60s:10s')).toEqual({
      key: 'preserved.ip.delete.timeout',
      values: ['10s', '20s', '30s', '40s', '50s', '60s'],
    });
    // A bare number is milliseconds, as in Nacos and --set.
    expect(axis('preserved.ip.delete.timeout=10000..12000:1000').values).toEqual(['10s', '11s', '12s']);
    // The last step stops at or before TO.
    expect(axis('preserved.ip.delete.timeout=10s..25s:10s').values).toEqual(['10s', '20s']);
  });

  it('a list keeps its order; aliases resolve to the Nacos key', () => {
    expect(axis('ephemeral=true,false')).toEqual({ key: 'ephemeral', values: ['true', 'false'] });
    expect(axis('preserved.ip.delete.timeout=60s,30000,45s').values).toEqual(['60s', '30s', '45s']);
  });

  it('log:FROM..TO:COUNT spaces values evenly on a log scale, both ends exact', () => {
    const values = axis('preserved.ip.delete.timeout=log:10s..1000s:3').values;
    // 10 s · 10^(k/2): 10 s, 100 s, 1000 s.
    expect(values).toEqual(['10s', '100s', '1000s']);
    const twelve = axis('preserved.ip.delete.timeout=log:6s..60s:12').values;
    expect(twelve).toHaveLength(12);
    expect(twelve[0]).toBe('6s');
    expect(twelve[11]).toBe('60s');
  });

  it('number ranges do not accumulate floating-point error', () => {
    expect(axis('net.loss=0..0.3:0.1').values).toEqual(['0', '0.1', '0.2', '0.3']);
  });

  it('the scenario sizes can be varied too', () => {
    expect(axis('clients=1,10,100')).toEqual({ key: 'clients', values: ['1', '10', '100'] });
  });

  it.each([
    ['no equals sign', 'preserved.ip.delete.timeout'],
    ['unknown key', 'no.such.key=1,2'],
    ['range without a step', 'preserved.ip.delete.timeout=1s..2s'],
    ['zero step', 'preserved.ip.delete.timeout=1s..2s:0s'],
    ['descending range', 'preserved.ip.delete.timeout=20s..10s:1s'],
    ['range of a boolean', 'ephemeral=1..2:1'],
    ['value out of range', 'net.loss=0.5,2'],
    ['repeated value', 'preserved.ip.delete.timeout=10s,10000'],
    ['log count of one', 'preserved.ip.delete.timeout=log:1s..10s:1'],
    ['log from zero', 'net.loss=log:0..1:3'],
    ['negative clients', 'clients=0,-1'],
    ['empty item', 'preserved.ip.delete.timeout=10s,,20s'],
  ])('rejects %s with an InputError naming the flag', (_why, text) => {
    expect(() => axis(text)).toThrow(InputError);
    expect(() => axis(text)).toThrow(/--vary/);
  });
});
