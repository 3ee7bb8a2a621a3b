import { describe, expect, it } from 'vitest';
import { capacityMetrics } from '../src/analysis/capacity-metrics.js';
import { formatFault, parseFault, parseFaultTemplate, placeFault } from '../src/scenario/fault-dsl.js';
import { InputError } from '../src/scenario/input-error.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import { clientReachable, faultRule } from '../src/sim/faults.js';
import { Host } from '../src/sim/host.js';
import { Simulation } from '../src/sim/simulation.js';

// The rack cut: many clients lose their paths to the servers at once (a rack or zone partition),
// the mass disconnect of the capacity studies. `rack-cut:c1..c5000@60s`.

const S = 1_000_000;

const rejects = (text: string, ...parts: string[]): void => {
  let err: unknown;
  try {
    parseFault(text);
  } catch (e) {
    err = e;
  }
  expect(err, `'${text}' should be rejected`).toBeInstanceOf(InputError);
  const msg = (err as Error).message;
  expect(msg).toContain(`fault '${text}'`);
  for (const p of parts) expect(msg).toContain(p);
};

describe('fault DSL › rack-cut', () => {
  it('parses a range of clients, with or without an end, and prints it back the same', () => {
    expect(parseFault('rack-cut:c1..c5000@60s')).toMatchObject({ kind: 'rack-cut', clients: [1, 5000], startUs: 60 * S, endUs: null });
    expect(parseFault('rack-cut:c7..c7@1m-90s')).toMatchObject({ clients: [7, 7], startUs: 60 * S, endUs: 90 * S });
    for (const text of ['rack-cut:c1..c5000@60s', 'rack-cut:c20..c30@10s-20s']) expect(parseFault(text).text).toBe(text);
    const f = parseFault('rack-cut:c2..c3@1m');
    expect(formatFault(f)).toBe('rack-cut:c2..c3@60s');
  });

  it('without @START it is a template whose onset a sweep draws', () => {
    const t = parseFaultTemplate('rack-cut:c1..c10');
    expect(t.startUs).toBeNull();
    expect(placeFault(t, 42 * S).text).toBe('rack-cut:c1..c10@42s');
  });

  it('refuses what is not a range of clients', () => {
    rejects('rack-cut@60s', 'needs an argument', 'rack-cut:c1..c5000@60s');
    rejects('rack-cut:c5..c1@60s', 'empty');
    rejects('rack-cut:s1..s2@60s', 'cFIRST..cLAST');
    rejects('rack-cut:c1-c2@60s', 'cFIRST..cLAST');
    rejects('rack-cut:c0..c2@60s', 'cFIRST..cLAST');
    rejects('rack-cut:c1..@60s', 'cFIRST..cLAST');
  });
});

describe('faults › rack-cut', () => {
  const sim = new Simulation(1);
  const servers = [new Host(sim, 's1'), new Host(sim, 's2')];
  const targets = { client: new Host(sim, 'c1'), servers };
  const f = parseFault('rack-cut:c2..c4@10s-20s');
  const rule = faultRule(f, targets);

  it('blackholes both directions between a client of the range and any server, while active', () => {
    const judge = rule?.judge as (from: string, to: string, nowUs: number) => unknown;
    expect(judge('c2', 's1', 15 * S)).toMatchObject({ action: 'drop' });
    expect(judge('s2', 'c4', 15 * S)).toMatchObject({ action: 'drop' });
    // Outside the range, to a non-server, or outside the window: untouched.
    for (const [from, to, t] of [
      ['c1', 's1', 15],
      ['c5', 's1', 15],
      ['c20', 's1', 15],
      ['c3', 'sub1', 15],
      ['c3', 's1', 5],
      ['c3', 's1', 20],
    ] as const)
      expect(judge(from, to, t * S), `${from}→${to} at ${t}s`).toMatchObject({ action: 'pass' });
  });

  it('a client of the range is unreachable while the cut lasts; c1 (the followed client) only if in the range', () => {
    expect(clientReachable([f], 15 * S, 'c3')).toBe(false);
    expect(clientReachable([f], 15 * S, 'c5')).toBe(true);
    expect(clientReachable([f], 25 * S, 'c3')).toBe(true);
    expect(clientReachable([f], 15 * S)).toBe(true);
    expect(clientReachable([parseFault('rack-cut:c1..c2@10s')], 15 * S)).toBe(false);
  });
});

describe.each(['nacos-v1', 'nacos-v2'])('%s › rack-cut › the rack is expired, the rest stays', (model) => {
  it('every client of the range is removed, no other client is, and none of the removals is false', () => {
    const sc = resolveScenario({ model, clients: 6, until: '2m', faults: ['rack-cut:c2..c4@30s'] });
    const { trace } = runScenario(sc);
    const removed = [...new Set(trace.filter((e) => e.kind === 'instance.remove').map((e) => e.data?.instance))].sort();
    expect(removed).toEqual(['c2', 'c3', 'c4']);
    const m = capacityMetrics(trace, { faults: sc.faults, fromUs: 0, untilUs: sc.untilUs });
    expect(m.falseRemovals).toBe(0);
    expect(m.falseUnhealthy).toBe(0);
    expect(m.perSecond.removals.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('c1 outside the range: its own metrics see no fault effect', () => {
    const { result } = runScenario(resolveScenario({ model, clients: 4, until: '2m', faults: ['rack-cut:c2..c4@30s'] }));
    expect(result.metrics.faultAtMs).toBe(30_000);
    expect(result.metrics.serverRemovedAtMs).toBeNull();
    expect(result.metrics.falseRemovals).toBe(0);
  });
});
