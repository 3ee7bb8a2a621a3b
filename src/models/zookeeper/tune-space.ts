import type { TuneSpace } from '../../tune/spaces.js';
import { ZK_KEYS as KEY } from './defaults.js';

/**
 * `livesim tune --model zookeeper`: what a ZooKeeper deployment tunes for liveness, each grid
 * holding the default. The session timeout the client asks for (Curator's 60 s) decides when an
 * ephemeral znode goes; the server clamps it to [2, 20] × tickTime, so every grid value here is
 * legal at every tickTime of the grid (2 s: [4 s, 40 s], a 60 s request clamped to 40 s; 3 s:
 * [6 s, 60 s]); tickTime also sets the expiry buckets' width.
 */
export const ZK_TUNE_SPACE: TuneSpace = {
  model: 'zookeeper',
  defaultFault: 'cut',
  detections: ['server', 'subscriber'],
  tunables: [
    {
      key: KEY.sessionTimeout,
      label: 'session',
      grid: ['6s', '10s', '20s', '40s', '60s'],
      trades:
        'an ephemeral znode of a dead client goes sooner vs expiring a live session whose pings were late or lost (the client pings after 1/3 and reads with 2/3 of it)',
    },
    {
      key: KEY.tickTime,
      label: 'tickTime',
      grid: ['2s', '3s'],
      trades: 'narrower expiry buckets (expiry nearer the timeout) and a lower minimum session vs more frequent session-tracker passes',
    },
  ],
};
