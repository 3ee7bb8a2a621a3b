import type { TuneSpace } from '../../tune/spaces.js';
import { ETCD_KEYS as KEY } from './defaults.js';

/**
 * `livesim tune --model etcd`: the session TTL is the one setting of a single member's lease
 * liveness (the election timeout only sets the minimum TTL, 2 s at the defaults, and matters on a
 * leader change, which one member does not have). The grid holds concurrency's default, 60 s.
 */
export const ETCD_TUNE_SPACE: TuneSpace = {
  model: 'etcd',
  defaultFault: 'cut',
  detections: ['server', 'subscriber', 'client'],
  tunables: [
    {
      key: KEY.leaseTtl,
      label: 'ttl',
      grid: ['5', '10', '30', '60'],
      trades: 'a dead lease is revoked sooner (TTL + up to 500 ms after its last keepalive) vs keepalives every TTL/3 and less slack for a slow network',
    },
  ],
};
