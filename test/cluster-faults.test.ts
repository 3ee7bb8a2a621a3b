import { describe, expect, it } from 'vitest';
import { formatFault, parseFault } from '../src/scenario/fault-dsl.js';
import { InputError } from '../src/scenario/input-error.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import { clientReachable, type Fault, faultRule } from '../src/sim/faults.js';
import { Host } from '../src/sim/host.js';
import { Simulation } from '../src/sim/simulation.js';

/**
 * The cluster's fault forms (issue 7): a node crashed or cut off from everyone, a node cut off from
 * the other servers only, a cut between two named hosts, and `owner` for the node that holds c1
 * (resolved when the fault starts). The one-server forms keep their meaning.
 */
const S = 1_000_000;

const rejected = (text: string, ...parts: string[]): void => {
  let err: unknown;
  try {
    parseFault(text);
  } catch (e) {
    err = e;
  }
  expect(err, text).toBeInstanceOf(InputError);
  for (const p of parts) expect((err as Error).message).toContain(p);
};

describe('cluster › fault DSL', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['server-crash:s2@60s', { kind: 'server-crash', target: 's2', startUs: 60 * S, endUs: null }],
    ['server-crash:owner@60s', { kind: 'server-crash', target: 'owner', startUs: 60 * S, endUs: null }],
    ['server-cut:s3@60s-90s', { kind: 'server-cut', target: 's3', startUs: 60 * S, endUs: 90 * S }],
    ['peer-cut:owner@60s', { kind: 'peer-cut', target: 'owner', startUs: 60 * S, endUs: null }],
    ['cut:c1-s2@60s', { kind: 'cut', hosts: ['c1', 's2'], startUs: 60 * S, endUs: null }],
    ['cut:c1-owner@60s-2m', { kind: 'cut', hosts: ['c1', 'owner'], startUs: 60 * S, endUs: 120 * S }],
    ['cut:c1-sub1@1m', { kind: 'cut', hosts: ['c1', 'sub1'], startUs: 60 * S, endUs: null }],
  ];
  for (const [text, want] of cases) {
    it(`${text} parses, and its canonical text reads back the same`, () => {
      const f = parseFault(text);
      expect(f).toMatchObject(want);
      expect(parseFault(f.text)).toEqual(f);
      expect(formatFault(f)).toBe(f.text);
    });
  }

  it('the one-server forms are unchanged: a plain cut names no hosts', () => {
    const f = parseFault('cut@60s');
    expect(f).toEqual({ kind: 'cut', startUs: 60 * S, endUs: null, text: 'cut@60s' });
  });

  it('refuses what names no host, the same host twice, or a crash with an end', () => {
    rejected('server-crash@60s', 'server-crash needs an argument', 'server-crash:owner@60s');
    rejected('server-crash:c1@60s', 'names a server s1…sN or owner');
    rejected('server-crash:s2@60s-90s', 'happens once and has no end');
    rejected('cut:c1@60s', 'two hosts A-B');
    rejected('cut:c1-c1@60s', 'two different hosts');
    rejected('cut:c1-x9@60s', 'two hosts A-B');
    rejected('peer-cut:s0@60s', 'names a server');
  });

  it('a run refuses a host it does not have', () => {
    expect(() => resolveScenario({ model: 'nacos-v2', servers: 3, faults: ['server-crash:s4@60s'] })).toThrow(/no host s4 in this run \(it has s1…s3\)/);
    expect(() => resolveScenario({ model: 'nacos-v1', faults: ['cut:c1-sub2@60s'] })).toThrow(/no host sub2/);
    expect(() => resolveScenario({ model: 'nacos-v1', subscribers: 0, faults: ['cut:c1-sub1@60s'] })).toThrow(/no sub hosts/);
    expect(resolveScenario({ model: 'nacos-v2', servers: 3, faults: ['cut:c1-owner@60s'] }).faults[0]?.hosts).toEqual(['c1', 'owner']);
  });
});

