import type { EventHandle } from '../../sim/event-queue.js';
import type { Host } from '../../sim/host.js';
import { ServicePool } from '../../sim/service-queue.js';
import type { RpcResult } from '../../sim/stream-rpc.js';
import { msToUs } from '../../sim/time.js';
import { V2_CONSTANTS as K } from './defaults.js';
import type { Response, ServerRequest } from './messages.js';
import type { Transport } from './server.js';
import type { V2Settings } from './settings.js';

/** What the ejector needs from the server. */
export interface EjectorHost {
  /** The registered connections it must watch, in registration order. */
  readonly watched: ReadonlyMap<number, Transport>;
  unregister(t: Transport, reason: string): void;
}

/** One ejector run's probes (the CountDownLatch and the success set). */
interface Round {
  readonly ejector: Ejector;
  readonly probed: readonly Transport[];
  readonly answered: Set<Transport>;
  left: number;
  /** Probes not sent yet (the ejector thread sends them one after another). */
  unsent: number;
  timer: EventHandle;
  finished: boolean;
}

interface Probe {
  readonly round: Round;
  readonly t: Transport;
}

/**
 * The outdated-connection ejector (ConnectionManager.start → scheduleWithFixedDelay(1 s, 3 s)):
 * every registered connection silent for ≥ 20 s gets a ClientDetectionRequest; the run waits for
 * all answers (at most the probe wait), unregisters the silent ones, and the next run starts 3 s
 * after this one ends. 2.0-2.1: 1 s probe timeout, 3 s wait; 2.3+: 5 s and 5 s; 2.2.0-2.2.4:
 * the run does nothing (NacosRuntimeConnectionEjector.doEject only logs). With a probe cost the
 * probes leave one after another, and the wait for their answers starts after the last.
 */
export class Ejector {
  private readonly thread: ServicePool;

  constructor(
    private readonly host: Host,
    private readonly s: V2Settings,
    private readonly server: EjectorHost,
  ) {
    this.thread = new ServicePool(host, 'ejector', K.ejectorThreads);
  }

  start(): void {
    this.host.schedule(msToUs(this.s.ejectorFirstRunMs), this.run);
  }

  private next(): void {
    this.host.schedule(msToUs(K.ejectorPeriodMs), this.run);
  }

  private readonly run = (): void => {
    if (!this.s.ejection) {
      this.next();
      return;
    }
    const now = this.host.now();
    const limitUs = msToUs(K.idleLimitMs);
    const probed: Transport[] = [];
    for (const t of this.server.watched.values()) if (now - t.lastActiveUs >= limitUs) probed.push(t);
    if (probed.length === 0) {
      this.next();
      return;
    }
    const round: Round = { ejector: this, probed, answered: new Set(), left: probed.length, unsent: probed.length, timer: -1, finished: false };
    for (const t of probed) this.thread.submit(this.s.capacity.probeUs, onSendProbe, { round, t } satisfies Probe);
  };

  sendProbe(p: Probe): void {
    const { round, t } = p;
    this.host.record('probe.send', { instance: t.client, connection: t.connectionId });
    const req: ServerRequest = { type: 'clientDetection' };
    if (!t.ch.request(req, msToUs(this.s.probeTimeoutMs), onProbeResult, p)) round.left--;
    if (--round.unsent > 0 || round.finished) return;
    if (round.left === 0) {
      this.finish(round);
      return;
    }
    round.timer = this.host.schedule(msToUs(this.s.probeWaitMs), onRoundTimeout, round);
  }

  probeResult(r: RpcResult, p: Probe): void {
    const { round, t } = p;
    if (r.ok && (r.body as Response).code === K.successCode) {
      t.lastActiveUs = this.host.now();
      round.answered.add(t);
      this.host.record('probe.reply', { instance: t.client, connection: t.connectionId });
    }
    if (--round.left === 0) this.finish(round);
  }

  finish(round: Round): void {
    if (round.finished) return;
    round.finished = true;
    if (round.timer >= 0) this.host.cancel(round.timer);
    for (const t of round.probed) if (!round.answered.has(t)) this.server.unregister(t, 'ejected');
    this.next();
  }
}

const onSendProbe = (arg: unknown): void => (arg as Probe).round.ejector.sendProbe(arg as Probe);
const onProbeResult = (r: RpcResult, ctx: unknown): void => {
  const p = ctx as Probe;
  p.round.ejector.probeResult(r, p);
};
const onRoundTimeout = (arg: unknown): void => {
  const round = arg as Round;
  round.ejector.finish(round);
};
