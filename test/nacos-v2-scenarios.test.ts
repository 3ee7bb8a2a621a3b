import { describe, expect, it } from 'vitest';
import type { Expectation } from '../src/analysis/bounds.js';
import { type V2Bounds, v2SilentRemoval } from '../src/analysis/bounds-v2.js';
import { healthAttempts, type V2Settings, v2Settings } from '../src/models/nacos-v2/settings.js';
import { type RunOutput, resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';
import { usToMs } from '../src/sim/time.js';
import type { TraceEvent } from '../src/sim/trace.js';

// Scenarios whose timing follows from one mechanism each; the comment on each test says which.
// Expected windows come from src/analysis/bounds-v2.ts and the model's settings, never from a run.

const run = (over: Omit<ScenarioFile, 'model'>): RunOutput => runScenario(resolveScenario({ model: 'nacos-v2', ...over }));
const boundsOf = (o: RunOutput): V2Bounds => o.result.bounds as V2Bounds;
const settingsOf = (o: RunOutput): V2Settings => {
  const sc = resolveScenario({ model: 'nacos-v2', clientVersion: o.result.clientVersion, serverVersion: o.result.serverVersion });
  return v2Settings(o.result.config, { client: sc.clientVersion, server: sc.serverVersion });
};
const diffMs = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Math.round((a - b) * 1000) / 1000);
const expectWithin = (value: number | null, e: Expectation, what: string): void => {
  if (e.kind !== 'within') throw new Error(`${what}: the bound is ${e.kind} (${e.why})`);
  expect(value, what).not.toBeNull();
  expect(value as number, `${what} > ${e.interval.lowerMs}`).toBeGreaterThan(e.interval.lowerMs);
  expect(value as number, `${what} ≤ ${e.interval.upperMs}`).toBeLessThanOrEqual(e.interval.upperMs);
};
const events = (o: RunOutput, kind: string, pred: (e: TraceEvent) => boolean = () => true): TraceEvent[] => o.trace.filter((e) => e.kind === kind && pred(e));
const heardFromC1 = (o: RunOutput, connection: unknown, beforeUs: number): TraceEvent | undefined =>
  o.trace
    .filter((e) => (e.kind === 'request.recv' || e.kind === 'probe.reply') && e.data?.instance === 'c1' && e.data?.connection === connection && e.t <= beforeUs)
    .at(-1);
const S = 1_000_000;

describe('nacos-v2 › one-way partition (s2c) › the client keeps talking into the void', () => {
  // Server→client is blackholed, client→server is not. Every request still arrives (the server
  // refreshes lastActive), every response is lost: the client's health check fails after its
  // attempts × timeout, and from then on it only tries new connections whose SYN-ACK is lost,
  // so it sends nothing more on the old one. The server then hears silence and its ejector
  // removes the instance 20 s + tick + probe timeout after the last request it heard.
  it('messages arrive after the fault; the client gives up; then the server ejects', () => {
    for (const seed of [1, 2, 3]) {
      const o = run({ seed, until: '3m', faults: ['oneway:s2c@60s'] });
      const m = o.result.metrics;
      const b = boundsOf(o);
      expect(m.lastHeardAtMs as number).toBeGreaterThan(m.faultAtMs as number);
      expectWithin(diffMs(m.clientDetectedAtMs, m.faultAtMs), b.clientDetectedFromFault, 'client detection');
      expectWithin(diffMs(m.serverRemovedAtMs, m.lastHeardAtMs), b.removedFromLastHeard, 'removal after last heard');
      expectWithin(m.detectionMs, b.removedFromFault, 'removal after the fault');
      // The last request heard is the last health-check attempt, sent before the client gave up.
      expect(m.lastHeardAtMs as number).toBeLessThan(m.clientDetectedAtMs as number);
      // No new connection ever completes: its SYN-ACK is lost.
      expect(events(o, 'connection.register', (e) => e.data?.client === 'c1').length).toBe(1);
      expect(m.reRegistrations).toBe(0);
    }
  });
});

