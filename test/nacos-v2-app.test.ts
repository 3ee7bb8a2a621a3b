import { describe, expect, it } from 'vitest';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

/**
 * The provider application's reaction to a long disconnection (sim.app.onDisconnect, issue 16):
 * what each option can and cannot do when the client is cut off from the server.
 */
const run = (s: ScenarioFile) => runScenario(resolveScenario(s), { trace: 'all' });
const app = (action: string): Record<string, string> => ({ 'sim.app.onDisconnect': action, 'sim.app.disconnectAfter': '30s' });
const kinds = (o: ReturnType<typeof run>, kind: string) => o.trace.filter((e) => e.kind === kind);

describe('nacos-v2 › application › on disconnect', () => {
  it('none is the default: the same trace as a run without the knob', () => {
    const base: ScenarioFile = { model: 'nacos-v2', faults: ['cut@60s'], until: '3m' };
    expect(run({ ...base, set: { 'sim.app.onDisconnect': 'none' } }).result.traceHash).toBe(run(base).result.traceHash);
  });

  it('acts at the first check ≥ disconnectAfter after the first check that saw DOWN (checks every 10 s)', () => {
    const o = run({ model: 'nacos-v2', faults: ['cut@60s'], until: '3m', set: app('stop-serving') });
    const detected = o.result.metrics.clientDetectedAtMs as number;
    const firstDownMs = Math.ceil(detected / 10_000) * 10_000;
    expect(kinds(o, 'app.stop-serving')[0]?.t).toBe((firstDownMs + 30_000) * 1000);
  });

  it('stop-serving leaves the registry alone and serves again after the link heals', () => {
    const base: ScenarioFile = { model: 'nacos-v2', serverVersion: '2.2.3', faults: ['cut@60s-5m'], until: '8m' };
    const o = run({ ...base, set: app('stop-serving') });
    const plain = run(base);
    expect(o.result.metrics.serverRemovedAtMs).toBe(plain.result.metrics.serverRemovedAtMs);
    expect(kinds(o, 'app.serving').length).toBe(1);
  });

  it('deregister while cut off reaches nothing: the redo drops the registration (RedoData REMOVE), so the reconnect does not re-register', () => {
    const base: ScenarioFile = { model: 'nacos-v2', serverVersion: '2.2.3', faults: ['cut@60s-5m'], until: '8m' };
    const plain = run(base);
    const o = run({ ...base, set: app('deregister') });
    // Without it the redo task re-registers on the new connection after the heal (the old, half-open one still lists it on 2.2.3).
    const redoAfterHeal = (x: ReturnType<typeof run>) => kinds(x, 'client.redo').filter((e) => e.t > 300_000_000).length;
    expect(redoAfterHeal(plain)).toBeGreaterThanOrEqual(1);
    expect(redoAfterHeal(o)).toBe(0);
    expect(o.trace.some((e) => e.kind === 'instance.remove' && e.data?.reason === 'deregister')).toBe(false);
  });

  it('exit under a cut: the FIN is lost, the server still needs its own mechanism (2.5.1: the ejector)', () => {
    const base: ScenarioFile = { model: 'nacos-v2', faults: ['cut@60s'], until: '3m' };
    const o = run({ ...base, set: app('exit') });
    expect(kinds(o, 'process.crash').length).toBe(1);
    // The ejector removes it 20 s + probe after the last message, long before the app's exit at ≥ 30 s down.
    expect(o.result.metrics.serverRemovedAtMs).toBe(run(base).result.metrics.serverRemovedAtMs);
  });

  it('exit when only the Nacos path is down for long but heals: the exited process never comes back', () => {
    const o = run({ model: 'nacos-v2', faults: ['cut@60s-3m'], until: '8m', set: app('exit') });
    expect(kinds(o, 'client.connected').filter((e) => e.t > 180_000_000).length).toBe(0);
  });
});
