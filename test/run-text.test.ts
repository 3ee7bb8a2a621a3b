import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatRunText } from '../cli/format/run-text.js';
import { V1_CONSTANTS, V1_KNOBS } from '../src/models/nacos-v1/defaults.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';

/**
 * The run's timeline text. The unhealthy mark's "after last heard" is measured from the last
 * message heard before the mark: 1.x marks an instance after preserved.heart.beat.timeout (T)
 * without a beat, found by a check every 5 s (C), so the figure lies in (T, T + C]. After a fault
 * that heals (a flapping link), c1 is heard again later in the run; that must not enter it.
 */
const knob = (key: string): number => V1_KNOBS.find((k) => k.key === key)?.default as number;
const T_MS = knob('preserved.heart.beat.timeout');
const C_MS = V1_CONSTANTS.beatCheckPeriodMs;

const afterLastHeardMs = (faults: string[], until: string): number => {
  const sc = resolveScenario({ model: 'nacos-v1', faults, until });
  const { result, trace } = runScenario(sc, { trace: 'followed' });
  const text = formatRunText(result, trace, 'replay', new Chalk({ level: 0 }));
  const line = text.split('\n').find((l) => l.includes('instance marked unhealthy')) ?? '';
  const m = /— (-?[\d.]+) s after last heard/.exec(line);
  expect(m, text).not.toBeNull();
  return Number(m?.[1]) * 1000;
};

describe('run text › the unhealthy mark after the last message heard', () => {
  for (const [name, faults] of [
    ['a cut', ['cut@60s']],
    ['a flapping link that heals, c1 heard again after it', ['flap:2s/8s@60s-400s']],
  ] as const) {
    it(`${name}: in (T, T + C]`, () => {
      const ms = afterLastHeardMs([...faults], '10m');
      expect(ms).toBeGreaterThan(T_MS);
      expect(ms).toBeLessThanOrEqual(T_MS + C_MS);
    });
  }
});

describe('run text › an instance that comes back', () => {
  const timeline = (faults: string[], set: Record<string, string> = {}): string => {
    const sc = resolveScenario({ model: 'nacos-v1', faults, until: '10m', set });
    const { result, trace } = runScenario(sc, { trace: 'followed' });
    return formatRunText(result, trace, 'replay', new Chalk({ level: 0 }));
  };
  const atS = (text: string, what: string): number | null => {
    const line = text.split('\n').find((l) => l.includes(what));
    return line === undefined ? null : Number.parseFloat(line.trim());
  };

  it('a flapping link: marked unhealthy, then back before the link heals — the reason it is never removed', () => {
    // Up 7 s, down 12 s. The beat connection is kept (client 1.4.8), so a request or answer sent
    // into an outage is retransmitted 0.2, 0.6, 1.4, 3.0, 6.2, 12.6 s after its first send: the
    // one that first passes the 12 s outage follows the one before by at most 6.4 s < 7 s up, so
    // each arrives within 12.6 s. An answer waits only when its request landed just after the
    // outage began, and the next request then leaves in the up-window; so beats heard lie at most
    // 5 s + 12.6 s + 2 latencies apart, under the 30 s delete timeout: never removed. Each outage
    // silences c1 for ≥ 12 s − dmax, more than the 6 s timeout set here plus the 5 s check period,
    // so a check marks it unhealthy, and the next beat heard makes it healthy again.
    const text = timeline(['flap:7s/12s@60s-400s'], { 'preserved.heart.beat.timeout': '6s' });
    expect(text).toContain('instance NOT removed');
    const marked = atS(text, 'instance marked unhealthy') as number;
    const back = atS(text, 'instance back: healthy again');
    expect(back, text).not.toBeNull();
    expect(back as number).toBeGreaterThan(marked);
    expect(back as number).toBeLessThan(400);
  });

  it('a cut that never heals: nothing comes back', () => {
    expect(timeline(['cut@60s'])).not.toContain('instance back');
  });
});

/**
 * The seed question is the consumers': when they still list c1 at the end, the text says so and
 * why. A persistent 1.x instance is never deleted (ServiceManager removes only ephemeral ones), so
 * the one subscriber still lists it; a 5 min cut of an ephemeral one is removed after
 * preserved.ip.delete.timeout (30 s) and pushed, so no such line; a cut that heals lets c1 back.
 */
describe('run text › subscribers that still see c1 at the end', () => {
  const text = (set: Record<string, string>, faults: string[], until: string): string => {
    const sc = resolveScenario({ model: 'nacos-v1', faults, until, set });
    const { result, trace } = runScenario(sc, { trace: 'followed' });
    return formatRunText(result, trace, 'replay', new Chalk({ level: 0 }));
  };
  it('a persistent instance: still seen, because it is never deleted', () => {
    const line = text({ ephemeral: 'false' }, ['cut@60s'], '5m')
      .split('\n')
      .find((l) => l.includes('subscribers still see c1 at 5m'));
    expect(line).toMatch(/never\s+◆ subscribers still see c1 at 5m {2}— because persistent/);
  });
  it('an ephemeral instance removed and pushed, or a cut that heals: no such line', () => {
    expect(text({}, ['cut@60s'], '5m')).not.toContain('subscribers still see c1');
    expect(text({}, ['cut@60s-80s'], '2m')).not.toContain('subscribers still see c1');
  });
});
