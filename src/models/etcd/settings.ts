import { msToUs } from '../../sim/time.js';
import { type Config, num } from '../knob.js';
import { ETCD_CONSTANTS as K, ETCD_KEYS as KEY } from './defaults.js';

/** The etcd model's view of a resolved configuration (ms), with the granted TTL worked out as the server does. */
export interface EtcdSettings {
  /** What the session asks for (s). */
  readonly requestedTtlS: number;
  /** lessor.Grant: the request raised to the minimum TTL (s). */
  readonly ttlS: number;
  readonly ttlMs: number;
  readonly heartbeatMs: number;
  readonly electionMs: number;
  /** electionTicks = ElectionMs / TickMs (integer division, embed.Config.ElectionTicks). */
  readonly electionTicks: number;
  /** ServerConfig.ElectionTimeout = electionTicks × TickMs: what Promote extends every lease by. */
  readonly electionTimeoutMs: number;
  readonly minTtlS: number;
  /** recvKeepAlive: TTL / 3 as a time.Duration (integer ns), here in whole µs. */
  readonly keepAliveAfterUs: number;
  /** revokeExpiredLeases: leases revoked per 500 ms pass at most. */
  readonly revokeLimit: number;
  /** null: drawn from the run seed. */
  readonly lessorPhaseUs: number | null;
}

/** server.go: ((3 × electionTicks) / 2) heartbeat ticks, as seconds rounded up (math.Ceil(minTTL.Seconds())). */
export const minLeaseTtlS = (heartbeatMs: number, electionTicks: number): number =>
  Math.ceil((Math.trunc((K.minTtlNumerator * electionTicks) / K.minTtlDenominator) * heartbeatMs) / K.secondMs);

export const etcdSettings = (c: Config): EtcdSettings => {
  const requestedTtlS = num(c, KEY.leaseTtl);
  const heartbeatMs = num(c, KEY.heartbeatInterval);
  const electionMs = num(c, KEY.electionTimeout);
  const electionTicks = Math.trunc(electionMs / heartbeatMs);
  const minTtlS = minLeaseTtlS(heartbeatMs, electionTicks);
  const ttlS = Math.max(requestedTtlS, minTtlS);
  return {
    requestedTtlS,
    ttlS,
    ttlMs: ttlS * K.secondMs,
    heartbeatMs,
    electionMs,
    electionTicks,
    electionTimeoutMs: electionTicks * heartbeatMs,
    minTtlS,
    keepAliveAfterUs: Math.trunc(msToUs(ttlS * K.secondMs) / K.keepAliveDivisor),
    revokeLimit: Math.trunc(K.revokeRatePerSecond / K.revokeLimitDivisor),
    lessorPhaseUs: typeof c[KEY.lessorPhase] === 'number' ? msToUs(c[KEY.lessorPhase] as number) : null,
  };
};
