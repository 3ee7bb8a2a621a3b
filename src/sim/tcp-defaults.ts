import type { TcpSysctls } from './tcp-settings.js';
import type { Micros } from './time.js';

/**
 * The Linux TCP constants and sysctls that decide how long a connection survives a silent peer,
 * one row each with its source (Linux 6.x: the kernel measured in shared/reference/real-tcp.md
 * is 6.18). The stream transport (stream-conn.ts, tcp-sender.ts, tcp-rtt.ts, timer-wheel.ts)
 * reads nothing else.
 */

/** Compile-time constants of the kernel (include/net/tcp.h), in µs. */
export const TCP_KERNEL = {
  /** TCP_RTO_MIN (HZ/5): the RTO floor, and the base of tcp_model_timeout(). */
  rtoMinUs: 200_000,
  /** TCP_RTO_MAX (120*HZ): the RTO ceiling. */
  rtoMaxUs: 120_000_000,
  /** TCP_TIMEOUT_INIT (1*HZ): the RTO before any RTT sample, so the SYN's. */
  timeoutInitUs: 1_000_000,
  /** TCP_TIMEOUT_MIN_US (2 ms): what a loss probe adds to 2·srtt when more than one segment is out. */
  timeoutMinUs: 2_000,
} as const;

/** A stock Linux host: what every simulated host runs unless a scenario sets `sim.client.net.ipv4.*` / `sim.server.net.ipv4.*`. */
export const LINUX_TCP_SYSCTLS: TcpSysctls = {
  hz: 250,
  retries2: 15,
  orphanRetries: 0,
  synRetries: 6,
  synLinearTimeouts: 4,
  synackRetries: 5,
  keepaliveTimeMs: 7_200_000,
  keepaliveIntvlMs: 75_000,
  keepaliveProbes: 9,
};

/**
 * The range a scenario may set each sysctl to: the kernel's own limits (include/net/tcp.h
 * MAX_TCP_SYNCNT 127, MAX_TCP_KEEPIDLE / MAX_TCP_KEEPINTVL 32767 s, MAX_TCP_KEEPCNT 127;
 * tcp_retries2 is a u8 in net/ipv4/sysctl_net_ipv4.c). Durations in ms.
 */
export const TCP_SYSCTL_LIMITS = {
  retries2: { min: 1, max: 255 },
  synRetries: { min: 1, max: 127 },
  keepaliveTimeMs: { min: 1000, max: 32_767_000 },
  keepaliveIntvlMs: { min: 1000, max: 32_767_000 },
  keepaliveProbes: { min: 1, max: 127 },
} as const;

export interface TcpDefaultRow {
  /** The sysctl, or the kernel macro. */
  readonly key: string;
  readonly value: string;
  /** File and function of the kernel that decides it. */
  readonly source: string;
  /** The TcpSysctls field a scenario can set (`sim.client.<key>`), if it is a sysctl. */
  readonly field?: keyof TcpSysctls;
}

const SYSCTL_DOC = 'Documentation/networking/ip-sysctl.rst';

/** The one table: every TCP rule the transport follows, with where Linux says so. */
export const TCP_DEFAULT_ROWS: readonly TcpDefaultRow[] = [
  { key: 'TCP_RTO_MIN', value: '200 ms', source: 'include/net/tcp.h; net/ipv4/tcp_input.c tcp_rtt_estimator (rttvar ≥ rto_min)' },
  { key: 'TCP_RTO_MAX', value: '120 s', source: 'include/net/tcp.h; net/ipv4/tcp_timer.c tcp_retransmit_timer (rto = min(2·rto, RTO_MAX))' },
  { key: 'TCP_TIMEOUT_INIT', value: '1 s', source: 'include/net/tcp.h; RFC 6298 §2.1 (SYN RTO, loss probe before any sample)' },
  { key: 'RTO', value: 'srtt + max(4·mdev, 200 ms), in jiffies', source: 'net/ipv4/tcp_input.c tcp_rtt_estimator, tcp_set_rto, tcp_bound_rto' },
  {
    key: 'tail-loss probe',
    value: '2·srtt + 200 ms (1 segment out) or + 2 ms, ≤ RTO',
    source: 'net/ipv4/tcp_output.c tcp_schedule_loss_probe, tcp_send_loss_probe (net.ipv4.tcp_early_retrans = 3)',
  },
  {
    key: 'give-up',
    value: 'at an RTO expiry, tcp_model_timeout(retries) after the first RTO retransmission',
    source: 'net/ipv4/tcp_timer.c tcp_write_timeout, retransmits_timed_out (from tp->retrans_stamp), tcp_model_timeout',
  },
  {
    key: 'Loss state',
    value: 'cwnd = 1 after an RTO: only the head is resent, new data and FIN wait',
    source: 'net/ipv4/tcp_input.c tcp_enter_loss; net/ipv4/tcp_output.c tcp_write_xmit (tcp_cwnd_test)',
  },
  { key: 'close with unread data', value: 'RST instead of FIN', source: 'net/ipv4/tcp.c __tcp_close (data_was_unread → tcp_send_active_reset)' },
  { key: 'CONFIG_HZ', value: '250', source: 'kernel config; measured on the kernel of real-tcp.md', field: 'hz' },
  { key: 'timer wheel', value: '64 buckets a level, 8× coarser per level', source: 'kernel/time/timer.c calc_wheel_index, calc_index' },
  { key: 'net.ipv4.tcp_retries2', value: '15', source: `${SYSCTL_DOC}; net/ipv4/tcp_timer.c tcp_write_timeout`, field: 'retries2' },
  {
    key: 'net.ipv4.tcp_orphan_retries',
    value: '0 (8 while RTO < 120 s)',
    source: `${SYSCTL_DOC}; net/ipv4/tcp_timer.c tcp_orphan_retries`,
    field: 'orphanRetries',
  },
  { key: 'net.ipv4.tcp_syn_retries', value: '6', source: `${SYSCTL_DOC}; net/ipv4/tcp_timer.c tcp_write_timeout`, field: 'synRetries' },
  {
    key: 'net.ipv4.tcp_syn_linear_timeouts',
    value: '4',
    source: `${SYSCTL_DOC} (Linux 6.5+); net/ipv4/tcp_timer.c tcp_retransmit_timer, tcp_write_timeout`,
    field: 'synLinearTimeouts',
  },
  { key: 'net.ipv4.tcp_synack_retries', value: '5', source: `${SYSCTL_DOC}; net/ipv4/inet_connection_sock.c`, field: 'synackRetries' },
  { key: 'net.ipv4.tcp_keepalive_time', value: '7200 s', source: `${SYSCTL_DOC}; net/ipv4/tcp_timer.c tcp_keepalive_timer`, field: 'keepaliveTimeMs' },
  { key: 'net.ipv4.tcp_keepalive_intvl', value: '75 s', source: `${SYSCTL_DOC}; net/ipv4/tcp_timer.c tcp_keepalive_timer`, field: 'keepaliveIntvlMs' },
  { key: 'net.ipv4.tcp_keepalive_probes', value: '9', source: `${SYSCTL_DOC}; net/ipv4/tcp_timer.c tcp_keepalive_timer`, field: 'keepaliveProbes' },
];

