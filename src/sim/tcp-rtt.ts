import { TCP_KERNEL } from './tcp-defaults.js';
import type { Micros } from './time.js';
import { usecsToJiffies } from './timer-wheel.js';

/**
 * The RTT estimator and RTO of one sender, exactly as net/ipv4/tcp_input.c computes them
 * (tcp_rtt_estimator, __tcp_set_rto, tcp_bound_rto; Linux 6.x). Van Jacobson's smoothed RTT
 * (srtt, kept ×8) and mean deviation (mdev, kept ×4), with rttvar = max(mdev over the last
 * round, TCP_RTO_MIN): so RTO = srtt + max(4·mdev, 200 ms), rounded up to jiffies — 204 ms on a
 * sub-millisecond link at HZ=250, ≈ 252 ms at 50 ms RTT (real-tcp.md §1).
 */
export class RttEstimator {
  /** srtt_us: smoothed RTT × 8 (0: no sample yet). */
  private srtt8 = 0;
  /** mdev_us: mean deviation × 4. */
  private mdev4 = 0;
  private mdevMax = 0;
  /** rttvar_us: the deviation term of the RTO, never below TCP_RTO_MIN. */
  private rttvar = 0;
  /** rtt_seq: once snd_una passes it, a round is over and rttvar decays toward mdev_max. */
  private rttSeq = 0;

  constructor(private readonly hz: number) {}

  get hasSample(): boolean {
    return this.srtt8 !== 0;
  }

  /** The smoothed RTT in µs (srtt_us >> 3). */
  get srttUs(): Micros {
    return this.srtt8 / 8;
  }

  /** tcp_rtt_estimator(sk, m): one RTT sample `m` µs, with the sender's snd_una and snd_nxt. */
  sample(mUs: Micros, sndUna: number, sndNxt: number): void {
    const rtoMin = TCP_KERNEL.rtoMinUs;
    let m = Math.max(1, Math.round(mUs));
    if (this.srtt8 === 0) {
      this.srtt8 = m * 8;
      this.mdev4 = m * 2;
      this.rttvar = Math.max(this.mdev4, rtoMin);
      this.mdevMax = this.rttvar;
      this.rttSeq = sndNxt;
      return;
    }
    m -= this.srtt8 >> 3;
    this.srtt8 += m;
    if (m < 0) {
      m = -m;
      m -= this.mdev4 >> 2;
      if (m > 0) m >>= 3;
    } else m -= this.mdev4 >> 2;
    this.mdev4 += m;
    if (this.mdev4 > this.mdevMax) {
      this.mdevMax = this.mdev4;
      if (this.mdevMax > this.rttvar) this.rttvar = this.mdevMax;
    }
    if (sndUna > this.rttSeq) {
      if (this.mdevMax < this.rttvar) this.rttvar -= (this.rttvar - this.mdevMax) >> 2;
      this.rttSeq = sndNxt;
      this.mdevMax = rtoMin;
    }
    this.srtt8 = Math.max(1, this.srtt8);
  }

  /**
   * __tcp_set_rto + tcp_bound_rto: the RTO in jiffies, srtt + rttvar rounded up, at most
   * TCP_RTO_MAX; before any sample, TCP_TIMEOUT_INIT (1 s).
   */
  rtoJiffies(): number {
    const maxJ = usecsToJiffies(TCP_KERNEL.rtoMaxUs, this.hz);
    if (this.srtt8 === 0) return usecsToJiffies(TCP_KERNEL.timeoutInitUs, this.hz);
    return Math.min(usecsToJiffies((this.srtt8 >> 3) + this.rttvar, this.hz), maxJ);
  }
}
