import { describe, expect, it } from 'vitest';
import { RttEstimator } from './tcp-rtt.js';

describe('RTT estimator (tcp_rtt_estimator, __tcp_set_rto)', () => {
  it('before any sample the RTO is TCP_TIMEOUT_INIT: 1 s = 250 jiffies', () => {
    expect(new RttEstimator(250).rtoJiffies()).toBe(250);
  });

  it('a first sample m: srtt = m, rttvar = max(2m, 200 ms): 2 ms → 202 ms → 51 jiffies (204 ms, as measured)', () => {
    const e = new RttEstimator(250);
    e.sample(2_000, 1, 1);
    expect(e.srttUs).toBe(2_000);
    expect(e.rtoJiffies()).toBe(51);
  });

  it('at 50 ms RTT: 50 + max(100, 200) = 250 ms → 63 jiffies (252 ms; the real kernel: 252–256 ms)', () => {
    const e = new RttEstimator(250);
    e.sample(50_000, 1, 1);
    expect(e.rtoJiffies()).toBe(63);
  });

  it('steady samples keep rttvar at its 200 ms floor; a large deviation raises it (srtt + 4·mdev)', () => {
    const e = new RttEstimator(250);
    e.sample(1_000, 1, 2);
    for (let i = 2; i < 50; i++) e.sample(1_000, i, i + 1);
    expect(e.rtoJiffies()).toBe(51); // ⌈(1 + 200) / 4⌉
    // One 400 ms sample: err = 399 ms, srtt += err/8 → 50.875 ms; mdev4 += err − mdev4/4 ≈ 399 ms,
    // above the 200 ms floor: RTO ≈ 50.9 + 399.1 ms = 450 ms → 113 jiffies.
    e.sample(400_000, 50, 51);
    expect(e.rtoJiffies()).toBeGreaterThanOrEqual(112);
    expect(e.rtoJiffies()).toBeLessThanOrEqual(113);
  });

  it('never above TCP_RTO_MAX', () => {
    const e = new RttEstimator(250);
    e.sample(200_000_000, 1, 1);
    expect(e.rtoJiffies()).toBe(30_000);
  });
});
