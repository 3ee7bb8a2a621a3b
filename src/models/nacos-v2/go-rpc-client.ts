import type { EventHandle } from '../../sim/event-queue.js';
import { msToUs } from '../../sim/time.js';
import { GO_SDK } from '../sdk/defaults.js';
import { RpcClient } from './rpc-client.js';

/**
 * nacos-sdk-go v2's RpcClient event goroutine (common/remote/rpc/rpc_client.go Start): one
 * `select` over the reconnection channel and a timer, where the Java client polls its signal
 * queue with a timeout. What differs:
 *   - the timer fires 5 s after Start, then 5 s after the end of each healthCheck
 *     (`defer timer.Reset(KEEP_ALIVE_TIME)`), which includes the reconnect a failed check runs
 *     inline; a reconnect signal does not touch the timer (Java restarts its poll);
 *   - a timer that fires while the goroutine is busy (a reconnect) waits in its channel and is
 *     taken as soon as the goroutine is free. Go's select picks at random between two ready
 *     channels; livesim takes a waiting reconnect signal first (documented, deterministic).
 * The health check itself (one attempt, 3xx healthy), the reconnect loop, requests and the
 * connection handling are RpcClient's, driven by the Go settings (sdk-go.ts).
 */
export class GoRpcClient extends RpcClient {
  private timer: EventHandle = -1;
  private timerStarted = false;
  /** The timer fired while the goroutine was busy: its value waits in timer.C. */
  private timerFired = false;
  /** The goroutine is inside healthCheck (and any reconnect it started): its end resets the timer. */
  private inTimerCycle = false;

  protected override waitForSignal(): void {
    if (!this.timerStarted) {
      this.timerStarted = true;
      this.timer = this.host.schedule(msToUs(GO_SDK.timerFirstMs), onTimer, this);
    } else if (this.inTimerCycle) {
      this.inTimerCycle = false;
      this.timer = this.host.schedule(msToUs(this.s.keepAliveMs), onTimer, this);
    }
    this.busy = false;
    if (this.signals.length > 0) {
      this.busy = true;
      this.host.schedule(0, onSignal, this);
      return;
    }
    if (this.timerFired) {
      this.timerFired = false;
      this.busy = true;
      this.timerCheck();
    }
  }

  /** switchServerAsync: a context on reconnectionChan, taken when the goroutine is free. */
  override switchServerAsync(onRequestFail: boolean): void {
    this.signals.push(onRequestFail);
    if (this.busy || !this.timerStarted) return;
    this.busy = true;
    this.host.schedule(0, onSignal, this);
  }

  timerFires(): void {
    this.timer = -1;
    if (this.busy) {
      this.timerFired = true;
      return;
    }
    this.busy = true;
    this.timerCheck();
  }

  /** healthCheck(timer): skipped if something succeeded within KEEP_ALIVE_TIME; the timer is reset either way. */
  private timerCheck(): void {
    this.inTimerCycle = true;
    if (this.now - this.lastActiveUs < msToUs(this.s.keepAliveMs)) {
      this.waitForSignal();
      return;
    }
    this.healthCheck('idle');
  }

  /** For tests: whether the timer is pending (it always is while the goroutine is idle). */
  get timerPending(): boolean {
    return this.timer >= 0 || this.timerFired;
  }
}

const onTimer = (arg: unknown): void => (arg as GoRpcClient).timerFires();
const onSignal = (arg: unknown): void => (arg as GoRpcClient).runSignal();