describe('nacos-v2 › flapping link', () => {
  // up 8 s / down 2 s: a request or response lost in a 2 s outage is retransmitted by TCP (RTO
  // 0.2, 0.4, 0.8, 1.6 s … after the first send), and at worst one 3 s health-check attempt times
  // out — the next attempt leaves in an up phase. So the client never gives up, the server
  // hears it at least every ~11 s (≪ 20 s), and nothing is removed.
  it('short outages are absorbed by retransmission and health-check retries', () => {
    for (const seed of [1, 2, 3]) {
      const o = run({ seed, until: '6m', faults: ['flap:8s/2s@60s-300s'] });
      const m = o.result.metrics;
      expect(m.clientDetectedAtMs).toBeNull();
      expect(m.serverRemovedAtMs).toBeNull();
      expect(m.messages.reconnectAttempts).toBe(0);
      expect(events(o, 'probe.send')).toEqual([]);
      const heard = events(o, 'request.recv', (e) => e.data?.instance === 'c1').map((e) => e.t);
      const gaps = heard.slice(1).map((t, i) => t - (heard[i] as number));
      expect(Math.max(...gaps)).toBeLessThan(20 * S);
    }
  });

  // up 20 s / down 40 s: each down phase is a cut long enough for the ejector (removal ≤ 28 s +
  // one latency after the last message, which came ≤ 5.5 s before the phase began), and each up
  // phase is long enough for a reconnect attempt (≤ 3 s + a sleep that has grown to < 1 s) and
  // the redo tick (≤ 3 s). So every cycle removes the instance in its down phase and brings it
  // back in its up phase.
  it('long outages: one removal per down phase, one re-registration per up phase', () => {
    const o = run({ until: '6m', faults: ['flap:20s/40s@60s-300s'] });
    const m = o.result.metrics;
    const removals = events(o, 'instance.remove', (e) => e.data?.instance === 'c1');
    const returns = events(o, 'instance.register', (e) => e.data?.instance === 'c1' && e.t > 60 * S);
    const downPhases = [60, 120, 180, 240].map((start) => [start * S, (start + 40) * S] as const);
    expect(removals.length).toBe(4);
    expect(returns.length).toBe(4);
    expect(m.flaps).toBe(4);
    const silent = v2SilentRemoval(settingsOf(o), { minUs: 200, maxUs: 1000 });
    removals.forEach((r, i) => {
      const [down, up] = downPhases[i] as readonly [number, number];
      expect(r.t).toBeGreaterThan(down);
      expect(r.t).toBeLessThan(up);
      const last = heardFromC1(o, r.data?.connection, r.t) as TraceEvent;
      expectWithin(usToMs(r.t - last.t), silent, `removal ${i} after its last heard`);
      const back = returns[i] as TraceEvent;
      expect(back.t).toBeGreaterThanOrEqual(up);
      expect(back.t).toBeLessThan(up + 20 * S);
      const connected = events(o, 'client.connected', (e) => e.host === 'c1' && e.t <= back.t).at(-1) as TraceEvent;
      expectWithin(usToMs(back.t - connected.t), boundsOf(o).reRegisteredFromReconnect, `re-registration ${i}`);
    });
  });
});

describe('nacos-v2 › NAT idle expiry', () => {
  // A NAT forgetting flows after 350 s (the AWS NLB default) never sees a flow idle that long:
  // the client health-checks every 5 s. Nothing happens.
  // A NAT that comes into the path after the connection opened (nat-idle:…@15s) never saw the
  // flow's SYN: it refuses the flow's first packet after 15 s, and that is when the fault starts
  // (the swarm suite found fault.start missing here: the box only recorded expiries of flows it knew).
  it('a NAT placed after the connection opened refuses it at once, and that is the fault start', () => {
    const o = run({ until: '2m', faults: ['nat-idle:20s@15s'] });
    const drops = events(o, 'middlebox.drop');
    expect(drops.length).toBeGreaterThan(0);
    const first = drops[0] as TraceEvent;
    expect(first.t).toBeGreaterThanOrEqual(15_000_000);
    expect(o.result.metrics.faultAtMs).toBe(usToMs(first.t));
    expect(events(o, 'fault.start')).toHaveLength(1);
  });

  it('350 s: the 5 s health checks keep the flow alive', () => {
    const o = run({ until: '30m', faults: ['nat-idle:350s'] });
    expect(events(o, 'middlebox.expire')).toEqual([]);
    expect(o.result.metrics.faultAtMs).toBeNull();
    expect(o.result.metrics.messages.reconnectAttempts).toBe(0);
    expect(events(o, 'instance.remove')).toEqual([]);
  });

  // A NAT with an idle timeout (4 s) below the health-check rhythm (5 s) forgets the flow 4 s
  // after its last packet; the next health check and its retransmissions are dropped, so the
  // client gives up exactly attempts × timeout after its first attempt, reconnects (a new SYN
  // opens a new flow) and its redo re-publishes the instance on the new connection. The server
  // ejects the old connection 20-23 s + probe timeout after its last request, which is later:
  // the instance is never removed, and the cycle repeats on each new connection.
  it('4 s, drop: the client cycles connections and the instance is never removed', () => {
    const o = run({ until: '3m', faults: ['nat-idle:4s'] });
    const s = settingsOf(o);
    const expiries = events(o, 'middlebox.expire');
    expect(expiries.length).toBeGreaterThan(3);
    // fault.start marks the first expiry: 4 s after the last packet through the box.
    const first = expiries[0] as TraceEvent;
    expect(o.result.metrics.faultAtMs).toBe(usToMs(first.t));
    const lastPacket = events(o, 'net.send', (e) => e.t < first.t && e.data?.fate === 'sent' && (e.host === 'c1' || e.data?.to === 'c1')).at(-1) as TraceEvent;
    expect(first.t - lastPacket.t).toBe(4 * S);
    // The client gives up attempts × timeout after the first attempt sent into the dead flow.
    const firstCheck = events(o, 'health-check.send', (e) => e.host === 'c1' && e.t > first.t)[0] as TraceEvent;
    const detected = events(o, 'client.detected', (e) => e.host === 'c1')[0] as TraceEvent;
    expect(detected.t - firstCheck.t).toBe(healthAttempts(s) * s.healthTimeoutMs * 1000);
    // Old connections are ejected in the silent-removal window; the instance itself stays.
    const ejected = events(o, 'connection.unregister', (e) => e.data?.client === 'c1');
    expect(ejected.length).toBeGreaterThan(2);
    for (const u of ejected) {
      expect(u.data?.reason).toBe('ejected');
      const last = heardFromC1(o, u.data?.connection, u.t) as TraceEvent;
      expectWithin(usToMs(u.t - last.t), v2SilentRemoval(s, { minUs: 200, maxUs: 1000 }), 'old connection ejected');
    }
    expect(events(o, 'instance.remove')).toEqual([]);
    expect(o.result.metrics.subscriberUpdatedAtMs).toBeNull();
  });

  // Same NAT answering forgotten flows with a reset: the client's first health check after the
  // expiry meets the reset one latency later and reconnects at once; the server's probe of the
  // old connection meets a reset too, so the old connection goes at the ejector tick (not after
  // the probe timeout): 20-23 s after its last request plus one latency (the run that waited for
  // the previous reset shifts the 3 s grid by at most one more latency).
  it('4 s, rst: resets instead of timeouts on both sides', () => {
    const o = run({ until: '3m', faults: ['nat-idle:4s/rst'] });
    const s = settingsOf(o);
    const first = events(o, 'middlebox.expire')[0] as TraceEvent;
    const firstCheck = events(o, 'health-check.send', (e) => e.host === 'c1' && e.t > first.t)[0] as TraceEvent;
    const detected = events(o, 'client.detected', (e) => e.host === 'c1')[0] as TraceEvent;
    // The reset closes the stream under the pending health check: it fails at once.
    const reset = events(o, 'stream.close', (e) => e.host === 'c1')[0] as TraceEvent;
    expect(reset.data?.reason).toBe('reset');
    expect(detected.t).toBe(reset.t);
    const d = o.result.bounds as V2Bounds;
    expect(d.removedFromFault.kind).toBe('no-bound');
    // One one-way latency (LAN: 0.2-1 ms) from the health check to the reset.
    expect(detected.t - firstCheck.t).toBeGreaterThanOrEqual(200);
    expect(detected.t - firstCheck.t).toBeLessThanOrEqual(1000);
    const ejected = events(o, 'connection.unregister', (e) => e.data?.client === 'c1');
    expect(ejected.length).toBeGreaterThan(2);
    for (const u of ejected) {
      // The reset fails the pending probe and closes the transport at once: either path unregisters.
      expect(['ejected', 'transport-reset']).toContain(u.data?.reason);
      const last = heardFromC1(o, u.data?.connection, u.t) as TraceEvent;
      const afterMs = usToMs(u.t - last.t);
      expect(afterMs).toBeGreaterThanOrEqual(20_000 + 0.2);
      expect(afterMs).toBeLessThanOrEqual(23_000 + 2 * 1);
    }
    expect(events(o, 'instance.remove')).toEqual([]);
    expect(s.ejection).toBe(true);
  });
});

