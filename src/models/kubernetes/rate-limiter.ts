import type { Micros } from '../../sim/time.js';

const US_PER_S = 1_000_000; // literal-ok: tokens per second, clock in µs

/**
 * flowcontrol.NewTokenBucketRateLimiter(qps, burst) as the node lifecycle controller's tainting
 * queue uses it (pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go): it starts full;
 * TryAccept takes a token if one is there. qps 0 is fakeAlwaysRejectRateLimiter. SwapLimiter
 * keeps the limiter when the rate is the same, and drains the new one when the old was empty.
 */
export class TokenBucket {
  private tokens: number;
  private lastUs: Micros;

  constructor(
    private qps: number,
    private readonly burst: number,
    nowUs: Micros,
  ) {
    this.tokens = burst;
    this.lastUs = nowUs;
  }

  private refill(nowUs: Micros): void {
    this.tokens = Math.min(this.burst, this.tokens + ((nowUs - this.lastUs) * this.qps) / US_PER_S);
    this.lastUs = nowUs;
  }

  tryAccept(nowUs: Micros): boolean {
    if (this.qps <= 0) return false;
    this.refill(nowUs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** RateLimitedTimedQueue.SwapLimiter. */
  swap(qps: number, nowUs: Micros): void {
    if (qps === this.qps) return;
    const wasEmpty = !this.tryAccept(nowUs);
    this.qps = qps;
    this.tokens = this.burst;
    this.lastUs = nowUs;
    if (wasEmpty) this.tryAccept(nowUs);
  }
}
