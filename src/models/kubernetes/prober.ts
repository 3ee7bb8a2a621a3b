import type { Host } from '../../sim/host.js';
import { type Micros, msToUs } from '../../sim/time.js';
import type { K8sSettings } from './settings.js';

/**
 * A readiness probe worker (pkg/kubelet/prober/worker.go): a ticker every periodSeconds; each
 * probe asks the app (HTTP GET on the pod's own node: no network path of livesim's) and counts a
 * failure when no answer comes within timeoutSeconds (a frozen app) or the connection is refused
 * (a dead one). The result flips after failureThreshold failures (successThreshold successes) in
 * a row (doProbe's resultRun); a container starts not Ready (readiness's initial result is Failure).
 */
export class ReadinessProber {
  private result = false;
  private run = 0;
  private stopped = false;

  constructor(
    private readonly app: Host,
    private readonly s: K8sSettings,
    private readonly phaseUs: Micros,
    private readonly onChange: (ready: boolean) => void,
  ) {}

  start(): void {
    this.app.sim.schedule(this.phaseUs, this.tick);
  }

  stop(): void {
    this.stopped = true;
  }

  private readonly tick = (): void => {
    if (this.stopped) return;
    this.app.sim.schedule(msToUs(this.s.probePeriodMs), this.tick);
    this.probe();
  };

  private probe(): void {
    if (this.app.process === 'dead') {
      this.observe(false);
      return;
    }
    let answered = false;
    const timer = this.app.sim.schedule(msToUs(this.s.probeTimeoutMs), () => {
      if (answered) return;
      answered = true;
      this.observe(false);
    });
    // The app answers at once when running; a frozen one when it resumes (if within the timeout).
    this.app.runInProcess(() => {
      if (answered) return;
      answered = true;
      this.app.sim.cancel(timer);
      this.observe(true);
    });
  }

  private observe(ok: boolean): void {
    if (this.stopped) return;
    if (ok === this.result) {
      this.run = 0;
      return;
    }
    this.run++;
    if (this.run < (ok ? this.s.successThreshold : this.s.failureThreshold)) return;
    this.result = ok;
    this.run = 0;
    this.onChange(ok);
  }
}
