import { describe, expect, it } from 'vitest';
import { pushRoundUs } from '../src/analysis/capacity-bounds.js';
import { type RunOutput, resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';
import type { TraceEvent } from '../src/sim/trace.js';

// Capacity › the push burst of a mass disconnect. A rack of clients is cut; the server expires
// them and pushes the change to every subscriber. Nacos sends one service's pushes from one
// thread (1.x: the UDP sender; 2.x: the service's dispatcher worker), subscriber after
// subscriber, so with a cost p per push the S pushes of one change are p apart and the last
// subscriber learns S·p later than with free pushes (pushRoundUs). Nothing else moves: the
// expiry itself does not depend on the push cost.

const S = 20;
const P_MS = 100;
const file = (model: string, set: Record<string, string>): ScenarioFile => ({
  model,
  clients: 10,
  subscribers: S,
  until: '2m',
  set,
  faults: ['rack-cut:c1..c5@30s'],
});
const run = (f: ScenarioFile): RunOutput => runScenario(resolveScenario(f));
const pushesAfterFault = (o: RunOutput): TraceEvent[] => o.trace.filter((e) => e.kind === 'push.send' && e.t > 30_000_000);
const gaps = (es: readonly TraceEvent[]): number[] => es.slice(1).map((e, i) => e.t - (es[i] as TraceEvent).t);

describe.each(['nacos-v1', 'nacos-v2'])('%s › capacity › push burst after a rack cut', (model) => {
  it('free pushes leave together; with a cost p they leave p apart, one change at a time', () => {
    const free = pushesAfterFault(run(file(model, {})));
    expect(gaps(free.slice(0, S))).toEqual(Array(S - 1).fill(0));
    const costly = pushesAfterFault(run(file(model, { 'sim.server.cost.push': `${P_MS}ms` })));
    expect(gaps(costly.slice(0, S))).toEqual(Array(S - 1).fill(P_MS * 1000));
    // The first push of the change waits its own cost.
    expect((costly[0] as TraceEvent).t - (free[0] as TraceEvent).t).toBe(P_MS * 1000);
  });

  it("the last subscriber's view is S·p later than with free pushes; the server's removal is not", () => {
    const free = run(file(model, {})).result.metrics;
    const costly = run(file(model, { 'sim.server.cost.push': `${P_MS}ms` })).result.metrics;
    expect(costly.serverRemovedAtMs).toBe(free.serverRemovedAtMs);
    const extraMs = pushRoundUs(S, 10, P_MS * 1000, 0) / 1000;
    // Within the latency of a different draw of the last subscriber's link (≤ 1 ms on the LAN).
    expect(Math.abs((costly.staleMs as number) - (free.staleMs as number) - extraMs)).toBeLessThanOrEqual(1);
  });
});

describe('nacos-v2 › capacity › a push serializes every instance of the service', () => {
  it('with a serialization cost per 1,000 instances the pushes are spaced by the instance count', () => {
    // The first change after the cut is c4's removal: the push task's data lists the 9 left.
    const o = run(file('nacos-v2', { 'sim.server.cost.serializePer1000': '10s' }));
    const first = pushesAfterFault(o).slice(0, S);
    const instances = 9;
    expect(gaps(first)).toEqual(Array(S - 1).fill(pushRoundUs(1, instances, 0, 10_000_000)));
  });
});
