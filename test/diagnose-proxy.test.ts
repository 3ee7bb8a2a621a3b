import { describe, expect, it } from 'vitest';
import { diagnose } from '../src/diagnose/diagnose.js';
import { V2_CONSTANTS } from '../src/models/nacos-v2/defaults.js';
import { PROXY_PRODUCTS } from '../src/models/proxy/defaults.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

/**
 * diagnose behind a proxy (issue 17 item 2 and its Done-when: `… --proxy nginx-stream` gives an
 * answer specific to that combination). With 1 ms links on each leg:
 *   - nginx stream on 2.2.3: no ejector (2.2.0-2.2.4, #9653), so nginx's proxy_timeout (600 s,
 *     ngx_stream_proxy_module.c: 10 * 60000) after the last byte it relayed — the server's answer
 *     to the last request heard, 1 ms after it — closes both legs, and the FIN reaches the server
 *     1 ms later: removal = last heard + 600.002 s. The default 10 min horizon ends before that,
 *     so diagnose extends it and says why.
 *   - an NLB forgets the flow silently: on 2.2.3 nothing reaches the server within the horizon; the
 *     NLB cause is in the user's settings, reproduces, and 2.3.0's ejector removes the instance
 *     within its window from the last request heard: (idle 20 s + probe 5 s, + one 3 s tick].
 *   - the cluster causes cannot run behind a proxy (one server): they are not tried.
 */
const LEG_MS = 1;
const behind = (proxy: string): ScenarioFile => ({ model: 'nacos-v2', serverVersion: '2.2.3', proxy, set: { 'net.latency': `fixed:${LEG_MS}ms` } });

describe('diagnose › behind a proxy', () => {
  it('nginx stream on 2.2.3: removed by the proxy_timeout, the horizon extended to see it', () => {
    const d = diagnose(behind('nginx-stream'), 'never-removed');
    const heard = d.answered?.output.result.metrics.lastHeardAtMs as number;
    expect(d.removal.removedAtMs).toBeCloseTo(heard + LEG_MS + PROXY_PRODUCTS['nginx-stream'].idleTimeoutMs + LEG_MS, 3);
    expect(d.removal.horizonNote).toContain("the proxy's idle timeout (nginx-stream: 600 s");
    expect(d.removal.because).toContain('a FIN reached the server');
    expect(d.causes.some((c) => c.id.startsWith('cluster-'))).toBe(false);
  });

  it('nginx stream on 2.2.3, slow removal: the proxy cause is in your settings and 2.3.0 fixes it', () => {
    const d = diagnose(behind('nginx-stream'), 'slow-removal');
    const c = d.causes.find((x) => x.id === 'v2-proxy-nginx-idle-2.2');
    expect(c?.inYourSettings).toBe(true);
    expect(c?.reproduces).toBe(true);
    expect(c?.remedy.fixes).toBe(true);
  });

  it('an NLB on 2.2.3: never told, the NLB cause first among yours; 2.3.0 ejects within its window', () => {
    const d = diagnose(behind('nlb'), 'never-removed');
    expect(d.removal.removedAtMs).toBeNull();
    const c = d.causes.find((x) => x.id === 'v2-proxy-nlb-forgets-flow');
    expect(c?.inYourSettings).toBe(true);
    expect(c?.reproduces).toBe(true);
    expect(c?.remedy.fixes).toBe(true);
    // The remedy's run: cut at 60 s; the last request heard lies within one idle gap (K = 5 s
    // keep-alive + ≤ 499 ms sleep + the legs) before it; the ejector then needs idle 20 s + probe 5 s,
    // + up to one 3 s tick, + the legs back.
    const k = 5000;
    const lo = V2_CONSTANTS.idleLimitMs + V2_CONSTANTS.probeTimeoutMs - k - 499 - 4 * LEG_MS;
    const hi = V2_CONSTANTS.idleLimitMs + V2_CONSTANTS.ejectorPeriodMs + V2_CONSTANTS.probeTimeoutMs + 4 * LEG_MS;
    expect(c?.remedy.detectionMs).toBeGreaterThan(lo);
    expect(c?.remedy.detectionMs).toBeLessThanOrEqual(hi);
  });
});
