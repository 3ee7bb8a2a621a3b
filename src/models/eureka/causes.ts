import type { Cause } from '../../diagnose/cause.js';
import type { ScenarioFile } from '../../scenario/scenario.js';
import { EUREKA_KEYS as KEY } from './defaults.js';

const withSet = (s: ScenarioFile, set: Record<string, string>): ScenarioFile => ({ ...s, set: { ...(s.set ?? {}), ...set } });

/**
 * Eureka's known causes for `livesim diagnose` (the model's `analysis.causes`). Self-preservation
 * first: at small fleets it keeps every lease, dead or alive.
 */
export const EUREKA_CAUSES: readonly Cause[] = [
  {
    id: 'eu-self-preservation',
    model: 'eureka',
    title: 'Self-preservation: too few renewals a minute for any lease to expire',
    explanation:
      'The server evicts only while the renewals of the last minute exceed (int)(expected clients × 2 × 0.85). Spring Cloud opens with one expected client more than there are, so a small fleet never gets there; once a few instances fall silent, none of them is evicted.',
    source:
      'Netflix/eureka v2.0.6 PeerAwareInstanceRegistryImpl.isLeaseExpirationEnabled, AbstractInstanceRegistry.updateRenewsPerMinThreshold; spring-cloud-netflix v5.0.2 InstanceRegistryProperties.defaultOpenForTrafficCount',
    symptoms: ['never-removed', 'consumers-still-call'],
    presentIn: (u) => String(u.set?.[KEY.selfPreservation] ?? 'true') !== 'false',
    scenario: (u) => u,
    remedy: {
      change: `--set ${KEY.selfPreservation}=false (or run more instances, or lower ${KEY.renewalPercent})`,
      apply: (s) => withSet(s, { [KEY.selfPreservation]: 'false' }),
    },
  },
];
