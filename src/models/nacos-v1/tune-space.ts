import type { TuneSpace } from '../../tune/spaces.js';
import { V1_KEYS } from './defaults.js';

/**
 * `livesim tune`: the search space of this model. A row is one tunable: its Nacos
 * key (as in the model's table of defaults), the grid searched by default (the Nacos default is
 * always on it, so the defaults are a point of the search and can be compared), what the setting
 * trades, and the releases where it has an effect (outside them the model uses a hard-coded value,
 * so searching it would only repeat runs). `--space KEY=SPEC` replaces a row's grid; `--set KEY=V`
 * takes a row out of the search.
 */
export const nacosV1TuneSpace: TuneSpace = {
  model: 'nacos-v1',
  // A blackholing cut: the beats stop and the server expires the instance (shared/reference §A).
  defaultFault: 'cut',
  // 1.x clients send beats and never judge the server: no client-side detection.
  detections: ['server', 'subscriber'],
  tunables: [
    {
      key: V1_KEYS.beatInterval,
      label: 'beat.interval',
      grid: ['1s', '2s', '5s', '10s'],
      trades: 'beats per second at the server vs how fresh the last beat is when the fault starts',
    },
    {
      key: V1_KEYS.beatTimeout,
      label: 'beat.timeout',
      grid: ['5s', '10s', '15s', '30s'],
      trades: 'marks the instance unhealthy (subscribers stop using it) sooner vs false unhealthy marks and their pushes',
    },
    {
      key: V1_KEYS.deleteTimeout,
      label: 'delete.timeout',
      grid: ['5s', '10s', '15s', '20s', '30s', '45s', '60s'],
      trades: 'removes a dead instance sooner vs removing a live one whose beats were lost or late',
    },
  ],
};
