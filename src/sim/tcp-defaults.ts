import type { TcpSysctls } from './tcp-settings.js';
import type { Micros } from './time.js';

/**
 * The Linux TCP constants that decide how long a connection survives a silent peer, one row
 * each with its source. Stream connections (stream.ts) use them for retransmission back-off,
 * the retransmission limit, SYN retries and SO_KEEPALIVE probing.
 */
export const TCP_DEFAULTS = {
  /** Retransmission timeout floor (and the base of the back-off). */
  rtoMinMs: 200,
  /** Retransmission timeout ceiling. */
  rtoMaxMs: 120_000,
  /** RTO before an RTT sample exists: the SYN retransmission base. */
  rtoInitialMs: 1_000,
  /** RTO expiries before an established connection with unacknowledged data is dropped. */
  retries2: 15,
  /** Same for a socket the process already closed (0 in sysctl means 8). */
  orphanRetries: 8,
  /** SYN retransmissions before connect() fails. */
  synRetries: 6,
  /** SYN-ACK retransmissions before a half-open (SYN_RECV) entry is dropped. */
  synackRetries: 5,
  /** SO_KEEPALIVE: idle time before the first probe. */
  keepaliveTimeMs: 7_200_000,
  /** SO_KEEPALIVE: interval between unanswered probes. */
  keepaliveIntvlMs: 75_000,
  /** SO_KEEPALIVE: unanswered probes before the connection is reset. */
  keepaliveProbes: 9,
} as const;

export interface TcpDefaultRow {
  readonly name: keyof typeof TCP_DEFAULTS;
  readonly key: string;
  readonly source: string;
}

export const TCP_DEFAULT_ROWS: readonly TcpDefaultRow[] = [
  { name: 'rtoMinMs', key: 'TCP_RTO_MIN (HZ/5)', source: 'linux include/net/tcp.h' },
  { name: 'rtoMaxMs', key: 'TCP_RTO_MAX (120*HZ)', source: 'linux include/net/tcp.h' },
  { name: 'rtoInitialMs', key: 'TCP_TIMEOUT_INIT (1*HZ)', source: 'linux include/net/tcp.h; RFC 6298 §2.1' },
  {
    name: 'retries2',
    key: 'net.ipv4.tcp_retries2',
    source: 'linux Documentation/networking/ip-sysctl.rst ("The default value of 15 yields a hypothetical timeout of 924.6 seconds")',
  },
  {
    name: 'orphanRetries',
    key: 'net.ipv4.tcp_orphan_retries',
    source: 'linux Documentation/networking/ip-sysctl.rst; net/ipv4/tcp_timer.c tcp_orphan_retries()',
  },
  { name: 'synRetries', key: 'net.ipv4.tcp_syn_retries', source: 'linux Documentation/networking/ip-sysctl.rst' },
  { name: 'synackRetries', key: 'net.ipv4.tcp_synack_retries', source: 'linux Documentation/networking/ip-sysctl.rst' },
  { name: 'keepaliveTimeMs', key: 'net.ipv4.tcp_keepalive_time', source: 'linux Documentation/networking/ip-sysctl.rst' },
  { name: 'keepaliveIntvlMs', key: 'net.ipv4.tcp_keepalive_intvl', source: 'linux Documentation/networking/ip-sysctl.rst' },
  { name: 'keepaliveProbes', key: 'net.ipv4.tcp_keepalive_probes', source: 'linux Documentation/networking/ip-sysctl.rst' },
];

/** RTO after `backoff` consecutive expiries: the floor doubled, capped at the ceiling. */
export const rtoMs = (backoff: number): number => Math.min(TCP_DEFAULTS.rtoMinMs * 2 ** backoff, TCP_DEFAULTS.rtoMaxMs);

/**
 * tcp_model_timeout() (net/ipv4/tcp_timer.c): the time from the first transmission of the
 * oldest unacknowledged segment at which the `retries`-th retransmission timeout expires, with
 * the RTO starting at its floor. retries2 = 15 gives 0.2 s × (2¹⁰ − 1) + 6 × 120 s = 924.6 s.
 */
export const retransmissionLimitMs = (retries: number): number => {
  let total = 0;
  for (let i = 0; i <= retries; i++) total += rtoMs(i);
  return total;
};

/** The limit for an established connection (tcp_retries2) and for an orphaned one, in µs. */
export const RETRANSMISSION_LIMIT_US: Micros = retransmissionLimitMs(TCP_DEFAULTS.retries2) * 1000;
export const ORPHAN_RETRANSMISSION_LIMIT_US: Micros = retransmissionLimitMs(TCP_DEFAULTS.orphanRetries) * 1000;

/**
 * A stock Linux host (6.x, as measured in shared/reference/real-tcp.md): what every simulated
 * host runs unless a scenario sets `sim.client.net.ipv4.*` / `sim.server.net.ipv4.*`.
 */
export const LINUX_TCP_SYSCTLS: TcpSysctls = {
  hz: 250,
  retries2: TCP_DEFAULTS.retries2,
  orphanRetries: 0,
  synRetries: TCP_DEFAULTS.synRetries,
  synLinearTimeouts: 4,
  synackRetries: TCP_DEFAULTS.synackRetries,
  keepaliveTimeMs: TCP_DEFAULTS.keepaliveTimeMs,
  keepaliveIntvlMs: TCP_DEFAULTS.keepaliveIntvlMs,
  keepaliveProbes: TCP_DEFAULTS.keepaliveProbes,
};
