import { describe, expect, it } from 'vitest';
import { findModel } from '../src/models/registry.js';
import { parseVersion, type Version } from '../src/models/version.js';
import { findKnob, parseKnobValue } from '../src/scenario/config.js';
import { InputError } from '../src/scenario/input-error.js';
import { resolveScenario } from '../src/scenario/run.js';
import { buildSearchSpace, defaultsPoint } from '../src/tune/axes.js';
import { findTuneSpace, tuneSpaces } from '../src/tune/spaces.js';
import { parseRate, parseTargets } from '../src/tune/targets.js';

/** The search-space table against the models' own tables of defaults, and the flags around it. */
const v = (text: string): Version => parseVersion(text) as Version;
const versions = (client: string, server: string) => ({ client: v(client), server: v(server), clientText: client, serverText: server });

describe('tune › search spaces', () => {
  it('covers the keys the issue names, for both models', () => {
    expect(findTuneSpace('nacos-v1')?.tunables.map((t) => t.key)).toEqual([
      'preserved.heart.beat.interval',
      'preserved.heart.beat.timeout',
      'preserved.ip.delete.timeout',
    ]);
    const v2 = findTuneSpace('nacos-v2')?.tunables.map((t) => t.key) ?? [];
    for (const key of [
      'nacos.remote.client.grpc.health.timeout',
      'nacos.remote.client.grpc.health.retry',
      'nacos.remote.client.grpc.connect.keep.alive',
      'nacos.remote.server.grpc.sdk.keep-alive-time',
    ]) {
      expect(v2).toContain(key);
    }
  });

  for (const space of tuneSpaces()) {
    it(`${space.model}: every tunable is a knob of the model, every grid value is legal for it, the default is on the grid`, () => {
      const model = findModel(space.model);
      expect(model).toBeDefined();
      if (model === undefined) return;
      expect(model.faultKinds).toContain(space.defaultFault);
      for (const t of space.tunables) {
        const knob = findKnob(model, t.key);
        expect(knob?.key, t.key).toBe(t.key);
        if (knob === undefined) continue;
        const values = t.grid.map((g) => parseKnobValue(knob, g));
        // An 'auto' default is the release's own (Kubernetes' grace: 40 s, 50 s from 1.32.0): the defaults point below checks it.
        if (knob.default !== 'auto') expect(values, t.key).toContain(knob.default);
      }
      // With every grid at its default, the point is the defaults point and Nacos accepts it.
      const s = buildSearchSpace({ model, space, setKeys: [], overrides: [], versions: versions(model.defaultVersion, model.defaultVersion) });
      const at = defaultsPoint(model, s.axes);
      expect(at).not.toBeNull();
      expect(() => resolveScenario({ model: model.id })).not.toThrow();
    });
  }
});

describe('tune › building the search', () => {
  const v1 = findModel('nacos-v1');
  const v2 = findModel('nacos-v2');
  if (v1 === undefined || v2 === undefined) throw new Error('models missing');
  const s1 = findTuneSpace('nacos-v1');
  const s2 = findTuneSpace('nacos-v2');
  if (s1 === undefined || s2 === undefined) throw new Error('spaces missing');

  it('--set takes a tunable out; --space replaces a grid (canonical values)', () => {
    const s = buildSearchSpace({
      model: v1,
      space: s1,
      setKeys: ['beat.timeout'],
      overrides: ['delete.timeout=10s..30s:10s'],
      versions: versions('1.4.8', '1.4.8'),
    });
    expect(s.axes.map((a) => a.key)).toEqual(['preserved.heart.beat.interval', 'preserved.ip.delete.timeout']);
    expect(s.axes[1]?.values).toEqual(['10s', '20s', '30s']);
    expect(s.fixed).toEqual([{ key: 'preserved.heart.beat.timeout', why: 'fixed by --set' }]);
    expect(s.points).toBe((s1.tunables[0]?.grid.length as number) * 3);
  });

  it('a 2.0 client reads no health settings and a 2.2.0 server no keep-alive: those are not searched', () => {
    // src/models/nacos-v2/settings.ts: health keys from client 2.1.2, server keep-alive from 2.2.1.
    const oldClient = buildSearchSpace({ model: v2, space: s2, setKeys: [], overrides: [], versions: versions('2.0.4', '2.5.1') });
    expect(oldClient.axes.map((a) => a.key)).toEqual(['nacos.remote.server.grpc.sdk.keep-alive-time', 'nacos.remote.server.grpc.sdk.keep-alive-timeout']);
    expect(oldClient.fixed.map((f) => f.why)).toEqual(Array(3).fill('no effect with client 2.0.4 (read from 2.1.2 on)'));
    const oldServer = buildSearchSpace({ model: v2, space: s2, setKeys: [], overrides: [], versions: versions('2.5.1', '2.2.0') });
    expect(oldServer.axes.map((a) => a.key)).toEqual([
      'nacos.remote.client.grpc.connect.keep.alive',
      'nacos.remote.client.grpc.health.timeout',
      'nacos.remote.client.grpc.health.retry',
    ]);
    // --space puts a setting back in, effect or not: the user asked for it.
    const forced = buildSearchSpace({ model: v2, space: s2, setKeys: [], overrides: ['health.retry=0,3'], versions: versions('2.0.4', '2.2.0') });
    expect(forced.axes.map((a) => a.key)).toEqual(['nacos.remote.client.grpc.health.retry']);
  });

  it('nothing left to search is bad input; so is a search too large', () => {
    expect(() => buildSearchSpace({ model: v2, space: s2, setKeys: [], overrides: [], versions: versions('2.0.4', '2.2.0') })).toThrow(InputError);
    expect(() =>
      buildSearchSpace({ model: v1, space: s1, setKeys: [], overrides: ['delete.timeout=1s..60s:10ms'], versions: versions('1.4.8', '1.4.8') }),
    ).toThrow(/more than 5000/);
  });
});

describe('tune › targets', () => {
  it('rates as fractions or percentages', () => {
    expect(parseRate('0.001', 'r')).toBe(0.001);
    expect(parseRate('0.1%', 'r')).toBeCloseTo(0.001, 12);
    expect(parseRate('5 %', 'r')).toBeCloseTo(0.05, 12);
    for (const bad of ['-0.1', '1.01', '101%', 'often', '']) expect(() => parseRate(bad, 'r')).toThrow(InputError);
  });

  it('durations as elsewhere (a bare number is ms); defaults: server detection, messages', () => {
    expect(parseTargets({ targetDetection: '20s', maxFalseRemovalRate: '1%' })).toEqual({
      detection: 'server',
      detectionMs: 20_000,
      maxFalseRemovalRate: 0.01,
      load: 'messages',
    });
    expect(parseTargets({ targetDetection: '1500', maxFalseRemovalRate: '0', detection: 'client', load: 'datagrams' }).detectionMs).toBe(1500);
  });
});
