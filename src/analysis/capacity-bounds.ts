import type { V1Capacity } from '../models/nacos-v1/settings.js';
import type { V2Capacity } from '../models/nacos-v2/settings.js';

/**
 * Where queueing starts to expire live instances: the analytic onsets of the capacity model
 * (docs/models/nacos-v1.md#capacity, docs/models/nacos-v2.md#capacity). Costs in µs.
 *
 * Nacos 1.x. A beat is served by an HTTP worker (reply) and then by a ClientBeatProcessor on the
 * health executor (lastBeat := now). The beat check is queued on the same health executor, first
 * come first served with the beats, so it sees every beat that arrived before it came due — a
 * queue that grows delays the beats and the check alike. What it cannot hide is the time one
 * round of N beats takes a saturated pool: lastBeat of an instance is refreshed once per round,
 * so its age at a check reaches the round time
 *
 *   S(N) = max(N · c_http / k_http, N · (c_proc + N · c_scan) / k_health)   (when S(N) > interval)
 *
 * and the check marks it unhealthy once S(N) > heartbeat timeout, and deletes it once S(N) >
 * delete timeout. Below the interval the pools keep up and ages stay within one beat interval.
 * (The HTTP term is a closed loop: a client beats again one interval after its reply, so a slow
 * server slows the beats; the health term is open: the reply does not wait for the processor.)
 *
 * Nacos 2.x. A client health-checks its connection after keep-alive K of silence (plus a sleep
 * of up to 0.5 s from 2.2.4), waits up to T for the answer, and after retry + 1 timed-out attempts
 * gives the connection up: the server sees the close and removes the instance (a false
 * disconnection; the client reconnects and registers again). The clients form a closed loop
 * around the gRPC pool: saturated, one round of N health checks takes C(N) = N · c_health / k and
 * a client waits C(N) − K − sleep for its answer, so attempts start timing out once
 *
 *   C(N) > K + T.
 *
 * Each timed-out attempt is still served later (nothing cancels it on the server) and the retry
 * adds another: past the onset the load only grows, and the collapse does not heal by itself.
 */

/** One round of beats through the busier pool (µs), for N instances; S(N) above. */
export const v1BeatRoundUs = (n: number, cap: V1Capacity): number => {
  const http = (n * cap.beatUs) / cap.threads;
  const health = (n * (cap.beatProcessUs + (n * cap.scanPer1000Us) / 1000)) / cap.healthThreads; // literal-ok: per 1,000 instances
  return Math.max(http, health);
};

/** The fewest clients whose beat round outlasts `limitMs` (the heartbeat or delete timeout); null above `maxClients`. */
export const v1OnsetClients = (cap: V1Capacity, limitMs: number, maxClients = 100_000_000): number | null =>
  firstAbove((n) => v1BeatRoundUs(n, cap), limitMs * 1000, maxClients);

/** One round of health checks through the gRPC pool (µs): C(N) above. */
export const v2HealthRoundUs = (n: number, cap: V2Capacity): number => (n * cap.healthUs) / cap.threads;

/** The fewest clients whose health-check round outlasts keep-alive + health timeout; null above `maxClients`. */
export const v2OnsetClients = (cap: V2Capacity, keepAliveMs: number, healthTimeoutMs: number, maxClients = 100_000_000): number | null =>
  firstAbove((n) => v2HealthRoundUs(n, cap), (keepAliveMs + healthTimeoutMs) * 1000, maxClients);

/** One push to each of `subscribers`, one after another on one worker (µs), for `instances` instances. */
export const pushRoundUs = (subscribers: number, instances: number, pushUs: number, serializePer1000Us: number): number =>
  subscribers * (pushUs + (instances * serializePer1000Us) / 1000); // literal-ok: per 1,000 instances

/** The least n in [1, max] with f(n) > limit, for f non-decreasing in n (binary search); null if none. */
const firstAbove = (f: (n: number) => number, limit: number, max: number): number | null => {
  if (f(max) <= limit) return null;
  let lo = 1;
  let hi = max;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (f(mid) > limit) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};
