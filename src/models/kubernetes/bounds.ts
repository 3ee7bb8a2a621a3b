import type { Expectation } from '../../analysis/bounds.js';
import type { Fault } from '../../sim/faults.js';
import { msToUs, usToMs } from '../../sim/time.js';
import { num } from '../knob.js';
import type { RegistryBounds, RunBoundsInput } from '../model.js';
import { K8S_CONSTANTS as K } from './defaults.js';
import { type K8sSettings, k8sSettings } from './settings.js';

/**
 * Analytic windows of the Kubernetes model (src/models/kubernetes), one control plane, c1's pod
 * followed, every kubelet call one leg each way (d ∈ [dmin, dmax]):
 *   - lease path: renewals are sent apart by less than cycle = R·(1 + 0.04) + 2·dmax (R = 0.25 ×
 *     lease duration, sliding jitter); one heard at h is observed by the first monitor pass at or
 *     after it, p0 ∈ [h, h + M]; the node is marked Unknown (its pod NotReady) at the first pass
 *     with now > p0 + G: p0 + n·M, n = ⌊G/M⌋ + 1, i.e. [n·M, (n+1)·M] after h. A cut at F: the
 *     last renewal heard lies in (F − cycle + dmin, F + dmax);
 *   - eviction: the next pass queues the node for the taint (processTaintBaseEviction reads the
 *     condition from before the pass), the tainting pass (every 100 ms) taints it, the pod is
 *     deleted tolerationSeconds T later: [(n+1)·M + T, (n+2)·M + 100 ms + T] after h — only while
 *     the zone is not fully disrupted (one node alone: never) nor partially (several down: no bound);
 *   - probe path: a frozen app fails the first probe at or after F (t* ∈ [F, F + P]), the
 *     failureThreshold-th one at t* + (f − 1)·P + timeout; the status reaches s1 one leg later.
 *     A dead app's container is seen by the next PLEG relist, (F, F + 1 s], and reported a leg later;
 *   - consumers: the NotReady pod leaves the slice after the batch period B, the watch event takes
 *     the watch delay W and one leg, kube-proxy applies it within minSyncPeriod: [B + W + dmin,
 *     B + W + dmax + minSync] after the pod turned NotReady.
 * Lower ends a pass or a tick can meet exactly are widened by 1 µs (the interval is open below).
 */
const EPSILON_MS = 0.001; // literal-ok: 1 µs, the kernel's resolution
/** A kubelet call: the request leg and the answer leg (api-client.ts). */
export const LEGS_PER_CALL = 2; // literal-ok: request and answer, one datagram each
/** handleDisruption: a zone with no Ready node is fully disrupted; one more node keeps it normal. */
const MIN_NODES_TO_EVICT = 2; // literal-ok: the failed node and one Ready node
/** Monitor passes after the one that marked the node: the queueing pass, then the tainting pass within 100 ms. */
const TAINT_AFTER_PASSES = 1; // literal-ok: counted in the comment above

const roundUs = (ms: number): number => usToMs(Math.round(msToUs(ms)));
const within = (lowerMs: number, upperMs: number): Expectation => ({ kind: 'within', interval: { lowerMs: roundUs(lowerMs), upperMs: roundUs(upperMs) } });
const never = (why: string): Expectation => ({ kind: 'never', why });
const noBound = (why: string): Expectation => ({ kind: 'no-bound', why });

interface Envelope {
  readonly min: number;
  readonly max: number;
}

/** Monitor passes from the probe timestamp to the one that marks the node Unknown. */
export const passesToUnknown = (s: K8sSettings): number => Math.floor(s.graceMs / s.monitorPeriodMs) + 1;

/** The longest gap between two renewal sends (exclusive): the jittered wait and both legs of the call. */
export const renewCycleMaxMs = (s: K8sSettings, d: Envelope): number => s.renewIntervalMs * (1 + K.renewJitter) + LEGS_PER_CALL * d.max;

