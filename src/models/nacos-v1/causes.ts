import { type Cause, ghostProcess, setting, withFaults, withSet } from '../../diagnose/cause.js';

/** The fault every "my client lost its network" cause starts from. */
export const CUT = 'cut@60s';

/**
 * Nacos 1.x causes of "never removed", "removed late", "removed while alive" and "consumers
 * still call it". Each reproduces on the user's settings and names the change that fixes it.
 */
export const V1_CAUSES: readonly Cause[] = [
  {
    id: 'v1-persistent-instance',
    model: 'nacos-v1',
    title: 'The instance is persistent (ephemeral=false): marked unhealthy, never deleted',
    explanation:
      'Persistent instances send no heartbeats; the server TCP-checks them and flips them unhealthy after 3 failed checks, but only an explicit deregister removes them. Consumers stop calling it only if they filter on health.',
    source: 'naming/.../healthcheck/HealthCheckTask.java; ClientBeatCheckTask only iterates allIPs(true) (ephemeral); api/.../naming/pojo/Instance.java',
    symptoms: ['never-removed'],
    presentIn: (u) => setting(u, 'ephemeral') === 'false',
    scenario: (u) => withFaults(withSet(u, { ephemeral: false }), [CUT]),
    remedy: { change: 'register the instance with ephemeral=true', apply: (s) => withSet(s, { ephemeral: true }) },
  },
  {
    id: 'v1-expire-instance-off',
    model: 'nacos-v1',
    title: 'nacos.naming.expireInstance=false: expired instances are only marked unhealthy',
    explanation:
      'With expireInstance off the beat check still marks a silent instance unhealthy after preserved.heart.beat.timeout, but never deletes it. With one instance and the default protect threshold 0.0 it is even returned to consumers as healthy.',
    source: 'naming/.../misc/GlobalConfig.java (nacos.naming.expireInstance, default true); ClientBeatCheckTask.run step (4)',
    symptoms: ['never-removed', 'consumers-still-call'],
    presentIn: (u) => setting(u, 'nacos.naming.expireInstance') === 'false' || setting(u, 'expireInstance') === 'false',
    scenario: (u) => withFaults(withSet(u, { 'nacos.naming.expireInstance': false }), [CUT]),
    remedy: { change: 'set nacos.naming.expireInstance=true on the server', apply: (s) => withSet(s, { 'nacos.naming.expireInstance': true }) },
  },
  {
    id: 'v1-health-check-off',
    model: 'nacos-v1',
    title: 'The healthCheckEnabled switch is off: the beat check does nothing',
    explanation:
      'ClientBeatCheckTask returns at once when the switch is off: silent instances are neither marked unhealthy nor deleted, so consumers keep the dead address.',
    source: 'naming/.../healthcheck/ClientBeatCheckTask.run step (2); naming/.../misc/SwitchDomain.healthCheckEnabled',
    symptoms: ['never-removed', 'consumers-still-call'],
    presentIn: (u) => setting(u, 'healthCheckEnabled') === 'false',
    scenario: (u) => withFaults(withSet(u, { healthCheckEnabled: false }), [CUT]),
    remedy: { change: 'PUT /nacos/v1/ns/operator/switches?entry=healthCheckEnabled&value=true', apply: (s) => withSet(s, { healthCheckEnabled: true }) },
  },
  {
    id: 'v1-push-empty-protection',
    model: 'nacos-v1',
    title: 'Consumer push-empty protection keeps the last non-empty list',
    explanation:
      'With namingPushEmptyProtection=true a consumer ignores any pushed or polled list without a healthy instance, so when the last instance is removed it keeps calling the dead address. (The Go SDK does this by default, the Node.js SDK always.)',
    source: 'client/.../naming/core/HostReactor.processServiceJson; api/.../naming/pojo/ServiceInfo.validate',
    symptoms: ['consumers-still-call'],
    presentIn: (u) => setting(u, 'namingPushEmptyProtection') === 'true',
    scenario: (u) => withFaults(withSet(u, { namingPushEmptyProtection: true }), [CUT]),
    remedy: {
      change: 'set namingPushEmptyProtection=false on the consumer (or run two or more instances)',
      apply: (s) => withSet(s, { namingPushEmptyProtection: false }),
    },
  },
  {
    id: 'v1-flapping-link',
    model: 'nacos-v1',
    title: 'A flapping link: beats keep getting through in the up-windows, so the instance stays alive',
    explanation:
      "From 1.2.0 the client's JDK keeps the beat's HTTP connection (Tomcat answers Keep-Alive: timeout=60, more than the 5 s beat), so a beat written into an outage is not a new connect but a request that TCP retransmits 0.2, 0.6, 1.4, 3.0, 6.2, 12.6 s after it (200 ms doubling) until an up-window carries it, well inside the 50 s read timeout; the server's answer rides the outages the same way. On a link down 12 s of every 19 s the retransmission that first passes the outage comes at most 6.4 s after the one before, inside the 7 s up-window: every request and every answer arrives within 12.6 s, no two beats heard are more than 5 s + 12.6 s (+ two latencies) apart, less than the 30 s delete timeout. To Nacos 1.x the instance is alive, while consumers call an address that is down most of the time. (Up-windows shorter than the backoff step, as in flap:2s/8s, miss the retransmissions and the instance is removed in the usual window.)",
    source:
      'client/.../naming/beat/BeatReactor.BeatTask (next beat scheduled after the call); common/.../http/client/request/JdkHttpClientRequest and response/JdkHttpClientResponse.close (the connection is kept, 1.2.0+); jdk8u sun/net/www/http/KeepAliveCache; tomcat 9 AbstractEndpoint.getKeepAliveTimeout (= connectionTimeout 60 s); naming/.../healthcheck/ClientBeatCheckTask',
    symptoms: ['slow-removal'],
    presentIn: () => false,
    // flap:UP/DOWN: up 7 s, down 12 s, each cycle starting with the outage (src/scenario/fault-dsl.ts).
    scenario: (u) => withFaults(u, ['flap:7s/12s@60s-400s']),
    remedy: {
      change:
        'shorten the instance metadata preserved.heart.beat.interval=2s, preserved.heart.beat.timeout=5s, preserved.ip.delete.timeout=5s: no beat is heard for 12 s in each outage, more than the 5 s delete timeout plus the 5 s check period, so the server removes the instance within the outage (it still comes back with the link, and two lost beats in a row, instead of six, can now remove a live instance); or have consumers eject failing addresses themselves',
      apply: (s) => withSet(s, { 'preserved.heart.beat.interval': '2s', 'preserved.heart.beat.timeout': '5s', 'preserved.ip.delete.timeout': '5s' }),
    },
  },
  {
    id: 'v1-beat-loop-dies',
    model: 'nacos-v1',
    title: 'Client ≤ 1.4.1: one runtime exception stops the beat loop, and a live instance expires',
    explanation:
      'Before 1.4.2 the beat task caught only NacosException and rescheduled itself outside finally; any other exception (e.g. an NPE parsing an odd reply) ended the loop, and the server deleted the healthy instance ~30 s later (#5291).',
    source: 'client/.../naming/beat/BeatReactor.java tags 1.4.1 vs 1.4.2; issue #5291, PR #5410 (commit f217246c48)',
    symptoms: ['false-removal'],
    presentIn: (u) => (u.clientVersion ?? '1.4.8').localeCompare('1.4.2', undefined, { numeric: true }) < 0,
    scenario: (u) => withFaults({ ...u, clientVersion: '1.4.1' }, ['beat-error@60s']),
    remedy: { change: 'upgrade the Nacos client to 1.4.2 or later', apply: (s) => ({ ...s, clientVersion: '1.4.2' }) },
  },
  ghostProcess('nacos-v1', 'beats', 'client/.../naming/beat/BeatReactor'),
];