/**
 * tcp_model_timeout() (net/ipv4/tcp_timer.c), in µs: how long after the first RTO
 * retransmission (retrans_stamp) an RTO expiry gives up, for `boundary` retries with the RTO
 * doubling from TCP_RTO_MIN: (2^(b+1) − 1)·200 ms up to the ninth doubling, 120 s a retry after.
 * 15 → 924.6 s, 8 → 102.2 s, 3 → 3.0 s.
 */
export const modelTimeoutUs = (boundary: number, rtoBaseUs: Micros = TCP_KERNEL.rtoMinUs): Micros => {
  const thresh = Math.floor(Math.log2(TCP_KERNEL.rtoMaxUs / rtoBaseUs));
  if (boundary <= thresh) return (2 ** (boundary + 1) - 1) * rtoBaseUs;
  return (2 ** (thresh + 1) - 1) * rtoBaseUs + (boundary - thresh) * TCP_KERNEL.rtoMaxUs;
};

/**
 * The window in which an established connection with unacknowledged data gives up, measured
 * from the segment's first transmission, for bounds: no earlier than the model timeout itself
 * (the first RTO retransmission comes ≥ 200 ms after the send), no later than one loss probe,
 * one RTO and the model timeout plus the expiry that checks it (an RTO of at most 120 s past
 * it), each RTO at most `rtoCapUs` above its nominal value for the estimator and the wheel.
 */
export const giveUpWindowUs = (retries: number): { readonly lowerUs: Micros; readonly upperUs: Micros } => {
  const nominal = modelTimeoutUs(retries);
  return { lowerUs: nominal, upperUs: nominal + TCP_KERNEL.rtoMaxUs + 2 * TCP_KERNEL.timeoutInitUs };
};

// ——— the legacy view, for the 1.x HTTP client (http.ts) and its bounds ———

/** The sysctls and constants above under the names the HTTP request model and bounds.ts read. */
export const TCP_DEFAULTS = {
  rtoMinMs: TCP_KERNEL.rtoMinUs / 1000,
  rtoMaxMs: TCP_KERNEL.rtoMaxUs / 1000,
  rtoInitialMs: TCP_KERNEL.timeoutInitUs / 1000,
  retries2: LINUX_TCP_SYSCTLS.retries2,
  orphanRetries: 8,
  synRetries: LINUX_TCP_SYSCTLS.synRetries,
  synackRetries: LINUX_TCP_SYSCTLS.synackRetries,
  keepaliveTimeMs: LINUX_TCP_SYSCTLS.keepaliveTimeMs,
  keepaliveIntvlMs: LINUX_TCP_SYSCTLS.keepaliveIntvlMs,
  keepaliveProbes: LINUX_TCP_SYSCTLS.keepaliveProbes,
} as const;

/** RTO after `backoff` consecutive expiries from the floor (the HTTP model's simplification: no estimator). */
export const rtoMs = (backoff: number): number => Math.min(TCP_DEFAULTS.rtoMinMs * 2 ** backoff, TCP_DEFAULTS.rtoMaxMs);
