import { z } from 'zod';
import { CAPACITY_KEY, CAPACITY_PROFILES } from '../../models/capacity.js';
import { parseDuration } from '../../scenario/duration.js';
import { readPlan } from '../common/plan-file.js';

/**
 * results/capacity/plan.json: the runs of the capacity pipeline — the client counts of the steady
 * runs and the size of the push-burst runs, with the scenario of each (ramp, cut, horizons). The
 * capacity profiles are the model's own names (CAPACITY_PROFILES).
 */
const duration = z.string().refine((s) => {
  try {
    parseDuration(s, 'duration');
    return /[a-z]$/.test(s);
  } catch {
    return false;
  }
}, 'expected a duration with its unit, e.g. 90s, 3m');
/** livesim runs at most 100,000 clients. */
const clients = z.number().int().min(1).max(100_000);
const profile = z.enum(CAPACITY_PROFILES);

export const CapacityPlanSchema = z.strictObject({
  description: z.string().optional(),
  seed: z.number().int().min(1),
  /** Clients come up over this (`sim.clientStartSpread`). */
  ramp: duration,
  steady: z.strictObject({
    clients: z.array(clients).min(1),
    capacity: profile,
    subscribers: z.number().int().min(1),
    /** c1 is cut here, so that its detection under load is measured too. */
    cutAt: duration,
    /** The load is counted from here (after the ramp) to the end; false expiries over the whole run. */
    loadFrom: duration,
    until: duration,
  }),
  burst: z.strictObject({
    clients: clients.min(5),
    capacities: z.array(profile).min(1),
    subscribers: z.number().int().min(1),
    /** The first rackPercent % of the clients (at least one) are cut at `at` and healed at `heal`. */
    rackPercent: z.number().int().min(1).max(100),
    at: duration,
    heal: duration,
    until: duration,
  }),
  /** Heap of each run's process (MB): a 100,000-client run needs several GB. */
  maxOldSpaceMb: z.number().int().min(512),
});
export type CapacityPlan = z.infer<typeof CapacityPlanSchema>;

export const readCapacityPlan = (path: string): CapacityPlan => readPlan(path, CapacityPlanSchema);

export const MODELS = ['nacos-v1', 'nacos-v2'] as const;
export type CapacityModel = (typeof MODELS)[number];

/** One run of the pipeline: what the run process is given (as JSON on its command line). */
export interface RunSpec {
  readonly kind: 'steady' | 'burst';
  readonly model: CapacityModel;
  readonly clients: number;
  readonly capacity: (typeof CAPACITY_PROFILES)[number];
}

export const runName = (r: RunSpec): string => `${r.kind}-${r.model}-${r.clients}-${r.capacity}`;

/** Every run of a plan, in the order they start. */
export const planRuns = (plan: CapacityPlan): RunSpec[] => {
  const out: RunSpec[] = [];
  for (const n of plan.steady.clients) for (const model of MODELS) out.push({ kind: 'steady', model, clients: n, capacity: plan.steady.capacity });
  for (const model of MODELS) for (const capacity of plan.burst.capacities) out.push({ kind: 'burst', model, clients: plan.burst.clients, capacity });
  return out;
};

export { CAPACITY_KEY };
