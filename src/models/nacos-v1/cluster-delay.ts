import type { EventHandle } from '../../sim/event-queue.js';
import type { Host } from '../../sim/host.js';

/**
 * NacosDelayTaskExecuteEngine as Distro uses it (common/.../task/engine, tags 1.4.8 and 2.5.1):
 * tasks keyed by (data, target), polled every 100 ms from the node's start; a task is due once
 * `now − lastProcessTime ≥ interval`. A task added under a key that is still pending merges with
 * it (DistroDelayTask.merge): it keeps the pending task's lastProcessTime, and its own action
 * unless it is the older one. Only the tick at which something is due is scheduled.
 */
export interface DelayTask<T> {
  readonly action: string;
  readonly payload: T;
  readonly intervalUs: number;
  readonly createUs: number;
  lastProcessUs: number;
}

export class DelayEngine<T> {
  private readonly tasks = new Map<string, DelayTask<T>>();
  private wakeTimer: EventHandle = -1;
  private wakeAtUs = -1;

  constructor(
    private readonly host: Host,
    private readonly tickUs: number,
    private readonly process: (key: string, task: DelayTask<T>) => void,
  ) {}

  add(key: string, action: string, payload: T, intervalUs: number): void {
    const now = this.host.now();
    const task: DelayTask<T> = { action, payload, intervalUs, createUs: now, lastProcessUs: now };
    const old = this.tasks.get(key);
    let merged = task;
    if (old !== undefined) {
      const keepOld = old.action !== action && task.createUs < old.createUs;
      merged = { ...task, ...(keepOld ? { action: old.action, payload: old.payload, createUs: old.createUs } : {}), lastProcessUs: old.lastProcessUs };
    }
    this.tasks.set(key, merged);
    this.wakeBy(this.dueUs(merged));
  }

  private dueUs(t: DelayTask<T>): number {
    return Math.max(this.tickUs, Math.ceil((t.lastProcessUs + t.intervalUs) / this.tickUs) * this.tickUs);
  }

  /** Makes sure the engine wakes at `dueUs` at the latest (the pending wake-up is never later than any task's due tick). */
  private wakeBy(dueUs: number): void {
    if (this.wakeTimer >= 0 && this.wakeAtUs <= dueUs) return;
    if (this.wakeTimer >= 0) this.host.cancel(this.wakeTimer);
    this.wakeAtUs = dueUs;
    this.wakeTimer = this.host.schedule(Math.max(0, dueUs - this.host.now()), this.tick);
  }

  private readonly tick = (): void => {
    this.wakeTimer = -1;
    const now = this.host.now();
    const due = [...this.tasks.entries()].filter(([, t]) => now - t.lastProcessUs >= t.intervalUs);
    for (const [key] of due) this.tasks.delete(key);
    for (const [key, t] of due) this.process(key, t);
    let next = Number.POSITIVE_INFINITY;
    for (const t of this.tasks.values()) next = Math.min(next, this.dueUs(t));
    if (next < Number.POSITIVE_INFINITY) this.wakeBy(next);
  };
}
