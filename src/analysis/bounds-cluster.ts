import { num } from '../models/knob.js';
import { v2ClusterSettings } from '../models/nacos-v2/cluster-settings.js';
import { V2_CLUSTER_CONSTANTS as KC } from '../models/nacos-v2/defaults.js';
import { v2ProviderSettings } from '../models/nacos-v2/sdk-go.js';

import type { Fault } from '../sim/faults.js';
import { usToMs } from '../sim/time.js';
import type { Expectation, Interval } from './bounds.js';
import { type V2Bounds, type V2BoundsInput, v2Bounds, v2ClientDetection, v2PushWindow } from './bounds-v2.js';

/**
 * Analytic bounds for a Nacos 2.x cluster (`--servers N`, N > 1), read off src/models/nacos-v2/
 * cluster-distro.ts and the Nacos source it follows (docs/models/cluster.md):
 *
 *   owner crash + client cut off from every node (`server-crash:owner@F` + `cut@F`): no node can
 *   remove the client's data except by expiry. The owner's last verify left at the last multiple of
 *   the verify interval V before F (the crash comes first at F) and renewed each peer's copy one
 *   one-way latency later: L ∈ [F − V + dmin, F + dmax). A peer's cleaner runs every C = 5 s from
 *   its start and drops the copy at the first run with now − L > E (nacos.naming.client.expired.time):
 *   removal − F ∈ (E − V + dmin, E + C + dmax].
 *
 *   half-open cut of the client alone (`cut@F`): the owner removes the instance exactly as one
 *   server would (bounds-v2.ts); its disconnect becomes a Distro DELETE due syncDelay later, sent at
 *   the first 100 ms engine tick from then on and applied one one-way latency after that: the last
 *   node removes it syncDelay + [dmin, tick + dmax] after the owner. The consumers of the owner
 *   learn it first, the consumers of the peers last.
 *
 *   the owner cut off from the client, which later crashes (`cut:c1-owner@F` + `crash@G`), on
 *   2.2.0-2.2.4 (no ejector): the client reconnects elsewhere, but its old connection is half-open on
 *   the owner and ends only as it would on one server after a cut; until then the owner lists the
 *   instance and its verifies renew the copies. The last node drops it one DELETE after that.
 *
 * Every other cluster fault is left to the simulation.
 */
const within = (lowerMs: number, upperMs: number): Expectation => ({ kind: 'within', interval: { lowerMs: round(lowerMs), upperMs: round(upperMs) } });
const noBound = (why: string): Expectation => ({ kind: 'no-bound', why });
const round = (ms: number): number => Math.round(ms * 1000) / 1000;
const plus = (e: Expectation, i: Interval): Expectation => (e.kind === 'within' ? within(e.interval.lowerMs + i.lowerMs, e.interval.upperMs + i.upperMs) : e);

/** The faults of "owner crash while the client is cut off from every node", both at the same instant and for good. */
const ownerCrashAndCut = (faults: readonly Fault[]): Fault | null => {
  if (faults.length !== 2) return null;
  const crash = faults.find((f) => f.kind === 'server-crash' && f.target === 'owner');
  const cut = faults.find((f) => f.kind === 'cut' && f.hosts === undefined && f.endUs === null);
  return crash !== undefined && cut !== undefined && crash.startUs === cut.startUs ? crash : null;
};

const plainCut = (faults: readonly Fault[]): boolean => faults.length === 1 && faults[0]?.kind === 'cut' && faults[0].hosts === undefined;

/** `cut:c1-owner@F` for good, then the client crashes: the cut leaves the owner a half-open connection. */
const ownerCutThenCrash = (faults: readonly Fault[]): Fault | null => {
  if (faults.length !== 2) return null;
  const cut = faults.find((f) => f.kind === 'cut' && f.endUs === null && f.hosts?.includes('c1') === true && f.hosts.includes('owner'));
  const crash = faults.find((f) => f.kind === 'crash');
  return cut !== undefined && crash !== undefined && crash.startUs > cut.startUs ? cut : null;
};