describe('cluster › fault rules', () => {
  const sim = new Simulation(1);
  const client = new Host(sim, 'c1');
  const servers = ['s1', 's2', 's3'].map((n) => new Host(sim, n));
  const targets = { client, servers };
  const rng = sim.rng('test');
  const verdict = (f: Fault, from: string, to: string, owner: string | null = 's2') =>
    faultRule(f, targets, (n) => (n === 'owner' ? owner : n))?.judge(from, to, 61 * S, rng).action;

  it('server-cut drops every path of the node, and nothing else', () => {
    const f = parseFault('server-cut:owner@60s');
    for (const [from, to] of [
      ['c1', 's2'],
      ['s2', 'sub1'],
      ['s1', 's2'],
      ['s2', 's3'],
    ]) {
      expect(verdict(f, from as string, to as string), `${from}>${to}`).toBe('drop');
    }
    expect(verdict(f, 'c1', 's1')).toBe('pass');
    expect(verdict(f, 's1', 's3')).toBe('pass');
    // Before its start, and with no owner to name, it drops nothing.
    expect(faultRule(f, targets)?.judge('c1', 's2', 59 * S, rng).action).toBe('pass');
    expect(verdict(f, 'c1', 's2', null)).toBe('pass');
  });

  it('peer-cut drops only the paths to the other servers', () => {
    const f = parseFault('peer-cut:owner@60s');
    expect(verdict(f, 's2', 's1')).toBe('drop');
    expect(verdict(f, 's3', 's2')).toBe('drop');
    expect(verdict(f, 'c1', 's2')).toBe('pass');
    expect(verdict(f, 's2', 'sub1')).toBe('pass');
  });

  it('a pair cut drops both directions between the two hosts only', () => {
    const f = parseFault('cut:c1-owner@60s');
    expect(verdict(f, 'c1', 's2')).toBe('drop');
    expect(verdict(f, 's2', 'c1')).toBe('drop');
    expect(verdict(f, 'c1', 's1')).toBe('pass');
    // The plain cut still cuts the client from every server.
    const plain = parseFault('cut@60s');
    for (const s of ['s1', 's2', 's3']) expect(verdict(plain, 'c1', s)).toBe('drop');
  });

  it('server faults leave the client reachable; a pair cut counts when it touches the client', () => {
    const t = 70 * S;
    expect(clientReachable([parseFault('server-crash:owner@60s')], t, 'c1')).toBe(true);
    expect(clientReachable([parseFault('server-cut:s1@60s')], t, 'c1')).toBe(true);
    expect(clientReachable([parseFault('peer-cut:owner@60s')], t, 'c1')).toBe(true);
    expect(clientReachable([parseFault('cut:s1-s2@60s')], t, 'c1')).toBe(true);
    expect(clientReachable([parseFault('cut:c1-owner@60s')], t, 'c1')).toBe(false);
    expect(clientReachable([parseFault('cut@60s')], t, 'c1')).toBe(false);
  });
});

describe('cluster › owner', () => {
  it("2.x: the node holding c1's connection when the fault starts; after a reconnect, the new one", () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const o = runScenario(
        resolveScenario({ model: 'nacos-v2', servers: 3, seed, until: '100s', faults: ['server-crash:owner@40s', 'server-cut:owner@80s'] }),
      );
      const connected = o.trace.filter((e) => e.host === 'c1' && e.kind === 'client.connected');
      const holder = (t: number) => connected.filter((e) => e.t < t).at(-1)?.data?.server;
      const starts = o.trace.filter((e) => e.kind === 'fault.start');
      expect(starts[0]?.data?.target).toBe(holder(40 * S));
      expect(starts[1]?.data?.target).toBe(holder(80 * S));
      expect(starts[1]?.data?.target).not.toBe(starts[0]?.data?.target);
    }
  });
});
