import type { HostView } from './messages.js';

/**
 * The protect threshold as both server generations apply it to a query or a push: when the
 * healthy share is at or below it (with the default 0.0: when none is healthy) every instance is
 * returned as healthy. 1.x InstanceController.doSrvIpxt (tag 1.4.8); 2.x
 * ServiceUtil.selectInstancesWithHealthyProtection (tags 2.0.0–3.0.3). Returns `hosts` itself
 * when nothing changes, so that consumers may compare lists by identity.
 */
export const protectedHosts = (hosts: readonly HostView[], protectThreshold: number): readonly HostView[] => {
  const healthy = hosts.filter((h) => h.healthy).length;
  const protect = hosts.length > 0 && healthy / hosts.length <= protectThreshold;
  return protect ? hosts.map((h) => (h.healthy ? h : { id: h.id, healthy: true })) : hosts;
};
