import { bool, type Config, num } from '../../knob.js';
import { atLeast, type Version } from '../../version.js';
import { V1_ON_V2_KEYS as KEY } from './defaults.js';

/** How a 2.x/3.x server's v1 HTTP path behaves at a release (v2-path/defaults.ts, version notes). */
export interface V1OnV2Settings {
  /** 2.0.3+: nacos.naming.client.expired.time; null before (the cleaner has no such clause). */
  readonly clientExpiredMs: number | null;
  /** 2.0.2+: the beat check honours healthCheckEnabled (2.0.0/2.0.1 schedule the bare task). */
  readonly switchGatesCheck: boolean;
  /** 3.x: the v1 open API is served (nacos.core.api.compatibility.client.enabled); always on 2.x. */
  readonly clientApiEnabled: boolean;
}

/** null for a 1.x server: the v1 model's own server (server.ts). */
export const v1OnV2Settings = (c: Config, server: Version): V1OnV2Settings | null => {
  if (!atLeast(server, '2.0.0')) return null;
  return {
    clientExpiredMs: atLeast(server, '2.0.3') ? num(c, KEY.clientExpiredTime) : null,
    switchGatesCheck: atLeast(server, '2.0.2'),
    clientApiEnabled: !atLeast(server, '3.0.0') || bool(c, KEY.clientApiCompatibility),
  };
};
