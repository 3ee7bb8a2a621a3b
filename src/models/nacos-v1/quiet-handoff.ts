import type { Endpoint } from '../../sim/endpoint.js';
import { latencyEnvelope } from '../../sim/latency.js';
import { msToUs } from '../../sim/time.js';
import { v1HttpOptions } from './client.js';
import { V1QuietClient } from './quiet-client.js';
import type { V1Server } from './server.js';
import type { V1Settings } from './settings.js';

/** Latencies per beat cycle between a beat's processing and the next: response, SYN, SYN-ACK, request (a new connection's cycle, the longest). */
const LEGS_PER_CYCLE = 4; // literal-ok: the four one-way legs (response, SYN, SYN-ACK, request) of the cycle, not a protocol setting

/**
 * The offer a single-server client makes after each answered beat (`V1Client.goQuiet`): it goes
 * quiet when the scenario allows it for this client (`sim.quiet`) and when even the slowest cycle
 * — the period plus four worst-case latencies — keeps the server's check task from acting on it
 * (beat timeout, and delete timeout where that is shorter).
 */
export const v1QuietHandoff =
  (ep: Endpoint, s: V1Settings, server: V1Server, serverName: string) =>
  (light: boolean, nextUs: number, keptRequests: number | null): boolean => {
    const quiet = ep.host.sim.quiet;
    if (quiet === null || !quiet.allows(ep.name)) return false;
    const up = ep.net.latencyStream(ep.name, serverName);
    const down = ep.net.latencyStream(serverName, ep.name);
    const periodUs = Math.round(nextUs);
    const envelopeUs = Math.min(msToUs(s.beatTimeoutMs), msToUs(s.deleteTimeoutMs));
    const worstLegUs = Math.max(latencyEnvelope(up.latency).maxUs, latencyEnvelope(down.latency).maxUs);
    if (periodUs + LEGS_PER_CYCLE * Math.round(worstLegUs) > envelopeUs) return false;
    const lastBeatUs = server.markQuiet(ep.name);
    if (lastBeatUs === null) return false;
    const now = ep.host.now();
    const ka = v1HttpOptions(s).keepAlive;
    // A kept connection carries the next beat only if the period does not outlast the JDK's idle limit.
    const reuse = ka !== undefined && periodUs <= ka.idleUs ? { maxRequests: ka.maxRequests, keptRequests } : null;
    quiet.adopt(
      new V1QuietClient({ client: ep.name, server: serverName, up, down, light, periodUs, envelopeUs, firstBeatUs: now + periodUs, lastBeatUs, reuse }),
    );
    return true;
  };
