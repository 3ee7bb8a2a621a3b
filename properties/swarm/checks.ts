import { type RunOutput, resolveScenario, runScenario, type Scenario } from '../../src/scenario/run.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { replayLine, Violation } from '../harness.js';
import { SWARM_UNTIL, type SwarmCase } from './arbitraries.js';

/**
 * What a swarm case must satisfy whatever its faults do together — claims that rest on no
 * single-fault bound (those are in properties/nacos-v*): the run ends (horizon or idle, never the
 * event budget) without an exception; the same scenario twice gives the same run, byte for byte;
 * stepping quiet clients outside the kernel changes nothing (quiet ≡ step-all); and the metrics
 * agree with the trace they come from.
 */
export const swarmScenario = (c: SwarmCase): Scenario =>
  resolveScenario({
    model: c.model,
    seed: c.seed,
    servers: c.servers,
    clients: c.clients,
    subscribers: c.subscribers,
    until: SWARM_UNTIL,
    faults: [...c.faults],
    set: { 'net.latency': c.latency },
  });

const ms = (us: number): number => us / 1000;

/** Where the metrics disagree with the trace, as a sentence; null when they agree. */
export const metricsVsTrace = (sc: Scenario, out: RunOutput): string | null => {
  const m = out.result.metrics;
  const events: readonly TraceEvent[] = out.trace;
  const c1 = (e: TraceEvent): boolean => e.data?.instance === 'c1';
  const at = (kind: string, t: number | null, where: (e: TraceEvent) => boolean = c1): boolean =>
    t === null || events.some((e) => e.kind === kind && ms(e.t) === t && where(e));
  const firstStart = events.find((e) => e.kind === 'fault.start');
  // The onset is the first fault.start, and that is the earliest fault's start — except a NAT's
  // idle timeout, which is a setting until the middlebox first forgets a flow (src/sim/middlebox.ts).
  const starts = sc.faults.filter((x) => x.kind !== 'nat-idle').map((x) => x.startUs);
  const earliest = starts.length === 0 ? null : Math.min(...starts);
  const natFrom = Math.min(...sc.faults.map((x) => x.startUs));
  if (m.faultAtMs !== (firstStart === undefined ? null : ms(firstStart.t))) return `faultAtMs ${m.faultAtMs} is not the first fault.start (${firstStart?.t})`;
  if (earliest !== null && firstStart?.t !== undefined && (firstStart.t > earliest || firstStart.t < natFrom))
    return `the first fault.start (${firstStart.t} µs) is not the earliest fault (${earliest} µs)`;
  if (earliest !== null && firstStart === undefined) return `no fault.start although a fault starts at ${earliest} µs`;
  // A fault that has taken effect has started: no packet dropped by a middlebox before the first fault.start.
  const drop = events.find((e) => e.kind === 'middlebox.drop');
  if (drop !== undefined && (firstStart === undefined || firstStart.t > drop.t)) return `a middlebox dropped a packet at ${drop.t} µs, before any fault.start`;
  const f = m.faultAtMs;
  // Detection (and every other "after the fault" time) comes at or after the fault. (Without a
  // fault the metrics measure from 0, e.g. a subscriber that never listed c1 "updated" at 0.)
  for (const [name, t] of [
    ['serverRemovedAtMs', m.serverRemovedAtMs],
    ['serverUnhealthyAtMs', m.serverUnhealthyAtMs],
    ['clientDetectedAtMs', m.clientDetectedAtMs],
    ['subscriberUpdatedAtMs', m.subscriberUpdatedAtMs],
  ] as const)
    if (t !== null && f !== null && t < f) return `${name} ${t} ms is before the fault (${f} ms)`;
  if (m.detectionMs !== null && (f === null || m.serverRemovedAtMs === null || Math.abs(m.detectionMs - (m.serverRemovedAtMs - f)) > 1e-6))
    return `detectionMs ${m.detectionMs} ≠ serverRemovedAtMs ${m.serverRemovedAtMs} − faultAtMs ${f}`;
  // Every removal, unhealthy mark and detection the metrics report has its trace event.
  if (sc.servers === 1 && !at('instance.remove', m.serverRemovedAtMs)) return `serverRemovedAtMs ${m.serverRemovedAtMs}: no instance.remove of c1 then`;
  if (sc.servers > 1 && m.serverRemovedAtMs !== null) {
    const t = m.serverRemovedAtMs;
    if (!events.some((e) => ms(e.t) === t && ((e.kind === 'instance.remove' && c1(e)) || e.kind === 'process.crash')))
      return `serverRemovedAtMs ${t}: no node removed c1 or crashed then`;
    for (const p of m.perServer ?? [])
      if (!at('instance.remove', p.removedAtMs, (e) => c1(e) && e.host === p.server))
        return `${p.server} removedAtMs ${p.removedAtMs}: no instance.remove there`;
  }
  if (!at('instance.unhealthy', m.serverUnhealthyAtMs)) return `serverUnhealthyAtMs ${m.serverUnhealthyAtMs}: no instance.unhealthy of c1 then`;
  if (!at('client.detected', m.clientDetectedAtMs, (e) => e.host === 'c1')) return `clientDetectedAtMs ${m.clientDetectedAtMs}: no client.detected on c1 then`;
  const removals = events.filter((e) => e.kind === 'instance.remove' && c1(e)).length;
  if (m.falseRemovals > removals) return `falseRemovals ${m.falseRemovals} > the ${removals} instance.remove events of c1`;
  if (m.lastHeardAtMs !== null && m.serverRemovedAtMs !== null && m.lastHeardAtMs > m.serverRemovedAtMs)
    return `lastHeardAtMs ${m.lastHeardAtMs} after the removal ${m.serverRemovedAtMs}`;
  // Message counts are trace counts.
  const count = (kind: string): number => events.filter((e) => e.kind === kind).length;
  const kinds: Record<string, string> = { beats: 'beat.recv', registrations: 'instance.register', healthChecks: 'health-check.send', pushes: 'push.send' };
  for (const [name, kind] of Object.entries(kinds))
    if ((m.messages[name] ?? 0) !== count(kind)) return `messages.${name} ${m.messages[name]} ≠ ${count(kind)} ${kind} events in the trace`;
  return null;
};