describe('nacos-v2 › frozen client', () => {
  // pause: the process answers nothing, but its OS still acknowledges every segment, so no TCP
  // timer fires on the server's side; only the ejector's unanswered probe removes it, in the same
  // window as a cut. On resume the client reads the server's FIN (the unregister closed the
  // connection), reconnects, and its redo re-registers the instance.
  it('frozen 60 s: removed by the probe, re-registered after resume', () => {
    for (const seed of [1, 2, 3]) {
      const o = run({ seed, until: '3m', faults: ['pause@60s-120s'] });
      const m = o.result.metrics;
      const b = boundsOf(o);
      expectWithin(diffMs(m.serverRemovedAtMs, m.lastHeardAtMs), b.removedFromLastHeard, 'removal after last heard');
      expectWithin(m.detectionMs, b.removedFromFault, 'removal after the pause began');
      expect(events(o, 'probe.send', (e) => e.data?.instance === 'c1').length).toBe(1);
      expect(events(o, 'stream.timeout')).toEqual([]);
      expect(m.clientDetectedAtMs).toBe(120_000);
      expect(m.reRegistrations).toBe(1);
      const back = events(o, 'instance.register', (e) => e.t > 120 * S)[0] as TraceEvent;
      const connected = events(o, 'client.connected', (e) => e.host === 'c1' && e.t <= back.t).at(-1) as TraceEvent;
      expectWithin(usToMs(back.t - connected.t), b.reRegisteredFromReconnect, 're-registration after resume');
    }
  });

  // Frozen 15 s: the server can probe no earlier than 20 s after the last request (≥ 74.5 s) and
  // waits 5 s for the answer; the client resumes at 75 s and answers. Nothing is removed.
  it('frozen 15 s: shorter than the idle limit plus the probe timeout, nothing is removed', () => {
    for (const seed of [1, 2, 3]) {
      const o = run({ seed, until: '3m', faults: ['pause@60s-75s'] });
      expect(o.result.metrics.serverRemovedAtMs).toBeNull();
      expect(o.result.metrics.reRegistrations).toBe(0);
    }
  });
});
