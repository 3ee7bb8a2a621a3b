/** A service's host as a consumer's cache holds it. */
export interface CachedHost {
  readonly id: string;
  readonly healthy: boolean;
}

/**
 * What a Java consumer's processServiceInfo / processServiceJson makes of a pushed or queried
 * list, the same in 1.x (HostReactor) and 2.x (ServiceInfoHolder): with push-empty protection a
 * list without a healthy host is ignored (null); otherwise the usable view is the healthy hosts,
 * as `selectInstances(healthy=true)` reads them, written as CSV for the trace.
 */
export const usableView = (hosts: readonly CachedHost[], pushEmptyProtection: boolean): string | null =>
  pushEmptyProtection && !hosts.some((h) => h.healthy)
    ? null
    : hosts
        .filter((h) => h.healthy)
        .map((h) => h.id)
        .join(',');
