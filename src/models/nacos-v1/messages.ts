import { V1_CONSTANTS } from './defaults.js';

/** The HTTP and UDP bodies of the Nacos 1.x naming API, reduced to what liveness depends on. */
export interface InstanceInfo {
  /** The instance is named after the client host that registered it (c1, c2…). */
  readonly id: string;
  readonly ephemeral: boolean;
}

export type V1Request =
  | { readonly op: 'register'; readonly instance: InstanceInfo }
  /** `PUT /v1/ns/instance/beat`; a light beat carries no body, so the server cannot re-create from it. */
  | {
      readonly op: 'beat';
      readonly id: string;
      readonly light: boolean;
      readonly instance?: InstanceInfo;
      /** The beat JSON names another service than the URL's (an open-API caller, #12161). */
      readonly bodyOtherService?: boolean;
    }
  /** `GET /v1/ns/instance/list` with a udpPort: also (re)registers the caller as a push client. */
  | { readonly op: 'list'; readonly subscriber: string };

export interface BeatResponse {
  readonly code: number;
  readonly clientBeatInterval: number;
  /** Absent on a 20404 reply (the client then falls back to a full beat). */
  readonly lightBeatEnabled?: boolean;
}

export interface HostView {
  readonly id: string;
  readonly healthy: boolean;
}

/** What a list query or a push returns (after the server's protect-threshold processing). */
export interface ServiceInfo {
  readonly hosts: readonly HostView[];
  /** The server's clock when it built the data (µs; Nacos uses ms). */
  readonly lastRefTime: number;
  readonly cacheMillis: number;
}

export interface PushPacket {
  readonly pushId: number;
  readonly data: ServiceInfo;
}

/** An HTTP error status instead of a body (a cluster node's failed proxy, or its refusal of a re-proxied request). */
export interface HttpErrorBody {
  readonly httpStatus: number;
}

/** NamingProxy.callServer throws on a non-200 status: the client tries its next server. */
export const isHttpError = (body: unknown): body is HttpErrorBody => typeof body === 'object' && body !== null && 'httpStatus' in body;

export const OK_CODE = V1_CONSTANTS.okCode;
export const UDP_PUSH = 'udp.push';
export const UDP_ACK = 'udp.push-ack';
