import type { TuneSpace } from '../../tune/spaces.js';
import { CONSUL_KEYS as KEY } from './defaults.js';

/**
 * `livesim tune --model consul`: the gossip settings operators shorten for faster node-failure
 * detection (Consul's gossip_lan block), each grid holding Consul's default. Detection is the
 * consumers' (health?passing drops the node): with deregister_critical_service_after unset the
 * catalog never removes a failed node.
 */
export const CONSUL_TUNE_SPACE: TuneSpace = {
  model: 'consul',
  defaultFault: 'cut',
  detections: ['subscriber'],
  tunables: [
    {
      key: KEY.probeInterval,
      label: 'probe',
      grid: ['500ms', '1s', '2s'],
      trades: 'probes per second per member vs how soon a dead member is probed and suspected',
    },
    {
      key: KEY.suspicionMult,
      label: 'susp',
      grid: ['2', '4', '6'],
      trades: 'a shorter suspicion declares the dead sooner vs declaring a slow or briefly cut member dead',
    },
  ],
};
