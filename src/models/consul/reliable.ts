import type { Endpoint } from '../../sim/endpoint.js';
import { rtoMs, TCP_DEFAULTS } from '../../sim/tcp-defaults.js';
import { msToUs } from '../../sim/time.js';

/**
 * One segment of an established TCP connection (Consul's RPCs and HTTP requests): a datagram the
 * network loses is sent again after the retransmission timeout, doubling from the 200 ms floor,
 * up to tcp_retries2 times, while `stillWanted()`. Unlike src/sim/http.ts it does not stop with
 * the host's process: the Consul agent is a process of its own and outlives the application's.
 */
export const sendReliably = (ep: Endpoint, to: string, kind: string, body: unknown, stillWanted: () => boolean = () => true, k = 0): void => {
  if (ep.send(to, kind, body) !== 'dropped' || k >= TCP_DEFAULTS.retries2) return;
  ep.host.sim.schedule(msToUs(rtoMs(k)), () => {
    if (stillWanted()) sendReliably(ep, to, kind, body, stillWanted, k + 1);
  });
};
