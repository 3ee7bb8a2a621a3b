import { describe, expect, it } from 'vitest';
import { type ScenarioFlags, scenarioInput } from '../cli/scenario-input.js';
import { FRAMEWORK_DEFAULTS } from '../src/models/framework/defaults.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { TraceEvent } from '../src/sim/trace.js';

/**
 * A consumer framework's list is a function of the Nacos client's cache and the framework's own
 * schedule, both from source (src/models/framework/defaults.ts): these tests take the client's
 * view changes from the run's trace (the framework's input) and check that the framework's list
 * changes exactly where its source says, and that consumers-still-call measures the framework.
 *   Spring Cloud LoadBalancer: reloads `ttl` (35 s) after each non-empty load; an empty list is not
 *     cached, so the first non-empty client view is loaded at once.
 *   Ribbon: reads at start, 1 s later, then every 30 s (fixed delay).
 *   Dubbo: every instance, healthy or not, at each client cache change; an empty list ignored
 *     under empty protection (the 3.0.x-3.1.x default).
 */
const S = 1_000_000;

const run = (flags: Omit<ScenarioFlags, 'model'> & { model: string }) => {
  const sc = resolveScenario(scenarioInput(flags));
  return runScenario(sc);
};

const on = (trace: readonly TraceEvent[], kind: string) => trace.filter((e) => e.host === 'sub1' && e.kind === kind);
const lists = (e: TraceEvent, id: string) =>
  String(e.data?.instances ?? '')
    .split(',')
    .includes(id);
/** The first event at or after `fromUs` whose list no longer names `id`. */
const dropOf = (events: readonly TraceEvent[], id: string, fromUs: number) => events.find((e) => e.t >= fromUs && !lists(e, id));

describe('consumer frameworks on the Nacos client cache', () => {
  it('Spring Cloud LoadBalancer: the dead instance is served until the first reload after the client drops it (35 s cadence from the first non-empty load)', () => {
    const out = run({ model: 'nacos-v1', fault: ['cut@60s'], until: '5m', 'consumer-framework': 'spring-cloud-loadbalancer' });
    const client = on(out.trace, 'view.update');
    const framework = on(out.trace, 'framework.view');
    const firstListed = client.find((e) => lists(e, 'c1'));
    const clientDrop = dropOf(client, 'c1', 60 * S);
    expect(firstListed).toBeDefined();
    expect(clientDrop).toBeDefined();
    // The empty list at start is not cached: the first non-empty client view is loaded at once.
    expect(framework.find((e) => lists(e, 'c1'))?.t).toBe(firstListed?.t);
    const loadUs = firstListed?.t as number;
    const ttlUs = FRAMEWORK_DEFAULTS.sclbTtlMs * 1000;
    const expected = loadUs + Math.ceil(((clientDrop?.t as number) - loadUs) / ttlUs) * ttlUs;
    expect(dropOf(framework, 'c1', 60 * S)?.t).toBe(expected);
    expect(out.result.metrics.subscriberUpdatedAtMs).toBe(expected / 1000);
  });

  it('Ribbon: the list changes only at 0, 1 s and every 30 s after, at the first refresh after the client drops it', () => {
    const out = run({ model: 'nacos-v2', fault: ['cut@60s'], until: '5m', 'consumer-framework': 'ribbon' });
    const clientDrop = dropOf(on(out.trace, 'view.update'), 'c1', 60 * S)?.t as number;
    const framework = on(out.trace, 'framework.view');
    const first = FRAMEWORK_DEFAULTS.ribbonInitialDelayMs * 1000;
    const every = FRAMEWORK_DEFAULTS.ribbonIntervalMs * 1000;
    for (const e of framework) expect(e.t === 0 || (e.t - first) % every === 0).toBe(true);
    const expected = first + Math.ceil((clientDrop - first) / every) * every;
    expect(dropOf(framework, 'c1', 60 * S)?.t).toBe(expected);
    expect(out.result.metrics.subscriberUpdatedAtMs).toBe(expected / 1000);
  });

  it('Dubbo routes by every instance, healthy or not: on 1.x an unhealthy instance is still called until it is deleted', () => {
    // Two providers, so the server's protect threshold (0.0) does not return the unhealthy one as healthy.
    const out = run({ model: 'nacos-v1', clients: 2, fault: ['cut:c1-s1@60s'], until: '5m', 'consumer-framework': 'dubbo' });
    const client = on(out.trace, 'view.update');
    const framework = on(out.trace, 'framework.view');
    const unhealthy = out.trace.find((e) => e.kind === 'instance.unhealthy' && e.data?.instance === 'c1');
    const removed = out.trace.find((e) => e.kind === 'instance.remove' && e.data?.instance === 'c1');
    expect(unhealthy).toBeDefined();
    expect(removed).toBeDefined();
    // The Nacos client's healthy view drops c1 after it is marked unhealthy, before it is removed …
    const clientDrop = dropOf(client, 'c1', 60 * S)?.t as number;
    expect(clientDrop).toBeGreaterThan(unhealthy?.t as number);
    expect(clientDrop).toBeLessThan(removed?.t as number);
    // … Dubbo's list only after the removal reached the client, and still lists c2.
    const dubboDrop = dropOf(framework, 'c1', 60 * S);
    expect(dubboDrop?.t).toBeGreaterThan(removed?.t as number);
    expect(lists(dubboDrop as TraceEvent, 'c2')).toBe(true);
  });

  it('Dubbo with empty protection (the 3.0.x-3.1.x default) never lets go of the last provider', () => {
    const out = run({
      model: 'nacos-v2',
      fault: ['cut@60s'],
      until: '5m',
      'consumer-framework': 'dubbo',
      set: ['dubbo.registry.enable-empty-protection=true'],
    });
    expect(dropOf(on(out.trace, 'view.update'), 'c1', 60 * S)).toBeDefined();
    expect(dropOf(on(out.trace, 'framework.view'), 'c1', 60 * S)).toBeUndefined();
    expect(out.result.metrics.staleMs).toBeNull();
  });

  it('the followed-instance trace of a large run keeps the framework list: the same metrics as the whole trace', () => {
    const sc = resolveScenario(
      scenarioInput({ model: 'nacos-v2', clients: 3, subscribers: 2, fault: ['cut@60s'], until: '5m', 'consumer-framework': 'spring-cloud-loadbalancer' }),
    );
    expect(runScenario(sc, { trace: 'followed' }).result.metrics).toEqual(runScenario(sc).result.metrics);
  });

  it('without a framework nothing is added to the trace', () => {
    const out = run({ model: 'nacos-v2', fault: ['cut@60s'], until: '2m' });
    expect(on(out.trace, 'framework.view')).toEqual([]);
  });
});
