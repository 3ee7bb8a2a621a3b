import { EUREKA_CONSTANTS as K } from './defaults.js';

/** The Eureka REST calls liveness depends on (eureka-core/.../resources), reduced to their fields. */
export type EurekaRequest =
  /** POST apps/APP: the instance with its lease info (durationInSecs). */
  | { readonly op: 'register'; readonly id: string; readonly leaseDurationMs: number }
  /** PUT apps/APP/ID: a heartbeat. */
  | { readonly op: 'renew'; readonly id: string }
  /** GET apps/ (or apps/delta): the registry as the response cache holds it. */
  | { readonly op: 'fetch'; readonly subscriber: string };

export interface EurekaResponse {
  readonly status: number;
  /** fetch: the UP instances of the service, in registry order (the consumer filters only UP ones). */
  readonly instances?: readonly string[];
}

export const OK = K.okStatus;
export const NO_CONTENT = K.noContentStatus;
export const NOT_FOUND = K.notFoundStatus;
export const FORBIDDEN = K.forbiddenStatus;
