/**
 * The kernel settings of one host's TCP stack: the sysctls operators turn to bound half-open
 * connections, plus CONFIG_HZ (the jiffy every TCP timer is counted in). Sysctls are per network
 * namespace in Linux, so each simulated host has its own set; a socket can override the
 * keepalive three with setsockopt (TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT), see
 * `KeepaliveOption` in stream-conn.ts.
 *
 * Defaults and sources are in tcp-defaults.ts (one table); this file is only the shape.
 */
export interface TcpSysctls {
  /** CONFIG_HZ: timer ticks per second (250 on the kernel measured here, real-tcp.md). */
  readonly hz: number;
  /** net.ipv4.tcp_retries2: give-up boundary for an established connection with unacknowledged data. */
  readonly retries2: number;
  /** net.ipv4.tcp_orphan_retries: same for a socket the process already closed (0 means 8). */
  readonly orphanRetries: number;
  /** net.ipv4.tcp_syn_retries: SYN retransmissions before connect() fails. */
  readonly synRetries: number;
  /** net.ipv4.tcp_syn_linear_timeouts: the first N SYN retransmission timeouts do not back off (Linux 6.5+). */
  readonly synLinearTimeouts: number;
  /** net.ipv4.tcp_synack_retries: SYN-ACK retransmissions before a SYN_RECV entry is dropped. */
  readonly synackRetries: number;
  /** net.ipv4.tcp_keepalive_time, in ms: idle time before the first keepalive probe. */
  readonly keepaliveTimeMs: number;
  /** net.ipv4.tcp_keepalive_intvl, in ms: interval between unanswered probes. */
  readonly keepaliveIntvlMs: number;
  /** net.ipv4.tcp_keepalive_probes: unanswered probes before the connection is reset. */
  readonly keepaliveProbes: number;
}
