import { pathToFileURL } from 'node:url';
import type { EventFn } from '../src/sim/event-queue.js';
import type { Lane } from '../src/sim/lane.js';
import { Simulation } from '../src/sim/simulation.js';

/**
 * The Nacos 1.x heartbeat model on livesim's kernel, event for event the same as
 * bench/simpy/heartbeat.py (SimPy 3), for the side-by-side comparison in bench/simpy.ts.
 *
 * N clients each beat every `periodUs` (phases spread over the period); a beat is a send event at
 * the client and, `latencyUs` later, a receive event at the server that sets lastBeat. The
 * server sweeps every `periodUs` and marks a healthy client unhealthy when now − lastBeat >
 * `timeoutUs` (Nacos 1.x ClientBeatCheckTask). Every `crashEvery`-th client dies at its first
 * beat at or after `crashAtUs`, so the sweep has marks to count. Like SimPy's processes, every
 * process (server + N clients) starts with one event at t = 0; the kernel runs events strictly
 * before the horizon (SimPy's `env.run(until=H)`), so both sides execute the same events.
 *
 * Callbacks are created once per run and take the client index as the event argument: no
 * closure or object is allocated per event. Events with a constant delay — beats and sweeps
 * (`periodUs`), receives (`latencyUs`), process starts (0) — ride the kernel's FIFO lanes
 * (`Simulation.lane`), which run events in exactly the order `Simulation.schedule` would; only
 * the first beat (a per-client phase) goes through the heap. `{ lanes: false }` schedules
 * everything on the heap instead, for comparison.
 */
export interface HeartbeatParams {
  readonly clients: number;
  readonly horizonUs: number;
  readonly periodUs: number;
  readonly latencyUs: number;
  readonly timeoutUs: number;
  readonly crashEvery: number;
  readonly crashAtUs: number;
}

export interface HeartbeatOutcome {
  /** Kernel events executed. */
  readonly events: number;
  /** Healthy → unhealthy transitions made by the sweeps. */
  readonly marks: number;
  /** Sum of every client's lastBeat (µs) at the end: equal on both sides iff the beats landed alike. */
  readonly checksum: number;
}

export interface HeartbeatTimed extends HeartbeatOutcome {
  readonly seconds: number;
}

export const heartbeatParams = (clients: number, horizonS: number): HeartbeatParams => ({
  clients,
  horizonUs: horizonS * 1_000_000,
  periodUs: 5_000_000,
  latencyUs: 1_000,
  timeoutUs: 15_000_000,
  crashEvery: 10,
  crashAtUs: Math.floor((horizonS * 1_000_000) / 2),
});

/** Same formula as the Python side: phases in [1, period − 1] µs. */
const phaseOf = (p: HeartbeatParams, i: number): number => 1 + Math.floor((i * (p.periodUs - 2)) / p.clients);

/**
 * Builds and runs the model once; `seconds` is the CPU time (user + system) of both, as on the
 * SimPy side: on a shared machine other processes' load stretches wall time, not CPU time.
 */
