import { V1_CONSTANTS as K } from '../models/nacos-v1/defaults.js';
import { v1Settings } from '../models/nacos-v1/settings.js';
import { atLeast } from '../models/version.js';
import { type BoundsInput, v1Bounds } from './bounds.js';
import type { Mechanism, RemovalMechanisms } from './mechanisms.js';

const secs = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

/**
 * Nacos 1.x has one liveness path per instance kind (bounds.ts): an ephemeral instance is marked
 * unhealthy and then deleted by the beat check; a persistent one is only ever marked unhealthy,
 * by the server's TCP health check, and deleted by nothing but an explicit deregister.
 */
export const v1Mechanisms = (input: BoundsInput): RemovalMechanisms => {
  const b = v1Bounds(input);
  const s = v1Settings(input.config, input.clientVersion);
  const win = (e: typeof b.removedFromFault) => (e.kind === 'within' ? e.interval : null);
  const why = (e: typeof b.removedFromFault) => (e.kind === 'within' ? null : e.why);
  // A 2.x/3.x server's v1 path checks the ip:port client (bounds-v1-on-v2.ts): its windows, its source.
  const onV2 = input.serverVersion !== undefined && atLeast(input.serverVersion, '2.0.0');
  const beat = onV2
    ? 'naming/.../healthcheck/heartbeat/ClientBeatCheckTaskV2 and core/v2/client/manager/impl/EphemeralIpPortClientManager.ExpiredClientCleaner (2.2.3; bounds-v1-on-v2.ts)'
    : 'naming/.../healthcheck/ClientBeatCheckTask (1.4.8)';
  const mechanisms: Mechanism[] = s.ephemeral
    ? [
        {
          id: 'beat-unhealthy',
          name: `the beat check marks it unhealthy (no beat for preserved.heart.beat.timeout ${secs(s.beatTimeoutMs)}, checked every ${secs(K.beatCheckPeriodMs)})`,
          source: beat,
          window: win(b.unhealthyFromFault),
          note: why(b.unhealthyFromFault),
          marksOnly: true,
        },
        {
          id: 'beat-expiry',
          name: `the beat check deletes it (no beat for preserved.ip.delete.timeout ${secs(s.deleteTimeoutMs)})`,
          source: beat,
          window: win(b.removedFromFault),
          note: why(b.removedFromFault),
        },
      ]
    : [
        {
          id: 'tcp-health-check',
          name: `the server's TCP health check marks it unhealthy (${K.tcpCheckTimes} failed connects; never deletes it)`,
          source: 'naming/.../healthcheck/HealthCheckTask, TcpSuperSenseProcessor (1.4.8)',
          window: null,
          note: 'persistent instance (ephemeral=false): marked unhealthy, no analytic window (the check interval is randomized); deleted by nothing but an explicit deregister',
          marksOnly: true,
        },
        {
          id: 'beat-expiry',
          name: 'the beat check',
          source: beat,
          window: null,
          note: 'persistent instances send no beats: ClientBeatCheckTask only iterates ephemeral ones',
        },
      ];
  return { removal: b.removedFromFault, mechanisms };
};
