import type { TuneSpace } from '../../tune/spaces.js';
import { EUREKA_KEYS as KEY } from './defaults.js';

/**
 * `livesim tune --model eureka`: the settings operators shorten (Spring Cloud's "faster eviction"
 * recipe), each grid holding Eureka's default. Self-preservation is a row because at small fleets
 * it decides whether a dead instance is evicted at all.
 */
export const EUREKA_TUNE_SPACE: TuneSpace = {
  model: 'eureka',
  defaultFault: 'cut',
  detections: ['server', 'subscriber'],
  tunables: [
    {
      key: KEY.renewalInterval,
      label: 'renewal',
      grid: ['5', '10', '30'],
      trades: 'renewals per second at the server vs how fresh the last renewal is when the fault starts',
    },
    {
      key: KEY.leaseDuration,
      label: 'lease',
      // Every value outlasts the longest renewal cycle of the grid (30 s + 4 legs): a shorter lease
      // lapses between renewals and the instance is evicted and registers again while alive.
      grid: ['45', '60', '90'],
      trades: 'a dead lease expires sooner (after 2 × this) vs expiring a live one whose renewals were late or lost',
    },
    {
      key: KEY.evictionInterval,
      label: 'eviction',
      grid: ['5s', '15s', '60s'],
      trades: 'the eviction task acts sooner after expiry vs scanning the registry more often',
    },
    {
      key: KEY.selfPreservation,
      label: 'self-pres',
      grid: ['true', 'false'],
      trades: 'off: dead instances are evicted even when many renewals stop at once (a partition empties the registry)',
    },
  ],
};
