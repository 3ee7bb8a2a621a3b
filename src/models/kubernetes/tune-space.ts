import type { TuneSpace } from '../../tune/spaces.js';
import { K8S_KEYS as KEY } from './defaults.js';

/**
 * `livesim tune --model kubernetes`: what operators shorten for faster failover (the node lease,
 * the controller's grace and monitor period, the readiness probe), each grid holding the default.
 */
export const K8S_TUNE_SPACE: TuneSpace = {
  model: 'kubernetes',
  defaultFault: 'cut',
  detections: ['server', 'subscriber'],
  tunables: [
    {
      key: KEY.leaseDuration,
      label: 'lease',
      grid: ['20', '40'],
      trades: 'renewals twice as often (every lease / 4) vs the API server load of every node’s Lease update',
    },
    {
      key: KEY.monitorGrace,
      label: 'grace',
      // Every value outlasts the longest renewal gap of the grid (10.4 s + legs + one monitor period).
      grid: ['20s', '30s', 'auto'], // auto: the release's default (40 s, 50 s from v1.32.0), so the defaults are a point of the search
      trades: 'a dead node is marked NotReady sooner vs marking a live one whose renewals were late (API server or etcd hiccups)',
    },
    {
      key: KEY.monitorPeriod,
      label: 'monitor',
      grid: ['2s', '5s'],
      trades: 'the controller notices the lapse sooner vs listing every node more often',
    },
  ],
};
