/**
 * The gRPC payloads of the Nacos 2.x naming API, reduced to what liveness depends on. One
 * service: every client registers its instance in it, every subscriber subscribes to it.
 */
export interface InstanceInfo {
  /** The instance is named after the client host that registered it (c1, c2…). */
  readonly id: string;
}

/** Client → server unary requests (RequestGrpc.request). */
export type ClientRequest =
  | { readonly type: 'serverCheck' }
  | { readonly type: 'healthCheck' }
  | { readonly type: 'register'; readonly instance: InstanceInfo }
  | { readonly type: 'deregister'; readonly instance: InstanceInfo }
  | { readonly type: 'subscribe' }
  | { readonly type: 'query' };

/** Client → server on the bi-stream, no answer: ConnectionSetupRequest. */
export interface SetupMessage {
  readonly type: 'setup';
  readonly client: string;
  /** 2.3+ clients send their ability table. */
  readonly abilities: boolean;
}

/** Server → client requests on the bi-stream (answered by the client). */
export type ServerRequest =
  | { readonly type: 'notify'; readonly serviceInfo: ServiceInfo }
  | { readonly type: 'clientDetection' }
  | { readonly type: 'connectReset' };

/** Server → client, no answer: SetupAckRequest (2.3+ servers, to 2.3+ clients). */
export interface SetupAck {
  readonly type: 'setupAck';
}

export interface Response {
  readonly code: number;
  /** ServerCheckResponse: the transport's connection id and whether the server negotiates abilities. */
  readonly connectionId?: number;
  readonly abilities?: boolean;
  /** SubscribeServiceResponse / QueryServiceResponse. */
  readonly serviceInfo?: ServiceInfo;
}

export interface HostView {
  readonly id: string;
  readonly healthy: boolean;
}

/** What a subscribe, a query or a push carries (after the server's protect-threshold processing). */
export interface ServiceInfo {
  readonly hosts: readonly HostView[];
  /** The server's clock when it built the data (µs; Nacos uses ms). */
  readonly lastRefTime: number;
  readonly cacheMillis: number;
}
