import { describe, expect, it } from 'vitest';
import { diagnose } from '../src/diagnose/diagnose.js';

/**
 * diagnose › a 1.x client on a 2.2.3 server names the causes of that combination, each with its
 * remedy simulated (src/models/nacos-v1/causes-mixed.ts). Expected from the source, not from a run:
 * - 2.2.0–2.2.4 never eject a silent gRPC connection (NacosRuntimeConnectionEjector.doEject logs
 *   metrics only), so the same cut on a 2.2.3 gRPC client is never removed; a 2.3.0 server's
 *   ejector removes it (KEEP_ALIVE_TIME 20 s + a 3 s tick + a ≤ 5 s probe): within 30 s;
 * - with expireInstance=false the 1.x client's instance goes by the 2.0.3+ client expiry, 3 min
 *   (+ ≤ 5 s cleaner tick) after its last beat, heard ≤ 5 s before the cut: 175–185 s after it;
 *   nacos.naming.client.expired.time=30s brings it to ≤ 35 s.
 */
const USER = { model: 'nacos-v1', serverVersion: '2.2.3', clientVersion: '1.4.0', seed: 1 };

describe('diagnose › nacos-v1 client 1.4.0 on server 2.2.3', () => {
  it('never-removed: names the 2.2.x gRPC half-open bug as present, reproduced on a 2.x client, fixed by a 2.3.0 server', () => {
    const d = diagnose(USER, 'never-removed');
    expect(d.baseline.detectionMs).not.toBeNull();
    const grpc = d.causes.find((c) => c.id === 'mixed-grpc-upgrade-on-2.2');
    expect(grpc?.inYourSettings).toBe(true);
    expect(grpc?.reproduces).toBe(true);
    expect(grpc?.remedy.fixes).toBe(true);
    expect(grpc?.remedy.detectionMs as number).toBeLessThanOrEqual(30_000);
  });
  it('slow-removal with expireInstance=false: the client expiry removes it 175–185 s after the cut; 30 s expiry bounds it to ≤ 35 s', () => {
    const d = diagnose({ ...USER, set: { 'nacos.naming.expireInstance': 'false' } }, 'slow-removal');
    const expiry = d.causes.find((c) => c.id === 'mixed-client-expiry-overrides-switches');
    // Slow is judged against the user's own window, which already holds the 3 min expiry: the finding reports the times.
    expect(expiry?.inYourSettings).toBe(true);
    expect(expiry?.detectionMs as number).toBeGreaterThan(175_000);
    expect(expiry?.detectionMs as number).toBeLessThanOrEqual(185_000);
    expect(expiry?.remedy.fixes).toBe(true);
    expect(expiry?.remedy.detectionMs as number).toBeLessThanOrEqual(35_000);
  });
  it('consumers-still-call with pushEnabled=false: the frozen list is named and the push switch fixes it', () => {
    const d = diagnose({ ...USER, set: { pushEnabled: 'false' } }, 'consumers-still-call');
    const frozen = d.causes.find((c) => c.id === 'mixed-push-off-freezes-list');
    expect(frozen?.inYourSettings).toBe(true);
    expect(frozen?.reproduces).toBe(true);
    expect(frozen?.remedy.fixes).toBe(true);
  });
  it('false-removal with an open-API beat naming another service (#12161): named, reproduced, fixed by the URL’s service in the JSON', () => {
    const d = diagnose({ ...USER, serverVersion: '2.3.1', set: { 'sim.beatSender': 'openapi-other-service' } }, 'false-removal');
    const f = d.causes.find((c) => c.id === 'mixed-openapi-beat-other-service');
    expect([f?.inYourSettings, f?.reproduces, f?.remedy.fixes]).toEqual([true, true, true]);
  });
  it('is not named for a 1.x server', () => {
    const d = diagnose({ ...USER, serverVersion: '1.4.8' }, 'never-removed');
    expect(d.causes.find((c) => c.id === 'mixed-grpc-upgrade-on-2.2')?.inYourSettings).toBe(false);
  });
});
