import { describe, expect, it } from 'vitest';
import { diagnose } from '../src/diagnose/diagnose.js';
import { remediesOf } from '../src/diagnose/diagnose-remedies.js';
import { resolveScenario } from '../src/scenario/run.js';

/**
 * diagnose › nacos-v2 with nacos-sdk-go (src/models/nacos-v2/causes-sdk-go.ts). Expected from the Go
 * source, not from a run: ServiceInfoHolder.ProcessService (v2.3.5 clients/naming_client/
 * naming_cache/service_info_holder.go) drops a list with no hosts unless UpdateCacheWhenEmpty,
 * whose zero value is false, so after the server removes the only instance (the 2.5.1 ejector:
 * 20 s idle + ≤ 3 s tick + 5 s probe after the last request, ≤ 28 s after a cut) a Go consumer
 * never updates; with UpdateCacheWhenEmpty=true the removal's push (pushTaskDelay 500 ms + the
 * 100 ms engine tick + a latency) reaches it within 28 s + 0.6 s + 1 ms of the cut.
 */
const USER = { model: 'nacos-v2', clientSdk: 'go', consumerSdk: 'go', seed: 1 };

describe('diagnose › nacos-v2 --client-sdk go --consumer-sdk go', () => {
  it('consumers-still-call: names the Go consumer keeping its last instance, in your settings, fixed by UpdateCacheWhenEmpty', () => {
    const d = diagnose(USER, 'consumers-still-call');
    expect(d.baseline.staleMs).toBeNull();
    const first = d.causes[0];
    expect(first?.id).toBe('go-consumer-keeps-last-instance');
    expect(first?.inYourSettings).toBe(true);
    expect(first?.reproduces).toBe(true);
    expect(first?.remedy.fixes).toBe(true);
    expect(first?.remedy.staleMs as number).toBeLessThanOrEqual(28_000 + 600 + 1);
  });

  it('a Java consumer: the Go cause is a hypothesis (Go consumers laid over your settings), still reproduced', () => {
    const d = diagnose({ model: 'nacos-v2', clientSdk: 'go', seed: 1 }, 'consumers-still-call');
    const go = d.causes.find((c) => c.id === 'go-consumer-keeps-last-instance');
    expect(go?.inYourSettings).toBe(false);
    expect(go?.reproduces).toBe(true);
  });

  it("the Java client's health-check remedies are not offered for a Go provider: its health check has no settings", () => {
    const sc = resolveScenario(USER);
    const java = resolveScenario({ model: 'nacos-v2' });
    for (const id of ['v2-client-health', 'v2-client-health-aggressive']) {
      const r = remediesOf('nacos-v2').find((x) => x.id === id);
      expect(r?.unavailable(sc)).toMatch(/not in nacos-sdk-go/);
      expect(r?.unavailable(java)).toBeNull();
    }
  });
});
