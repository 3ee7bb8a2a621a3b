import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nacosV1 } from '../models/nacos-v1/index.js';
import { resolveConfig, type SettingInput } from './config.js';
import { InputError } from './input-error.js';

const resolve = (sets: Record<string, SettingInput>) => resolveConfig(nacosV1, sets);

const rejects = (sets: Record<string, SettingInput>, ...parts: string[]) => {
  let err: unknown;
  try {
    resolve(sets);
  } catch (e) {
    err = e;
  }
  expect(err, `${JSON.stringify(sets)} should be rejected`).toBeInstanceOf(InputError);
  const msg = (err as Error).message;
  for (const p of parts) expect(msg).toContain(p);
  expect(msg).not.toContain('\n');
  return msg;
};

const INTERVAL = 'preserved.heart.beat.interval';
const TIMEOUT = 'preserved.heart.beat.timeout';
const DELETE = 'preserved.ip.delete.timeout';

describe('resolveConfig (nacos-v1)', () => {
  it('with no settings every knob has its table default, in table order', () => {
    const c = resolve({});
    expect(Object.keys(c)).toEqual(nacosV1.knobs.map((k) => k.key));
    for (const k of nacosV1.knobs) expect(c[k.key]).toBe(k.default);
  });

  it('durations take units or bare milliseconds, as text or number, and are held in ms', () => {
    expect(resolve({ [DELETE]: '60s' })[DELETE]).toBe(60_000);
    expect(resolve({ [DELETE]: '60000' })[DELETE]).toBe(60_000);
    expect(resolve({ [DELETE]: 60000 })[DELETE]).toBe(60_000);
    expect(resolve({ [DELETE]: '1.5m' })[DELETE]).toBe(90_000);
    expect(resolve({ [DELETE]: ' 45s ' })[DELETE]).toBe(45_000);
  });

  it('aliases set the same knob as the Nacos key', () => {
    const c = resolve({ 'beat.interval': '3s', 'beat.timeout': '10s', 'delete.timeout': '20s', expireInstance: 'false' });
    expect(c[INTERVAL]).toBe(3_000);
    expect(c[TIMEOUT]).toBe(10_000);
    expect(c[DELETE]).toBe(20_000);
    expect(c['nacos.naming.expireInstance']).toBe(false);
    expect(Object.keys(c)).not.toContain('beat.interval');
  });

  it('an unknown key is refused, naming it and suggesting the nearest key', () => {
    rejects(
      { 'preserved.heart.beat.intervl': '5s' },
      "unknown setting 'preserved.heart.beat.intervl'",
      'did you mean preserved.heart.beat.interval?',
      'livesim models',
    );
    rejects({ 'ip.delete.timeout': '5s' }, 'did you mean preserved.ip.delete.timeout?');
    rejects({ 'heart.beat.timeout': '5s' }, 'did you mean preserved.heart.beat.timeout?');
    rejects({ ephemeralx: 'true' }, 'did you mean ephemeral?');
    const far = rejects({ 'totally.unrelated': '1' }, "unknown setting 'totally.unrelated'", 'nacos-v1');
    expect(far).not.toContain('did you mean');
    rejects({ '': '1' }, "unknown setting ''");
  });

  it('durations out of range or malformed are refused with the range or the accepted forms', () => {
    rejects({ [INTERVAL]: '0' }, `setting ${INTERVAL}`, 'out of range', 'at least 1ms');
    rejects({ [INTERVAL]: '500us' }, 'out of range');
    rejects({ [INTERVAL]: '-5s' }, 'negative');
    rejects({ [INTERVAL]: 'soon' }, 'not a duration', 'accepted:');
    rejects({ [INTERVAL]: 'NaN' }, 'not a duration');
    rejects({ [INTERVAL]: '' }, 'not a duration');
    rejects({ [INTERVAL]: -1 }, 'negative');
    rejects({ [INTERVAL]: true }, 'not a duration');
    rejects({ [DELETE]: '400d' }, 'too long');
    rejects({ 'sim.checkPhase': '5s' }, 'out of range', '0ms to 4999.999ms');
  });

  it("'auto' is only accepted by knobs whose default is auto", () => {
    expect(resolve({ 'sim.checkPhase': 'auto' })['sim.checkPhase']).toBe('auto');
    expect(resolve({ 'sim.checkPhase': '2500ms' })['sim.checkPhase']).toBe(2_500);
    rejects({ [INTERVAL]: 'auto' }, 'not a duration');
  });

  it('numbers: not-a-number, fractions of whole-number knobs and values out of range are refused', () => {
    expect(resolve({ protectThreshold: '0.8' }).protectThreshold).toBe(0.8);
    expect(resolve({ 'net.loss': 1 })['net.loss']).toBe(1);
    rejects({ protectThreshold: '1.5' }, 'setting protectThreshold', 'out of range', '0 to 1');
    rejects({ protectThreshold: '-0.1' }, 'out of range');
    rejects({ 'net.loss': 'NaN' }, 'is not a number');
    rejects({ 'net.loss': 'Infinity' }, 'is not a number');
    rejects({ 'net.loss': '' }, 'is not a number');
    rejects({ namingRequestDomainMaxRetryCount: '2.5' }, 'whole number');
    rejects({ namingRequestDomainMaxRetryCount: '0' }, 'out of range', '1 to 100');
    rejects({ namingRequestDomainMaxRetryCount: '1e9' }, 'out of range');
  });

  it('booleans are true or false (text or JSON), nothing else', () => {
    expect(resolve({ ephemeral: 'false' }).ephemeral).toBe(false);
    expect(resolve({ ephemeral: false }).ephemeral).toBe(false);
    expect(resolve({ ephemeral: 'true' }).ephemeral).toBe(true);
    expect(resolve({ pushEnabled: true }).pushEnabled).toBe(true);
    for (const bad of ['yes', 'no', '1', '0', '', 'on', 'tru'] as SettingInput[])
      rejects({ ephemeral: bad }, 'setting ephemeral', 'not a boolean', 'accepted: true, false');
    rejects({ ephemeral: 1 }, 'not a boolean');
  });

  it('net.latency is checked by the latency DSL', () => {
    expect(resolve({ 'net.latency': 'fixed:2ms' })['net.latency']).toBe('fixed:2ms');
    rejects({ 'net.latency': 'uniform:5ms..1ms' }, 'net.latency', 'MAX must not be below MIN');
    rejects({ 'net.latency': 'gaussian' }, 'net.latency', 'fixed:D');
  });

  describe("the model's legality check is Nacos's own (NamingUtils.checkInstanceIsLegal)", () => {
    const NACOS_WORDS = "Instance 'heart beat interval' must less than 'heart beat timeout' and 'ip delete timeout'";

    it('a beat interval above the heartbeat timeout is refused in Nacos words, naming the values', () => {
      rejects({ [INTERVAL]: '20s' }, 'nacos-v1', NACOS_WORDS, `${INTERVAL}=20000ms`, `${TIMEOUT}=15000ms`);
    });

    it('a beat interval above the delete timeout is refused', () => {
      rejects({ [INTERVAL]: '10s', [TIMEOUT]: '60s', [DELETE]: '8s' }, NACOS_WORDS, `${DELETE}=8000ms`);
    });

    it('a shorter heartbeat timeout or delete timeout than the default interval is refused', () => {
      rejects({ [TIMEOUT]: '4s' }, NACOS_WORDS);
      rejects({ [DELETE]: '3s' }, NACOS_WORDS);
    });

    it('an interval equal to a timeout is accepted, as NamingUtils only refuses timeout < interval', () => {
      expect(resolve({ [INTERVAL]: '15s' })[INTERVAL]).toBe(15000);
    });

    it('intervals below both timeouts are accepted', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: 1, max: 60_000 }), (i, above1, above2) => {
          const c = resolve({ [INTERVAL]: i, [TIMEOUT]: i + above1, [DELETE]: i + above2 });
          expect([c[INTERVAL], c[TIMEOUT], c[DELETE]]).toEqual([i, i + above1, i + above2]);
        }),
        { numRuns: 100 },
      );
    });

    it('intervals above a timeout are refused, whatever the values', () => {
      fc.assert(
        fc.property(fc.integer({ min: 2, max: 60_000 }), fc.integer({ min: 1, max: 60_000 }), fc.boolean(), (i, below, which) => {
          const t = Math.max(1, i - below);
          const sets = which ? { [INTERVAL]: i, [TIMEOUT]: t, [DELETE]: i + 1 } : { [INTERVAL]: i, [TIMEOUT]: i + 1, [DELETE]: t };
          if (t < i) expect(() => resolve(sets)).toThrow(InputError);
        }),
        { numRuns: 100 },
      );
    });
  });

  it('never throws anything but InputError for any keys and values', () => {
    const keys = fc.oneof(fc.constantFrom(...nacosV1.knobs.map((k) => k.key), 'beat.interval', 'expireInstance'), fc.string({ maxLength: 40 }));
    const values = fc.oneof(fc.string({ maxLength: 20 }), fc.double(), fc.integer(), fc.boolean(), fc.constantFrom('5s', 'auto', 'true', '0', '-1', '1e309'));
    fc.assert(
      fc.property(fc.dictionary(keys, values, { maxKeys: 5 }), (sets) => {
        try {
          resolve(sets);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 500 },
    );
  });
});
