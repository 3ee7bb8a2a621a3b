import type { InstanceInfo } from './messages.js';

export interface InstanceRecord {
  readonly info: InstanceInfo;
  lastBeatUs: number;
  healthy: boolean;
  /** Persistent instances: consecutive TCP check results against the current state. */
  checkStreak: number;
  /** Beating from a quiet stepper (`quiet-client.ts`), which keeps it inside the check's envelope: the check skips it. */
  quiet?: boolean;
}

/**
 * The service's instances in registration order (a Map, as Nacos' cluster map), with two views
 * kept in the same order so that the periodic tasks walk only what they act on: the persistent
 * instances (the TCP check) and those not quiet (the beat check). At 100,000 ephemeral
 * instances a TCP check every 2–5 s over the whole map was most of a long run's time.
 *
 * The views are filters of the map in its order: an id's place in a view is where it first
 * entered the map, as long as its kind (ephemeral or not, quiet or not) never changes while it is
 * listed — which `set` checks, rebuilding a view in map order if it ever does.
 */
export class InstanceTable extends Map<string, InstanceRecord> {
  readonly persistent = new Map<string, InstanceRecord>();
  readonly judged = new Map<string, InstanceRecord>();
  /** Bumped on every change of membership or record: callers cache what they derive from the list. */
  version = 0;

  override set(id: string, record: InstanceRecord): this {
    const old = super.get(id);
    super.set(id, record);
    this.version++;
    // Constructed empty: Map's constructor never calls set before the views exist.
    if (old !== undefined && (old.info.ephemeral !== record.info.ephemeral || old.quiet !== record.quiet)) this.rebuildViews();
    else {
      if (!record.info.ephemeral) this.persistent.set(id, record);
      if (record.quiet !== true) this.judged.set(id, record);
    }
    return this;
  }

  override delete(id: string): boolean {
    this.persistent.delete(id);
    this.judged.delete(id);
    const had = super.delete(id);
    if (had) this.version++;
    return had;
  }

  override clear(): void {
    this.persistent.clear();
    this.judged.clear();
    super.clear();
    this.version++;
  }

  /** From now on a quiet stepper beats for this instance: the beat check no longer walks it. */
  markQuiet(id: string): void {
    const record = super.get(id);
    if (record === undefined) return;
    record.quiet = true;
    this.judged.delete(id);
  }

  private rebuildViews(): void {
    this.persistent.clear();
    this.judged.clear();
    for (const [id, r] of this) {
      if (!r.info.ephemeral) this.persistent.set(id, r);
      if (r.quiet !== true) this.judged.set(id, r);
    }
  }
}