export const runHeartbeat = (p: HeartbeatParams, { lanes = true }: { readonly lanes?: boolean } = {}): HeartbeatTimed => {
  const t0 = process.cpuUsage();
  const sim = new Simulation(1);
  const n = p.clients;
  const { periodUs, latencyUs, timeoutUs, crashEvery, crashAtUs } = p;
  // Both ways schedule `fn(arg)` after a constant delay; lanes are O(1), the heap O(log n).
  const after = (delayUs: number): Pick<Lane, 'schedule'> =>
    lanes ? sim.lane(delayUs) : { schedule: (fn: EventFn, arg?: unknown) => sim.schedule(delayUs, fn, arg) };
  const afterPeriod = after(periodUs);
  const afterLatency = after(latencyUs);
  const atStart = after(0);
  const last = new Float64Array(n);
  const healthy = new Uint8Array(n).fill(1);
  // Whether client i dies at crashAtUs: decided once per client, as the SimPy process does.
  const crashes = new Uint8Array(n);
  for (let i = 0; crashEvery > 0 && i < n; i += crashEvery) crashes[i] = 1;
  let marks = 0;

  const receive = (arg: unknown): void => {
    const i = arg as number;
    last[i] = sim.now();
    healthy[i] = 1;
  };
  const beat = (arg: unknown): void => {
    const i = arg as number;
    if (crashes[i] === 1 && sim.now() >= crashAtUs) return; // dead: no more events
    afterLatency.schedule(receive, i);
    afterPeriod.schedule(beat, i);
  };
  const startClient = (arg: unknown): void => {
    sim.schedule(phaseOf(p, arg as number), beat, arg);
  };
  const sweep = (): void => {
    // The next sweep is scheduled before the loop: same event, same sequence number as after it
    // (the loop schedules nothing), but V8 then has type feedback for this call when it
    // optimizes the loop mid-run (OSR), instead of deoptimizing at it on every sweep.
    afterPeriod.schedule(sweep);
    const now = sim.now();
    for (let i = 0; i < n; i++) {
      if (healthy[i] === 1 && now - (last[i] as number) > timeoutUs) {
        healthy[i] = 0;
        marks++;
      }
    }
  };
  const startServer = (): void => {
    afterPeriod.schedule(sweep);
  };

  atStart.schedule(startServer);
  for (let i = 0; i < n; i++) atStart.schedule(startClient, i);
  const out = sim.run(p.horizonUs - 1);
  let checksum = 0;
  for (let i = 0; i < n; i++) checksum += last[i] as number;
  const cpu = process.cpuUsage(t0);
  const seconds = (cpu.user + cpu.system) / 1e6;
  return { events: out.events, marks, checksum, seconds };
};

/**
 * The outcome derived in closed form from the model's definition (no simulation), so that the
 * benchmark can check both simulators against a third, independent count.
 */
export const expectedHeartbeat = (p: HeartbeatParams): HeartbeatOutcome => {
  const { periodUs: P, latencyUs: L, timeoutUs: T, crashAtUs: C } = p;
  if (!(P + L < T)) throw new RangeError('expectedHeartbeat assumes period + latency < timeout');
  const end = p.horizonUs - 1; // last instant that runs
  const countUpTo = (first: number): number => (first <= end ? Math.floor((end - first) / P) + 1 : 0);
  const sweeps = Math.floor(end / P);
  let events = p.clients + 1 + sweeps;
  let marks = 0;
  let checksum = 0;
  for (let i = 0; i < p.clients; i++) {
    const ph = phaseOf(p, i);
    let wakeups = countUpTo(ph);
    let receives = countUpTo(ph + L);
    const crashes = p.crashEvery > 0 && i % p.crashEvery === 0;
    if (crashes) {
      const sends = ph < C ? Math.floor((C - ph - 1) / P) + 1 : 0; // wakeups before the crash
      wakeups = Math.min(sends + 1, wakeups); // plus the one that finds the client dead
      receives = Math.min(sends, receives);
    }
    const last = receives > 0 ? ph + (receives - 1) * P + L : 0;
    events += wakeups + receives;
    checksum += last;
    if (crashes && (Math.floor((last + T) / P) + 1) * P <= end) marks++;
  }
  return { events, marks, checksum };
};

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  // `node [--cpu-prof] dist/bench/heartbeat.js [--clients N] [--horizon-s S] [--rounds R] [--heap-only]`
  const argv = process.argv.slice(2);
  const lanes = !argv.includes('--heap-only');
  const flag = (name: string, fallback: number): number => {
    const k = argv.indexOf(`--${name}`);
    return k === -1 ? fallback : Number(argv[k + 1]);
  };
  const p = heartbeatParams(flag('clients', 1_000), flag('horizon-s', 3_600));
  const rounds = flag('rounds', 3);
  const want = expectedHeartbeat(p);
  for (let r = 0; r < rounds; r++) {
    const got = runHeartbeat(p, { lanes });
    const ok = got.events === want.events && got.marks === want.marks && got.checksum === want.checksum;
    process.stdout.write(`${JSON.stringify({ ...got, eventsPerSec: Math.round(got.events / got.seconds), matchesExpected: ok })}\n`);
    if (!ok) process.exitCode = 1;
  }
}