/** From the last renewal heard: Unknown (and the pod NotReady), and the pod's eviction. */
export const leaseWindows = (s: K8sSettings) => {
  const n = passesToUnknown(s);
  const M = s.monitorPeriodMs;
  return {
    unknownMin: n * M,
    unknownMax: (n + 1) * M,
    evictedMin: (n + TAINT_AFTER_PASSES) * M + s.tolerationMs,
    evictedMax: (n + 1 + TAINT_AFTER_PASSES) * M + K.taintPassMs + s.tolerationMs,
  };
};

/** Pod NotReady → the last kube-proxy's rules drop it. */
/**
 * `instances` > 1: another pod's change may already have queued the Service's sync (podChanged
 * queues one sync per batch period, control-plane.ts; queue.AddAfter keeps the earlier time), so
 * the slice may drop this pod any time from at once to B. Found by the deep property run (PROPS_RUNS
 * = 100000, case 8,214: two pods, crash@7s, B = 2 s, stale after 1.042 s).
 */
export const staleAfterNotReady = (s: K8sSettings, d: Envelope, instances = 1): { minMs: number; maxMs: number } => ({
  minMs: (instances > 1 ? 0 : s.endpointBatchMs) + s.watchDelayMs + d.min,
  maxMs: s.endpointBatchMs + s.watchDelayMs + d.max + s.proxyMinSyncMs,
});

/** When every consumer lists c1 at the latest (its first probe passed, the status and the slice delivered). */
export const listedByMs = (s: K8sSettings, d: Envelope): number => s.probePeriodMs + d.max + staleAfterNotReady(s, d).maxMs;

/** Renewals heard never further apart than the grace allows for: no live node is ever marked Unknown. */
const neverUnknown = (s: K8sSettings, d: Envelope, gapMs: number): boolean => gapMs + d.max - d.min + s.monitorPeriodMs <= s.graceMs;

type Onset = { readonly path: 'lease' | 'probe'; readonly lowerMs: number; readonly upperMs: number } | Expectation;

/** Fault → the pod turns NotReady at s1, by the path the fault takes. */
const notReadyFromFault = (f: Fault, s: K8sSettings, d: Envelope): Onset => {
  if (f.hosts !== undefined) return noBound(`${f.text} leaves c1's node and its paths to the control plane alone`);
  const w = leaseWindows(s);
  const cycle = renewCycleMaxMs(s, d);
  switch (f.kind) {
    case 'cut':
    case 'oneway':
      if (f.kind === 'oneway' && f.direction === 's2c')
        return neverUnknown(s, d, s.heartbeatTimeoutMs + s.renewIntervalMs * (1 + K.renewJitter))
          ? never('s2c: every renewal still reaches the API server (the kubelet only misses the answers)')
          : noBound('s2c: renewals keep arriving, but the retries leave gaps near the grace period');
      return { path: 'lease', lowerMs: w.unknownMin - cycle + d.min - EPSILON_MS, upperMs: w.unknownMax + d.max };
    case 'pause': {
      const P = s.probePeriodMs;
      if (s.probeTimeoutMs >= P) return noBound('the probe timeout reaches the next probe: the simulation answers it');
      const f1 = s.failureThreshold - 1;
      return { path: 'probe', lowerMs: f1 * P + s.probeTimeoutMs + d.min - EPSILON_MS, upperMs: (f1 + 1) * P + s.probeTimeoutMs + d.max };
    }
    case 'crash':
      return { path: 'probe', lowerMs: d.min - EPSILON_MS, upperMs: K.plegRelistMs + d.max };
    default:
      return noBound(`a ${f.kind} fault: the simulation answers it`);
  }
};

