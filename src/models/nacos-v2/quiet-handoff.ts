import type { Endpoint } from '../../sim/endpoint.js';
import { latencyEnvelope } from '../../sim/latency.js';
import type { RandomStream } from '../../sim/random.js';
import { msToUs } from '../../sim/time.js';
import { V2_CONSTANTS as K } from './defaults.js';
import { V2QuietClient } from './quiet-client.js';
import type { RpcConnection } from './rpc-client.js';
import type { V2Server } from './server.js';
import { HEALTH_SLEEP_MAX_MS, type V2Settings } from './settings.js';

/** A health check's round trip: the request's and the response's one-way legs. */
const LEGS_PER_CHECK = 2; // literal-ok: two legs of a round trip, not a protocol setting
/** A keepalive timer must allow more silence than this many cycles, so that its firings, armed long before, precede a cycle's events at equal times. */
const TIMER_MARGIN_CYCLES = 2; // literal-ok: a margin of the stepper's ordering argument, not a protocol setting

export type V2QuietHandoff = (c: RpcConnection, jitter: RandomStream) => boolean;

/**
 * The offer a single-server client makes after each successful idle health check
 * (`RpcClientListener.goQuiet`): it goes quiet when the scenario allows it (`sim.quiet`) and when
 * even the slowest cycle — a poll period, the longest sleep and two worst-case latencies — keeps
 * every judge away: the ejector's idle limit, the health timeout, and each keepalive timer (its
 * idle time must exceed two cycles, so its firings, scheduled long before, precede a cycle's
 * events at equal times). The client is registered and in no other exchange (the caller checks);
 * its pending timers are the poll (not scheduled), the ack's delivery (runs in the kernel as it
 * would have) and both ends' keepalive timers (stopped: the stepper replays them from their due times).
 */
export const v2QuietHandoff =
  (ep: Endpoint, s: V2Settings, server: V2Server): V2QuietHandoff =>
  (c, jitter) => {
    const quiet = ep.host.sim.quiet;
    if (quiet === null || !quiet.allows(ep.name)) return false;
    const clientEnd = c.ch.conn;
    const serverEnd = clientEnd.conn.b;
    const t = server.connections.get(c.connectionId);
    if (serverEnd === null || t === undefined || t.ch.conn !== serverEnd) return false;
    const clientDues = clientEnd.keepaliveDues();
    const serverDues = serverEnd.keepaliveDues();
    if (clientDues === null || serverDues === null) return false;
    const up = ep.net.latencyStream(ep.name, c.server);
    const down = ep.net.latencyStream(c.server, ep.name);
    const legUs = Math.round(Math.max(latencyEnvelope(up.latency).maxUs, latencyEnvelope(down.latency).maxUs));
    const left = s.healthRetry - 1;
    const sleeps = s.healthJitter && left > 1;
    const keepAliveUs = msToUs(s.keepAliveMs);
    const healthTimeoutUs = msToUs(s.healthTimeoutMs);
    const idleLimitUs = s.ejection ? msToUs(K.idleLimitMs) : Number.POSITIVE_INFINITY;
    const cycleUs = keepAliveUs + (sleeps ? msToUs(HEALTH_SLEEP_MAX_MS) : 0) + LEGS_PER_CHECK * legUs;
    if (cycleUs >= idleLimitUs || LEGS_PER_CHECK * legUs >= healthTimeoutUs || legUs >= keepAliveUs) return false;
    const now = ep.host.now();
    const serverReadUs = serverEnd.lastReadUs;
    const timers = { clientTcp: clientDues.tcp, clientPing: clientDues.ping, serverPing: serverDues.ping, serverTcp: serverDues.tcp };
    if (Object.values(timers).some((x) => x !== null && (x.dueUs <= now || x.idleUs <= TIMER_MARGIN_CYCLES * cycleUs))) return false;
    // The server's SO_KEEPALIVE reads when the ack now in flight lands, which the stepper does not know:
    // its next firing must come after the next request (≤ one cycle away), when everything it reads is the stepper's own.
    if (timers.serverTcp !== null && timers.serverTcp.dueUs <= now + cycleUs) return false;
    clientEnd.stopKeepalives();
    serverEnd.stopKeepalives();
    server.watched.delete(t.connectionId);
    quiet.adopt(
      new V2QuietClient({
        client: ep.name,
        server: c.server,
        connectionId: c.connectionId,
        up,
        down,
        jitter: sleeps ? jitter : null,
        jitterMaxMs: HEALTH_SLEEP_MAX_MS,
        left,
        keepAliveUs,
        healthTimeoutUs,
        idleLimitUs,
        handoffUs: now,
        serverReadUs,
        serverActiveUs: t.lastActiveUs,
        ...timers,
      }),
    );
    return true;
  };
