import { describe, expect, it } from 'vitest';
import { jiffiesAt, socketTimerFireUs, usecsToJiffies, wheelFireJiffy } from './timer-wheel.js';

// Expected values by hand from kernel/time/timer.c: LVL_START(n) = 63 << 3(n−1), a timer on level
// l runs at ((expires >> 3l) + 1) << 3l.
describe('timer wheel', () => {
  it('level 0 (delta < 63 jiffies) runs one jiffy after the expiry', () => {
    expect(wheelFireJiffy(53, 2)).toBe(54);
    expect(wheelFireJiffy(3, 2)).toBe(4);
  });

  it('level 1 (63 ≤ delta < 504) rounds up to 8 jiffies, level 2 (< 4032) to 64, level 3 (< 32256) to 512', () => {
    expect(wheelFireJiffy(208, 106)).toBe(216);
    expect(wheelFireJiffy(216, 208)).toBe(217);
    expect(wheelFireJiffy(1656, 840)).toBe(1664);
    // A 120 s RTO at HZ=250 (30000 jiffies) from jiffy 0: 30208, so 120.832 s — the real kernel's
    // "then every 120.8 s" (real-tcp.md §1).
    expect(wheelFireJiffy(30_000, 0)).toBe(30_208);
  });

  it('usecs_to_jiffies rounds up, jiffies round down, a socket timer never runs early', () => {
    expect(usecsToJiffies(202_000, 250)).toBe(51);
    expect(usecsToJiffies(200_000, 250)).toBe(50);
    expect(usecsToJiffies(1, 250)).toBe(1);
    expect(jiffiesAt(7_999, 250)).toBe(1);
    expect(socketTimerFireUs(10_000, 51, 250)).toBe(216_000);
    for (const nowUs of [0, 1, 3_999, 4_000, 123_457]) expect(socketTimerFireUs(nowUs, 51, 250)).toBeGreaterThan(nowUs + 51 * 4_000 - 4_000);
  });
});