export const k8sBounds = ({ config, latency, faults, instances = 1, serverVersion }: RunBoundsInput): RegistryBounds => {
  const s = k8sSettings(config, serverVersion);
  const d = { min: usToMs(latency.minUs), max: usToMs(latency.maxUs) };
  const w = leaseWindows(s);
  const lossy = num(config, 'net.loss') > 0;
  // One node: the zone has no Ready node once it is not Ready (fully disrupted: no taints).
  const alone = instances < MIN_NODES_TO_EVICT || s.evictionRate <= 0;
  const fullZone =
    s.evictionRate <= 0
      ? 'node-eviction-rate 0: the tainting queue never has a token'
      : 'one node: with it not Ready no node of the zone is, the zone is fully disrupted and no taint is set';
  const removedFromLastHeard = alone ? never(fullZone) : within(w.evictedMin - EPSILON_MS, w.evictedMax);
  const unhealthyFromLastHeard = within(w.unknownMin - EPSILON_MS, w.unknownMax);
  const bounds = (unhealthyFromFault: Expectation, removedFromFault: Expectation, staleFromFault: Expectation): RegistryBounds => ({
    unhealthyFromLastHeard,
    removedFromLastHeard,
    unhealthyFromFault,
    removedFromFault,
    staleFromFault,
  });
  const fault = faults[0];
  if (fault === undefined) {
    const safe = !lossy && neverUnknown(s, d, renewCycleMaxMs(s, d));
    const none = safe
      ? never('no fault: renewals come well inside the grace period and probes pass')
      : noBound('no fault, but renewals can be lost or too rare');
    return bounds(none, none, none);
  }
  const onset: Onset =
    faults.length > 1
      ? noBound('several faults: the simulation answers it')
      : lossy
        ? noBound('net.loss > 0: the kubelet’s calls can be lost before the fault')
        : !neverUnknown(s, d, renewCycleMaxMs(s, d))
          ? noBound('renewals can come further apart than the grace allows for: the node may be marked before the fault')
          : notReadyFromFault(fault, s, d);
  if ('kind' in onset) return bounds(onset, onset, onset);
  const F = usToMs(fault.startUs);
  // The pod must be Ready at s1 first: its first probe passes within one period, its status a leg later.
  if (F <= s.probePeriodMs + d.max) {
    const early = noBound('the fault may come before the pod is first Ready');
    return bounds(early, early, early);
  }
  const unhealthy = within(onset.lowerMs, onset.upperMs);
  const heals = (e: Expectation): Expectation =>
    e.kind === 'within' && fault.endUs !== null && usToMs(fault.endUs - fault.startUs) <= e.interval.upperMs
      ? noBound(`${fault.text} heals before the outcome is certain: the simulation answers it`)
      : e;
  const after = staleAfterNotReady(s, d, instances);
  const stale =
    F <= listedByMs(s, d)
      ? noBound('the fault may come before the consumers first list the instance')
      : within(onset.lowerMs + after.minMs, onset.upperMs + after.maxMs);
  if (onset.path === 'probe')
    return {
      ...bounds(heals(unhealthy), never('the node stays Ready: only the pod is not, and nothing evicts it'), heals(stale)),
      unhealthyFromLastHeard: noBound('the readiness probe (or PLEG) judges the pod, not what the server hears'),
      removedFromLastHeard: never('the node stays Ready: only the pod is not, and nothing evicts it'),
    };
  // The pass that marks the node is followed by the queueing pass, the tainting pass and T.
  const taintAfterMs = TAINT_AFTER_PASSES * s.monitorPeriodMs;
  const removed = alone
    ? never(fullZone)
    : F <= s.renewIntervalMs + LEGS_PER_CALL * d.max || w.unknownMin + taintAfterMs <= s.probePeriodMs + d.max
      ? noBound('the fault may come before every node and the pod are registered')
      : within(onset.lowerMs + taintAfterMs + s.tolerationMs, onset.upperMs + taintAfterMs + K.taintPassMs + s.tolerationMs);
  return bounds(heals(unhealthy), heals(removed), heals(stale));
};
