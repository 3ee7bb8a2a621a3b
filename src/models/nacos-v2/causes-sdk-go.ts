import { type Cause, setting, withFaults, withSet } from '../../diagnose/cause.js';
import type { ScenarioFile } from '../../scenario/scenario.js';
import { CUT } from '../nacos-v1/causes.js';
import { SDK_KEYS } from '../sdk/defaults.js';

/**
 * Causes that live in nacos-sdk-go v2 (`--client-sdk go`, `--consumer-sdk go`), each from its
 * source (src/models/sdk/defaults.ts has the constants with file and tag).
 */
const goConsumer = (u: ScenarioFile): boolean => u.consumerSdk === 'go' || setting(u, SDK_KEYS.consumerSdk) === 'go';
const keepsEmpty = (u: ScenarioFile): boolean => setting(u, SDK_KEYS.goUpdateCacheWhenEmpty) !== 'true' && setting(u, 'UpdateCacheWhenEmpty') !== 'true';

export const GO_SDK_CAUSES: readonly Cause[] = [
  {
    id: 'go-consumer-keeps-last-instance',
    model: 'nacos-v2',
    title: 'Go consumers never drop the last instance of a service: UpdateCacheWhenEmpty is false by default',
    explanation:
      "nacos-sdk-go's ServiceInfoHolder.ProcessService returns before storing a list with no hosts unless ClientConfig.UpdateCacheWhenEmpty is true (its zero value is false, NewClientConfig does not set it). When the server removes the only instance, the push with the empty list is dropped and the consumer keeps routing to the dead address for as long as it runs. The Java client updates to the empty list by default (namingPushEmptyProtection=false). Here: your providers, Go consumers, cut at 60 s.",
    source:
      'nacos-sdk-go v2.3.5 clients/naming_client/naming_cache/service_info_holder.go ProcessService ("instance list is empty, updateCacheWhenEmpty is set to false, callback is not triggered"); common/constant/config.go ClientConfig.UpdateCacheWhenEmpty',
    symptoms: ['consumers-still-call'],
    presentIn: (u) => goConsumer(u) && keepsEmpty(u),
    scenario: (u) => withFaults(goConsumer(u) ? u : { ...u, consumerSdk: 'go' }, u.faults ?? [CUT]),
    remedy: {
      change:
        "set UpdateCacheWhenEmpty: true in the Go consumers' ClientConfig (constant.WithUpdateCacheWhenEmpty(true)): the empty push is then stored and the instance leaves their view",
      apply: (s) => withSet(s, { [SDK_KEYS.goUpdateCacheWhenEmpty]: true }),
    },
  },
];
