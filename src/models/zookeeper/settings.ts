import { msToUs } from '../../sim/time.js';
import { type Config, num } from '../knob.js';
import { ZK_CONSTANTS as K, ZK_KEYS as KEY } from './defaults.js';

/** The ZooKeeper model's view of a resolved configuration (ms), with the session timeout negotiated. */
export interface ZkSettings {
  readonly tickMs: number;
  readonly minSessionMs: number;
  readonly maxSessionMs: number;
  /** What the client asks for. */
  readonly requestedSessionMs: number;
  /** processConnectRequest: the request clamped to [min, max]. */
  readonly sessionMs: number;
  /** ClientCnxn after the handshake: readTimeout, the ping deadline and the client-side expiry, from the negotiated timeout. */
  readonly readTimeoutMs: number;
  readonly pingAfterMs: number;
  readonly clientExpiryMs: number;
  readonly tickPhaseUs: number | null;
}

const orAuto = (c: Config, key: string, auto: number): number => (typeof c[key] === 'number' ? (c[key] as number) : auto);

/** Java int arithmetic: `a * n / d` truncated. */
const scaled = (ms: number, n: number, d: number): number => Math.trunc((ms * n) / d);

export const zkSettings = (c: Config): ZkSettings => {
  const tickMs = num(c, KEY.tickTime);
  const minSessionMs = orAuto(c, KEY.minSessionTimeout, tickMs * K.minSessionTicks);
  const maxSessionMs = orAuto(c, KEY.maxSessionTimeout, tickMs * K.maxSessionTicks);
  const requestedSessionMs = num(c, KEY.sessionTimeout);
  const sessionMs = Math.min(maxSessionMs, Math.max(minSessionMs, requestedSessionMs));
  const readTimeoutMs = scaled(sessionMs, K.readTimeoutNumerator, K.readTimeoutDenominator);
  return {
    tickMs,
    minSessionMs,
    maxSessionMs,
    requestedSessionMs,
    sessionMs,
    readTimeoutMs,
    pingAfterMs: Math.trunc(readTimeoutMs / K.pingDivisor),
    clientExpiryMs: scaled(sessionMs, K.expirationNumerator, K.expirationDenominator),
    tickPhaseUs: typeof c[KEY.tickPhase] === 'number' ? msToUs(c[KEY.tickPhase] as number) : null,
  };
};
