import { LINUX_TCP_SYSCTLS, modelTimeoutUs, TCP_KERNEL } from '../sim/tcp-defaults.js';
import type { Micros } from '../sim/time.js';
import { jiffyUs, usecsToJiffies } from '../sim/timer-wheel.js';
import type { Interval } from './bounds.js';

/**
 * When the kernel gives up on a segment that the path swallowed, counted from the segment's first
 * transmission — derived from the rules of src/sim/tcp-sender.ts (which are Linux's), not from a
 * run. For one initial RTO r₀ (whole jiffies):
 *   - the first RTO retransmission R₁ leaves between r₀ (no loss probe) and a probe plus an RTO
 *     after the send (≤ 2·r₀, each timer up to one wheel bucket late);
 *   - RTO expiries then follow at gaps 2r₀, 4r₀, … (capped at TCP_RTO_MAX), each gap between its
 *     nominal value plus one jiffy and plus one bucket of its wheel level (kernel/time/timer.c);
 *   - the connection dies at the first expiry at least tcp_model_timeout(retries) after R₁.
 * With the gaps all shortest (Dᵏmin) and all longest (Dᵏmax), the expiry that gives up lies between
 * the first k whose Dᵏmax reaches the model timeout and the first whose Dᵏmin does. r₀ ranges over
 * what the RTT estimator can hold for round trips in [rttMin, rttMax]: srtt + max(4·mdev, 200 ms).
 */

/** Wheel bucket width (jiffies) for a timer `timeoutJ` jiffies out: 64 buckets a level, 8× coarser each. */
const bucketJ = (timeoutJ: number): number => {
  let gran = 1;
  let start = 63;
  while (timeoutJ >= start && gran < 8 ** 8) {
    gran *= 8;
    start *= 8;
  }
  return gran;
};

const giveUpForRto = (rto0J: number, retries: number, hz: number): { lowerUs: Micros; upperUs: Micros } => {
  const j = jiffyUs(hz);
  const maxJ = usecsToJiffies(TCP_KERNEL.rtoMaxUs, hz);
  const thresholdUs = modelTimeoutUs(retries);
  const r1MinUs = rto0J * j;
  const r1MaxUs = 2 * (rto0J + bucketJ(rto0J)) * j;
  let rtoJ = rto0J;
  let dMin = 0;
  let dMax = 0;
  let lowerUs = Number.NaN;
  for (let k = 1; k < 10_000; k++) {
    rtoJ = Math.min(rtoJ * 2, maxJ);
    dMin += (rtoJ + 1) * j - j; // at least the nominal gap (armed mid-jiffy, fired one jiffy after expiry)
    dMax += (rtoJ + bucketJ(rtoJ)) * j;
    if (Number.isNaN(lowerUs) && dMax >= thresholdUs) lowerUs = Math.max(thresholdUs, dMin);
    if (dMin >= thresholdUs) return { lowerUs: r1MinUs + lowerUs, upperUs: r1MaxUs + dMax };
  }
  throw new Error(`tcp give-up: no expiry reaches ${thresholdUs} µs`);
};

/** r₀ in jiffies for round trips in [rttMinUs, rttMaxUs] (tcp_rtt_estimator: rttvar ≥ 200 ms, ≤ 4·mdev ≤ 4·rttMax). */
const rto0RangeJ = (rttMinUs: Micros, rttMaxUs: Micros, hz: number): [number, number] => {
  const lo = usecsToJiffies(rttMinUs + TCP_KERNEL.rtoMinUs, hz);
  const hi = usecsToJiffies(rttMaxUs + Math.max(TCP_KERNEL.rtoMinUs, 4 * rttMaxUs), hz);
  return [lo, Math.max(lo, hi)];
};

/** Send → ETIMEDOUT of a swallowed segment, in ms, for tcp_retries2 = `retries` and round trips in [rttMin, rttMax]. */
export const tcpGiveUpWindowMs = (rttMinUs: Micros, rttMaxUs: Micros, retries = LINUX_TCP_SYSCTLS.retries2, hz = LINUX_TCP_SYSCTLS.hz): Interval => {
  const [lo, hi] = rto0RangeJ(rttMinUs, rttMaxUs, hz);
  let lowerUs = Number.POSITIVE_INFINITY;
  let upperUs = 0;
  for (let r = lo; r <= hi; r++) {
    const w = giveUpForRto(r, retries, hz);
    lowerUs = Math.min(lowerUs, w.lowerUs);
    upperUs = Math.max(upperUs, w.upperUs);
  }
  return { lowerMs: lowerUs / 1000, upperMs: upperUs / 1000 };
};

/**
 * The latest first RTO retransmission of a segment, in ms after its first transmission, for round
 * trips in [rttMin, rttMax]: a loss probe at up to one RTO, then the RTO re-armed from it, each
 * timer up to one wheel bucket late (the r1MaxUs of giveUpForRto). Until then the sender is not in
 * Loss and new data leaves at once (tcp_write_xmit sends new segments while in flight < cwnd;
 * tcp_enter_loss only at the RTO).
 */
export const firstRetransmitMaxMs = (rttMinUs: Micros, rttMaxUs: Micros, hz = LINUX_TCP_SYSCTLS.hz): number => {
  const [, hi] = rto0RangeJ(rttMinUs, rttMaxUs, hz); // the bucket grows with r₀: the largest r₀ is the latest
  return (2 * (hi + bucketJ(hi)) * jiffyUs(hz)) / 1000;
};