export const v2ClusterBounds = (input: V2BoundsInput): V2Bounds => {
  const single = v2Bounds({ ...input, servers: 1 });
  const s = v2ProviderSettings(input.config, { client: input.clientVersion, server: input.serverVersion });
  const cs = v2ClusterSettings(input.config, input.serverVersion);
  const dmin = usToMs(input.latency.minUs);
  const dmax = usToMs(input.latency.maxUs);
  const nb = (why: string): V2Bounds => ({
    ...single,
    removedFromLastHeard: noBound(why),
    removedFromFault: noBound(why),
    staleFromFault: noBound(why),
    clientDetectedFromFault: noBound(why),
  });
  if (num(input.config, 'net.loss') > 0) return nb('net.loss > 0: retransmissions delay every step');
  if (2 * dmax >= Math.min(cs.syncTimeoutMs, cs.verifyTimeoutMs)) return nb('a round trip between nodes can outlast the Distro timeouts');
  const tick = KC.distroEngineTickMs;
  if (plainCut(input.faults)) {
    // The owner is one server; the others follow its DELETE.
    const sync: Interval = { lowerMs: cs.syncDelayMs + dmin, upperMs: cs.syncDelayMs + tick + dmax };
    return {
      ...single,
      removedFromLastHeard: plus(single.removedFromLastHeard, sync),
      removedFromFault: plus(single.removedFromFault, sync),
      staleFromFault: staleAcross(single, sync),
    };
  }
  const ownerCut = ownerCutThenCrash(input.faults);
  if (ownerCut !== null && !s.ejection) {
    // 2.2.0-2.2.4: the owner never ejects the half-open connection; only its gRPC keep-alive ends
    // it, exactly as on one server, and the DELETE follows. Until then the owner lists the
    // instance and its verifies keep every copy alive, whatever the client does elsewhere.
    const asOneServer = v2Bounds({ ...input, servers: 1, faults: [{ kind: 'cut', text: ownerCut.text, startUs: ownerCut.startUs, endUs: null }] });
    const sync: Interval = { lowerMs: cs.syncDelayMs + dmin, upperMs: cs.syncDelayMs + KC.distroEngineTickMs + dmax };
    const removed = plus(asOneServer.removedFromFault, sync);
    return {
      ...single,
      removedFromLastHeard: noBound('the removal follows the keep-alive of a connection the client left'),
      removedFromFault: removed,
      staleFromFault: staleAcross(asOneServer, sync),
    };
  }
  const crash = ownerCrashAndCut(input.faults);
  if (crash === null)
    return nb('cluster: only the owner crash with the client cut off, and the plain cut, have an analytic window; the simulation answers the rest');
  const V = cs.verifyIntervalMs;
  const E = cs.clientExpiredMs;
  const F = usToMs(crash.startUs);
  const steadyMs = s.serverCheckTimeoutMs + cs.syncDelayMs + tick + V + 4 * dmax;
  if (F <= steadyMs) return nb(`the fault comes before every node holds a verified copy (${steadyMs} ms)`);
  if (E <= V + tick + 3 * dmax) return nb('expired time ≤ verify interval: copies expire and come back between renewals');
  const removed = within(E - V + dmin, E + KC.expiredCleanerPeriodMs + dmax);
  const detect = v2ClientDetection(s, input.latency);
  const push = v2PushWindow(s, input.latency);
  // A consumer of the dead node reconnects elsewhere and re-subscribes within a connect and a redo tick.
  const resubscribedMs = s.serverCheckTimeoutMs + s.redoDelayMs + s.negotiationTimeoutMs + 4 * dmax;
  const stale: Expectation =
    single.staleFromRemoval.kind !== 'within'
      ? single.staleFromRemoval
      : E - V + dmin <= resubscribedMs
        ? noBound('the copies expire before every consumer of the dead node has re-subscribed elsewhere')
        : plus(removed, push);
  return {
    ...single,
    removedFromLastHeard: noBound("the peers' copies expire on their own clock, not from the last message heard"),
    removedFromFault: removed,
    staleFromFault: stale,
    clientDetectedFromFault: within(detect.lowerMs, detect.upperMs),
  };
};

/**
 * The last consumer's view: as early as a consumer of the owner (one server's window), as late as a
 * consumer of a peer (the peer's removal plus the same push window).
 */
const staleAcross = (single: V2Bounds, sync: Interval): Expectation => {
  const stale = single.staleFromFault;
  if (stale.kind !== 'within') return stale;
  return within(stale.interval.lowerMs, stale.interval.upperMs + sync.upperMs);
};
