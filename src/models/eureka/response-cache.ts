import type { Host } from '../../sim/host.js';
import { type Micros, msToUs } from '../../sim/time.js';
import type { EurekaSettings } from './settings.js';

/**
 * ResponseCacheImpl (eureka-core/.../registry, tag v2.0.6) for the one key consumers fetch: the
 * readWrite cache builds the payload from the registry on demand and is invalidated at every
 * register and cancel; with the readOnly cache on (the default) fetches are served from the
 * readOnly copy, which its timer replaces by the readWrite value every update interval (only once
 * a fetch has put the key there). The readWrite entry's 180 s auto-expiry rebuilds the same
 * content and is not modelled.
 */
export class ResponseCache {
  private readWrite: readonly string[] | null = null;
  private readOnly: readonly string[] | null = null;

  constructor(
    private readonly host: Host,
    private readonly s: EurekaSettings,
    phaseUs: Micros,
    private readonly registry: () => readonly string[],
  ) {
    if (s.readOnlyCache) host.schedule(phaseUs, this.update);
  }

  invalidate(): void {
    this.readWrite = null;
  }

  /** getValue(key, useReadOnlyCache). */
  get(): readonly string[] {
    if (!this.s.readOnlyCache) return this.load();
    if (this.readOnly === null) this.readOnly = this.load();
    return this.readOnly;
  }

  private load(): readonly string[] {
    if (this.readWrite === null) this.readWrite = this.registry();
    return this.readWrite;
  }

  /** getCacheUpdateTask: for each key in readOnly, `if (cacheValue != currentCacheValue) readOnly.put(key, cacheValue)`. */
  private readonly update = (): void => {
    if (this.readOnly !== null) {
      const value = this.load();
      if (value !== this.readOnly) {
        this.readOnly = value;
        this.host.record('cache.update', { instances: value.length });
      }
    }
    this.host.schedule(msToUs(this.s.responseCacheUpdateMs), this.update);
  };
}
