import type { Micros } from './time.js';

/**
 * Jiffies and the kernel's timer wheel, for the TCP timers (retransmission, tail-loss probe,
 * SYN). Linux counts every socket timer in jiffies (1/HZ s) and files it in a hierarchical wheel
 * (kernel/time/timer.c) whose buckets grow 8× coarser per level; a timer is rounded UP to its
 * bucket so that it never fires early. A 120 s RTO at HZ=250 lands on level 3, whose buckets are
 * 512 jiffies (2.048 s) wide: it fires up to 2 s late. This is most of what real-tcp.md §1 found
 * left over once the TCP rules themselves were right.
 */

/** LVL_CLK_SHIFT: each level is 8× coarser than the one below (kernel/time/timer.c). */
const LVL_CLK_SHIFT = 3;
/** LVL_BITS: 64 buckets per level. */
const LVL_SIZE = 64;
/** Levels of the wheel (LVL_DEPTH, 9 for HZ > 100); beyond the last, timers are capped. */
const LVL_DEPTH = 9;

/** µs per jiffy. */
export const jiffyUs = (hz: number): number => 1_000_000 / hz;

/** The jiffy counter at time `us` (jiffies advance on each tick, so this rounds down). */
export const jiffiesAt = (us: Micros, hz: number): number => Math.floor(us / jiffyUs(hz) + 1e-9);

/** usecs_to_jiffies(): rounds up (include/linux/jiffies.h), so a timeout is never shortened. */
export const usecsToJiffies = (us: Micros, hz: number): number => Math.ceil(us / jiffyUs(hz) - 1e-9);

/** jiffies_to_usecs(). */
export const jiffiesToUs = (j: number, hz: number): Micros => Math.round(j * jiffyUs(hz));

/** LVL_START(n): the smallest delta (in jiffies) that is filed on level n. */
const levelStart = (n: number): number => (LVL_SIZE - 1) * 2 ** ((n - 1) * LVL_CLK_SHIFT);

/**
 * calc_wheel_index() + calc_index(): the jiffy at which a timer armed at jiffy `clk` to expire at
 * jiffy `expires` actually runs. The level is chosen by the delta; the expiry is rounded up to the
 * level's granularity, plus one bucket ("expires = (expires >> LVL_SHIFT(lvl)) + 1"), so even a
 * level-0 timer runs one jiffy after its nominal expiry.
 */
export const wheelFireJiffy = (expires: number, clk: number): number => {
  const delta = Math.max(0, expires - clk);
  let lvl = 0;
  while (lvl < LVL_DEPTH - 1 && delta >= levelStart(lvl + 1)) lvl++;
  const gran = 2 ** (lvl * LVL_CLK_SHIFT);
  return (Math.floor(expires / gran) + 1) * gran;
};

/**
 * sk_reset_timer(sk, timer, jiffies + timeout): when a socket timer armed at `nowUs` for
 * `timeoutJ` jiffies runs, in µs. Deterministic: the sim's jiffy 0 is its time 0.
 */
export const socketTimerFireUs = (nowUs: Micros, timeoutJ: number, hz: number): Micros => {
  const clk = jiffiesAt(nowUs, hz);
  return jiffiesToUs(wheelFireJiffy(clk + timeoutJ, clk), hz);
};
