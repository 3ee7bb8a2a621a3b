import type { TraceEvent } from '../sim/trace.js';

/**
 * Why the server removed an instance, in words an operator can act on: the `reason` the model
 * recorded with `instance.remove`, named with the mechanism and the setting that bounds it.
 */
const CAUSES: Readonly<Record<string, string>> = {
  'transport-retransmit-timeout': "the server's kernel gave up retransmitting unacknowledged data (net.ipv4.tcp_retries2)",
  'transport-keepalive-timeout': "the server's SO_KEEPALIVE probes went unanswered (net.ipv4.tcp_keepalive_time/_intvl/_probes)",
  'transport-ping-timeout': 'the gRPC server keep-alive PING went unanswered (nacos.remote.server.grpc.sdk.keep-alive-time/-timeout)',
  'transport-fin': 'a FIN reached the server (the client closed its connection, or a proxy in front closed its leg)',
  'transport-reset': 'a reset reached the server',
  ejected: "the ejector's probe of the idle connection went unanswered",
  deregister: 'the client deregistered it',
  expired: 'no beat was heard for preserved.ip.delete.timeout',
  'client-expired': 'its ip:port client was not updated for nacos.naming.client.expired.time (a 2.0.3+ server)',
  'distro-sync': 'a cluster peer synced its removal',
};

/** The cause of the first removal of `instance` at or after `fromUs`, or null if there is none (or the model gave no reason). */
export const removalCause = (trace: readonly TraceEvent[], instance: string, fromUs = 0): string | null => {
  const e = trace.find((x) => x.kind === 'instance.remove' && x.data?.instance === instance && x.t >= fromUs);
  const reason = e?.data?.reason;
  if (typeof reason !== 'string') return null;
  return CAUSES[reason] ?? reason;
};
