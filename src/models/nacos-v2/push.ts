import type { EventHandle } from '../../sim/event-queue.js';
import type { Host } from '../../sim/host.js';
import { ServicePool } from '../../sim/service-queue.js';
import type { RpcChannel, RpcResult } from '../../sim/stream-rpc.js';
import { msToUs } from '../../sim/time.js';
import { V2_CONSTANTS as K } from './defaults.js';
import type { Response, ServerRequest, ServiceInfo } from './messages.js';
import { perItemsUs, type V2Settings } from './settings.js';

/** A subscriber's connection as the push engine sees it. */
export interface PushTarget {
  readonly ch: RpcChannel;
  readonly client: string;
  readonly connectionId: number;
  /** Registered and subscribed: a client that disconnected is skipped (PushExecuteTask). */
  subscribed(): boolean;
}

/** PushDelayTask: merged per service (one service here): targets unite, the earliest start wins. */
interface PushTask {
  pushToAll: boolean;
  readonly targets: Set<PushTarget>;
  lastProcessUs: number;
  readonly delayUs: number;
}

interface InFlight {
  readonly engine: PushEngine;
  readonly target: PushTarget;
  readonly pushId: number;
}

/**
 * The server's push path (naming/.../push/v2): PushDelayTaskExecuteEngine ticks every 100 ms and
 * runs a task once `now − lastProcessTime ≥ delay`; PushExecuteTask sends NotifySubscriberRequest
 * to each target with a callback timeout; a failure re-queues a task for that target after the
 * retry delay, without limit (skipped once the subscriber's client is gone). The task runs on the
 * service's one dispatcher worker: with a push cost the subscribers are served one after another.
 */
export class PushEngine {
  private task: PushTask | null = null;
  private wakeTimer: EventHandle = -1;
  private wakeAtUs = -1;
  private nextPushId = 1;
  private readonly worker: ServicePool;

  constructor(
    private readonly host: Host,
    private readonly s: V2Settings,
    private readonly subscribers: () => Iterable<PushTarget>,
    private readonly data: () => ServiceInfo,
  ) {
    this.worker = new ServicePool(host, 'push', K.pushWorkerThreads);
  }

  /** ServiceChangedEvent (all subscribers) or ServiceSubscribedEvent / a retry (one target). */
  add(target: PushTarget | null, delayMs: number): void {
    const now = this.host.now();
    const task: PushTask = { pushToAll: target === null, targets: new Set(), lastProcessUs: now, delayUs: msToUs(delayMs) };
    if (target !== null) task.targets.add(target);
    const old = this.task;
    if (old !== null) {
      // PushDelayTask.merge: the new task absorbs the old one and keeps its own delay.
      if (task.pushToAll || old.pushToAll) {
        task.pushToAll = true;
        task.targets.clear();
      } else for (const t of old.targets) task.targets.add(t);
      task.lastProcessUs = Math.min(task.lastProcessUs, old.lastProcessUs);
    }
    this.task = task;
    this.arm();
  }

  /** The first engine tick (multiples of 100 ms since the server started) at which the task is due. */
  private arm(): void {
    const task = this.task;
    if (task === null) return;
    const tickUs = msToUs(K.pushEngineTickMs);
    const dueUs = Math.ceil((task.lastProcessUs + task.delayUs) / tickUs) * tickUs;
    if (this.wakeTimer >= 0 && this.wakeAtUs === dueUs) return;
    if (this.wakeTimer >= 0) this.host.cancel(this.wakeTimer);
    this.wakeAtUs = dueUs;
    this.wakeTimer = this.host.schedule(Math.max(0, dueUs - this.host.now()), this.wake);
  }

  private readonly wake = (): void => {
    this.wakeTimer = -1;
    const task = this.task;
    if (task === null) return;
    if (this.host.now() - task.lastProcessUs < task.delayUs) {
      this.arm();
      return;
    }
    this.task = null;
    this.execute(task);
  };

  /** PushExecuteTask.run: the data is generated now, for every target still subscribed (when its turn comes). */
  private execute(task: PushTask): void {
    const serviceInfo = this.data();
    const targets = task.pushToAll ? [...this.subscribers()] : [...task.targets];
    const costUs = this.s.capacity.pushUs + perItemsUs(this.s.capacity.serializePer1000Us, serviceInfo.hosts.length);
    for (const target of targets) this.worker.submit(costUs, () => this.pushTo(target, serviceInfo));
  }

  private pushTo(target: PushTarget, serviceInfo: ServiceInfo): void {
    if (!target.subscribed()) return;
    const pushId = this.nextPushId++;
    this.host.record('push.send', { to: target.client, connection: target.connectionId, pushId });
    const req: ServerRequest = { type: 'notify', serviceInfo };
    const flight: InFlight = { engine: this, target, pushId };
    if (!target.ch.request(req, msToUs(this.s.pushTaskTimeoutMs), onPushResult, flight)) this.result({ ok: false, error: 'closed' }, flight);
  }

  result(r: RpcResult, f: InFlight): void {
    if (r.ok && (r.body as Response).code === K.successCode) {
      this.host.record('push.ack', { from: f.target.client, pushId: f.pushId });
      return;
    }
    this.host.record('push.fail', { to: f.target.client, pushId: f.pushId, error: r.ok ? 'error' : r.error });
    this.add(f.target, this.s.pushTaskRetryDelayMs);
  }
}

const onPushResult = (r: RpcResult, ctx: unknown): void => (ctx as InFlight).engine.result(r, ctx as InFlight);