/** Kinds after which c1 need not come back: its process is gone, its beat thread dead (#5291), or a NAT keeps forgetting flows. */
const LASTING: ReadonlySet<string> = new Set(['crash', 'beat-error', 'nat-idle']);
/** Time the run leaves after the last fault heals before it must have recovered (the 2.x cluster's slowest path, a Distro verify round plus a push, is well inside). */
export const RECOVERY_US = 120_000_000;

/**
 * Recovery: when every fault has healed long enough before the horizon, and none is lasting
 * (c1 crashed, its beat thread died, a lone server crashed), every subscriber lists c1 again at
 * the end. Null when it does, or when the case makes no such promise.
 */
export const recovery = (sc: Scenario, out: RunOutput): string | null => {
  const servers = sc.servers;
  const lasting = sc.faults.some((f) => LASTING.has(f.kind) || (f.kind === 'server-crash' && servers === 1));
  const healedUs = Math.max(...sc.faults.map((f) => (f.kind === 'rst' || f.kind === 'server-crash' ? f.startUs : (f.endUs ?? Number.POSITIVE_INFINITY))));
  if (lasting || healedUs + RECOVERY_US > sc.untilUs) return null;
  for (let i = 1; i <= sc.subscribers; i++) {
    const sub = `sub${i}`;
    const last = out.trace.findLast((e) => e.host === sub && e.kind === 'view.update');
    const listed = String(last?.data?.instances ?? '')
      .split(',')
      .includes('c1');
    if (!listed)
      return `every fault healed by ${healedUs / 1e6} s, but at the horizon ${sub}'s view (${last === undefined ? 'never updated' : `since ${last.t / 1e6} s`}) does not list c1`;
  }
  return null;
};

/** Runs one case three ways (whole trace; followed with quiet stepping, twice) and checks every claim; throws a Violation naming the first that fails. */
export const checkSwarmCase = (c: SwarmCase): void => {
  const sc = swarmScenario(c);
  const fail = (what: string): never => {
    throw new Violation(`${c.model} ${c.faults.join(' ')}: ${what}`, replayLine(sc));
  };
  const attempt = (label: string, run: () => RunOutput): RunOutput => {
    try {
      return run();
    } catch (e) {
      return fail(`${label} threw ${e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e)}`);
    }
  };
  const all = attempt('the run (whole trace, every event in the kernel)', () => runScenario(sc, { trace: 'all', quiet: false }));
  if (all.result.stop.reason === 'event-budget')
    fail(`the run hit the event budget at ${all.result.stop.atMs} ms (${all.result.stop.events} events): a livelock`);
  const quiet = attempt('the quiet run', () => runScenario(sc, { trace: 'followed', quiet: true }));
  const again = attempt('the second quiet run', () => runScenario(sc, { trace: 'followed', quiet: true }));
  const a = JSON.stringify(quiet.result);
  if (a !== JSON.stringify(again.result))
    fail(`not deterministic: the same scenario twice gave trace hashes ${quiet.result.traceHash} and ${again.result.traceHash}`);
  if (a !== JSON.stringify(all.result)) {
    // Which of the two differs: quiet stepping, or keeping only c1's events?
    const stepAll = runScenario(sc, { trace: 'followed', quiet: false });
    if (JSON.stringify(stepAll.result) !== JSON.stringify(all.result))
      fail(`the followed trace changes the result (whole-trace hash ${all.result.traceHash}, followed ${stepAll.result.traceHash})`);
    fail(`quiet ≢ step-all: ${quiet.quietClients} quiet client(s) changed the run (hash ${quiet.result.traceHash}, step-all ${all.result.traceHash})`);
  }
  const problem = metricsVsTrace(sc, all);
  if (problem !== null) fail(`metrics disagree with the trace: ${problem}`);
  const stuck = recovery(sc, all);
  if (stuck !== null) fail(`no recovery: ${stuck}`);
};
