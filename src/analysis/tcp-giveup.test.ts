import { describe, expect, it } from 'vitest';
import { tcpGiveUpWindowMs } from './tcp-giveup.js';

// The real kernel (Linux 6.18, HZ=250), write + cut until ETIMEDOUT, seconds from the write
// (shared/reference/real-tcp.md §1). The analytic window must contain every real run.
const REAL: readonly { rtt: [number, number]; retries: number; runs: number[] }[] = [
  { rtt: [130, 1_200], retries: 3, runs: [6.74, 6.74, 6.75] },
  { rtt: [130, 1_200], retries: 5, runs: [13.28, 13.42, 13.49] },
  { rtt: [130, 1_200], retries: 8, runs: [106.4, 106.5, 108.1] },
  { rtt: [130, 1_200], retries: 15, runs: [938.6, 938.7] },
  { rtt: [50_000, 51_000], retries: 3, runs: [4.1, 4.12, 4.12] },
  { rtt: [50_000, 51_000], retries: 5, runs: [16.42, 16.53, 17.23] },
  { rtt: [50_000, 51_000], retries: 8, runs: [131.5, 133.0, 137.8] },
  { rtt: [50_000, 51_000], retries: 15, runs: [977.7, 977.9] },
];

describe('tcp give-up window', () => {
  for (const { rtt, retries, runs } of REAL) {
    it(`tcp_retries2 = ${retries}, RTT ${rtt[0] / 1000}–${rtt[1] / 1000} ms holds the real ${runs.join(', ')} s`, () => {
      const w = tcpGiveUpWindowMs(rtt[0], rtt[1], retries);
      for (const s of runs) {
        expect(s * 1000).toBeGreaterThan(w.lowerMs);
        expect(s * 1000).toBeLessThanOrEqual(w.upperMs);
      }
      // Never below the rule itself: tcp_model_timeout after a first RTO retransmission ≥ 200 ms after the send.
      const model = retries <= 9 ? (2 ** (retries + 1) - 1) * 200 : 1023 * 200 + (retries - 9) * 120_000;
      expect(w.lowerMs).toBeGreaterThanOrEqual(model + 200);
    });
  }
});
