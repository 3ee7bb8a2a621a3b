import { msToUs } from '../../sim/time.js';
import { bool, type Config, num } from '../knob.js';
import { atLeast, type Version } from '../version.js';
import { V1_KEYS as KEY, V1_KNOBS } from './defaults.js';

/** The v1 model's view of a resolved configuration, with units and version behaviour settled. */
export interface V1Settings {
  readonly beatIntervalMs: number;
  readonly beatTimeoutMs: number;
  readonly deleteTimeoutMs: number;
  readonly ephemeral: boolean;
  readonly expireInstance: boolean;
  readonly healthCheckEnabled: boolean;
  readonly lightBeatEnabled: boolean;
  readonly clientBeatIntervalMs: number;
  /** What the beat reply tells the client: the instance's own interval if its metadata sets one. */
  readonly replyBeatIntervalMs: number;
  readonly protectThreshold: number;
  readonly pushEmptyProtection: boolean;
  readonly pushEnabled: boolean;
  readonly pushCacheMillis: number;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  /** null: the service is created by c1's registration. */
  readonly checkPhaseUs: number | null;
  /** 1.4.2+ (#5291): the beat loop reschedules in `finally`, so a runtime exception does not kill it. */
  readonly beatLoopSurvivesErrors: boolean;
  /** 1.2.0+: light beats and the client's re-register on 20404. */
  readonly reRegistersOnNotFound: boolean;
  /** NamingProxy.reqApi with a single server: maxRetry tries back to back. */
  readonly singleServerTries: number;
}

const defaultOf = (key: string): unknown => V1_KNOBS.find((k) => k.key === key)?.default;

export const v1Settings = (c: Config, client: Version): V1Settings => {
  const beatIntervalMs = num(c, KEY.beatInterval);
  const metadataSetsInterval = beatIntervalMs !== defaultOf(KEY.beatInterval);
  const phase = c[KEY.checkPhase];
  return {
    beatIntervalMs,
    beatTimeoutMs: num(c, KEY.beatTimeout),
    deleteTimeoutMs: num(c, KEY.deleteTimeout),
    ephemeral: bool(c, KEY.ephemeral),
    expireInstance: bool(c, KEY.expireInstance),
    healthCheckEnabled: bool(c, KEY.healthCheckEnabled),
    lightBeatEnabled: bool(c, KEY.lightBeatEnabled),
    clientBeatIntervalMs: num(c, KEY.clientBeatInterval),
    replyBeatIntervalMs: metadataSetsInterval ? beatIntervalMs : num(c, KEY.clientBeatInterval),
    protectThreshold: num(c, KEY.protectThreshold),
    pushEmptyProtection: bool(c, KEY.pushEmptyProtection),
    pushEnabled: bool(c, KEY.pushEnabled),
    pushCacheMillis: num(c, KEY.pushCacheMillis),
    connectTimeoutMs: num(c, KEY.connectTimeout),
    readTimeoutMs: num(c, KEY.readTimeout),
    checkPhaseUs: typeof phase === 'number' ? msToUs(phase) : null,
    beatLoopSurvivesErrors: atLeast(client, '1.4.2'),
    reRegistersOnNotFound: atLeast(client, '1.2.0'),
    singleServerTries: num(c, KEY.maxRetry),
  };
};
