import { CapacityObserver } from '../../analysis/capacity-metrics.js';
import { CAPACITY_KEY } from '../../models/capacity.js';
import { parseDuration } from '../../scenario/duration.js';
import { replayCommand } from '../../scenario/replay.js';
import { resolveScenario, runScenario } from '../../scenario/run.js';
import { type CapacityPlan, type RunSpec, readCapacityPlan } from './plan.js';

/**
 * One run of the capacity pipeline, in its own process (memory goes back after each):
 * `node dist/src/results/capacity/run.js PLAN.json '{"kind":…}'` prints the run's JSON. The
 * capacity metrics (src/analysis/capacity-metrics.ts) see every event as it happens; the run
 * keeps only c1's trace.
 */
export const capacityRun = (plan: CapacityPlan, spec: RunSpec): Record<string, unknown> => {
  const steady = spec.kind === 'steady';
  const { clients } = spec;
  const rack = Math.max(1, Math.floor((clients * plan.burst.rackPercent) / 100));
  const input = {
    model: spec.model,
    seed: plan.seed,
    clients,
    subscribers: steady ? plan.steady.subscribers : plan.burst.subscribers,
    until: steady ? plan.steady.until : plan.burst.until,
    set: { [CAPACITY_KEY]: spec.capacity, 'sim.clientStartSpread': plan.ramp },
    faults: steady ? [`cut@${plan.steady.cutAt}`] : [`rack-cut:c1..c${rack}@${plan.burst.at}-${plan.burst.heal}`],
  };
  const sc = resolveScenario(input);
  const fromUs = steady ? parseDuration(plan.steady.loadFrom, 'load from') : 0;
  const observer = new CapacityObserver({ faults: sc.faults, fromUs, untilUs: sc.untilUs });
  // False expiries count over the whole run: a second observer without the load window.
  const whole = new CapacityObserver({ faults: sc.faults, fromUs: 0, untilUs: sc.untilUs });
  const started = process.hrtime.bigint();
  const { result } = runScenario(sc, {
    trace: 'followed',
    onEvent: (e) => {
      observer.observe(e);
      whole.observe(e);
    },
  });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const load = observer.result();
  const { perSecond, loadPerSec: _l, fromMs: _f, untilMs: _u, ...expiry } = whole.result();
  return {
    kind: spec.kind,
    model: spec.model,
    clients,
    capacity: spec.capacity,
    subscribers: input.subscribers,
    faults: result.faults,
    rack: steady ? null : rack,
    loadFromMs: load.fromMs,
    untilMs: load.untilMs,
    loadPerSec: load.loadPerSec,
    ...expiry,
    perSecond: steady ? null : perSecond,
    c1: result.metrics,
    events: result.stop.events,
    wallS: Math.round(wallS * 10) / 10,
    traceHash: result.traceHash,
    replay: replayCommand(sc),
  };
};

const [planPath, specText] = process.argv.slice(2);
if (planPath !== undefined && specText !== undefined) {
  process.stdout.write(`${JSON.stringify(capacityRun(readCapacityPlan(planPath), JSON.parse(specText) as RunSpec))}\n`);
}
