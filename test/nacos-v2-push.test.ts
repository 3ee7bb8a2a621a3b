import { describe, expect, it } from 'vitest';
import { v2SilentRemoval } from '../src/analysis/bounds-v2.js';
import type { Config } from '../src/models/knob.js';
import type { World } from '../src/models/model.js';
import { V2_CONSTANTS } from '../src/models/nacos-v2/defaults.js';
import { nacosV2 } from '../src/models/nacos-v2/index.js';
import { v2Settings } from '../src/models/nacos-v2/settings.js';
import { parseVersion, type Version } from '../src/models/version.js';
import { Endpoint } from '../src/sim/endpoint.js';
import { type Fault, installFaults } from '../src/sim/faults.js';
import { Host } from '../src/sim/host.js';
import { DROP, Network, PASS } from '../src/sim/network.js';
import { Simulation } from '../src/sim/simulation.js';
import { usToMs } from '../src/sim/time.js';

// The push path when the subscriber cannot be reached: faults in the DSL only touch c1, so this
// test builds the world itself and blackholes s1 ⇄ sub1. A removal (c1 crashes) makes the server
// push NotifySubscriberRequest; each push waits pushTaskTimeout for its ack, fails, and is queued
// again after pushTaskRetryDelay (next 100 ms engine tick), without limit — until the server
// ejects the subscriber's own silent connection, after which the retry finds no client and stops.

const S = 1_000_000;
const v = (t: string): Version => parseVersion(t) as Version;

const world = (cutSubscriberAtUs: number, faults: Fault[]) => {
  const sim = new Simulation(1);
  const net = new Network(sim, { latency: { kind: 'fixed', us: 1000 }, loss: 0 });
  const [c1, s1, sub1] = ['c1', 's1', 'sub1'].map((n) => new Host(sim, n)) as [Host, Host, Host];
  const endpoints = new Map<Host, Endpoint>();
  const w: World = {
    sim,
    net,
    clients: [c1],
    servers: [s1],
    subscribers: [sub1],
    faults,
    endpoint: (h) => {
      let ep = endpoints.get(h);
      if (ep === undefined) {
        ep = new Endpoint(h, net);
        endpoints.set(h, ep);
      }
      return ep;
    },
  };
  net.addRule({
    name: 'cut s1⇄sub1',
    judge: (from, to, now) => (now >= cutSubscriberAtUs && ((from === 's1' && to === 'sub1') || (from === 'sub1' && to === 's1')) ? DROP : PASS),
  });
  installFaults(sim, net, faults, { client: c1, servers: [s1] });
  const config: Config = Object.fromEntries(nacosV2.knobs.map((k) => [k.key, k.default]));
  nacosV2.build(w, config, { client: v('2.5.1'), server: v('2.5.1') });
  return { sim, config };
};

describe('nacos-v2 › push › an unreachable subscriber', () => {
  it('each push times out and is retried after the retry delay, until the subscriber is ejected', () => {
    const crash: Fault = { kind: 'crash', text: 'crash@62s', startUs: 62 * S, endUs: null };
    const { sim, config } = world(60 * S, [crash]);
    sim.run(180 * S);
    const s = v2Settings(config, { client: v('2.5.1'), server: v('2.5.1') });
    const events = sim.trace.events;
    const sends = events.filter((e) => e.kind === 'push.send' && e.data?.to === 'sub1' && e.t > 60 * S).map((e) => e.t);
    const fails = events.filter((e) => e.kind === 'push.fail' && e.data?.to === 'sub1').map((e) => e.t);
    const removed = events.find((e) => e.kind === 'instance.remove' && e.data?.instance === 'c1');
    expect(removed?.t).toBe(62 * S + 1000);
    // The first push: the first 100 ms tick at or after removal + pushTaskDelay.
    expect(sends[0]).toBe(Math.ceil((62 * S + 1000 + s.pushTaskDelayMs * 1000) / 100_000) * 100_000);
    expect(sends.length).toBeGreaterThan(2);
    const ejectedAt = events.find((e) => e.kind === 'connection.unregister' && e.data?.client === 'sub1')?.t ?? Number.POSITIVE_INFINITY;
    sends.forEach((t, i) => {
      // Every push fails exactly pushTaskTimeout after it was sent (or when the connection is closed under it) …
      expect(fails[i]).toBe(Math.min(t + s.pushTaskTimeoutMs * 1000, ejectedAt));
      // … and the next leaves at the first engine tick ≥ that failure + pushTaskRetryDelay.
      const next = sends[i + 1];
      if (next !== undefined) {
        const dueUs = (fails[i] as number) + s.pushTaskRetryDelayMs * 1000;
        expect(next).toBe(Math.ceil(dueUs / (V2_CONSTANTS.pushEngineTickMs * 1000)) * V2_CONSTANTS.pushEngineTickMs * 1000);
      }
    });
    // The retries stop once sub1's own connection is ejected (its health checks stopped arriving at 60 s).
    const ejected = events.find((e) => e.kind === 'connection.unregister' && e.data?.client === 'sub1');
    expect(ejected).toBeDefined();
    const lastHeard = events.filter((e) => e.kind === 'request.recv' && e.data?.instance === 'sub1' && e.t < (ejected?.t ?? 0)).at(-1);
    const w = v2SilentRemoval(s, { minUs: 200, maxUs: 1000 }); // the ejector decides; the LAN latency only moves the kernel give-up
    const afterMs = usToMs((ejected?.t ?? 0) - (lastHeard?.t ?? 0));
    expect(w.kind === 'within' && afterMs > w.interval.lowerMs && afterMs <= w.interval.upperMs).toBe(true);
    expect(sends.every((t) => t < (ejected?.t ?? 0))).toBe(true);
  });
});
