import type { Cause } from '../../diagnose/cause.js';
import type { ScenarioFile } from '../../scenario/scenario.js';
import { CONSUL_KEYS as KEY } from './defaults.js';

const withSet = (s: ScenarioFile, set: Record<string, string>): ScenarioFile => ({ ...s, set: { ...(s.set ?? {}), ...set } });
const unset = (s: ScenarioFile): boolean => {
  const v = String(s.set?.[KEY.deregisterAfter] ?? '0');
  return v === '0' || v === '0s' || v === '0ms';
};
/** The application dies while its agent lives: the case deregistration is for. */
const crashed = (s: ScenarioFile): ScenarioFile => ({ ...s, faults: ['crash@60s'] });

/**
 * Consul's known causes for `livesim diagnose` (the model's `analysis.causes`). Consul marks a
 * failed instance critical and keeps it in the catalog: "never removed" is its default.
 */
export const CONSUL_CAUSES: readonly Cause[] = [
  {
    id: 'consul-no-deregister',
    model: 'consul',
    title: 'deregister_critical_service_after is not set: a critical service stays in the catalog',
    explanation:
      'Consul never deregisters a service on its own: health?passing stops returning it once its check is critical, but the catalog keeps it until its agent deregisters it, which the agent does only with deregister_critical_service_after set (at least 1 min, checked every 30 s). The agent itself reaps: a node cut off from the cluster or dead keeps its services (serfHealth critical) until Serf reaps the node after reconnect_timeout.',
    source:
      'hashicorp/consul agent/agent.go addCheck (DeregisterCriticalServiceAfter, CheckDeregisterIntervalMin), reapServicesInternal; agent/config/default.go NonUserSource check_reap_interval',
    symptoms: ['never-removed'],
    presentIn: unset,
    scenario: crashed,
    remedy: {
      change: `--set ${KEY.deregisterAfter}=1m (the application path only: a failed node's services stay critical)`,
      apply: (s) => withSet(s, { [KEY.deregisterAfter]: '1m' }),
    },
  },
];
