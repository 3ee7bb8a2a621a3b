import type { Host } from './host.js';
import type { StreamConn } from './stream-conn.js';
import type { PingKeepalive } from './stream-keepalive.js';
import type { StreamWire } from './stream-wire.js';
import type { TcpSysctls } from './tcp-settings.js';

/** The states of one connection end (the transitions are listed in stream-conn.ts). */
export type StreamState = 'connecting' | 'syn-received' | 'open' | 'closing' | 'closed';

export type CloseReason = 'fin' | 'reset' | 'retransmit-timeout' | 'keepalive-timeout' | 'ping-timeout';
export type ConnectError = 'timeout' | 'refused';
export type ConnectResult = { readonly ok: true; readonly conn: StreamConn } | { readonly ok: false; readonly error: ConnectError };
export type ConnectCallback = (result: ConnectResult, ctx: unknown) => void;

export interface StreamHandler {
  onMessage(conn: StreamConn, message: unknown): void;
  onClose(conn: StreamConn, reason: CloseReason): void;
  /**
   * A keepalive PING or its PONG arrived. A handler that has this owns them (a byte relay passes
   * them on to its other leg, `writeControl`); without it the end answers a PING itself.
   */
  onControl?(conn: StreamConn, control: StreamControl): void;
}

/** The keepalive frames a relay can see and pass on (HTTP/2 PING and its ACK are bytes to an L4 proxy). */
export type StreamControl = 'ping' | 'pong';

/** A PING the process sends after `timeUs` without reading anything; no answer in `timeoutUs` closes. */
export type { PingKeepalive } from './stream-keepalive.js';

/** Per-socket keepalive settings (setsockopt TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT), overriding the sysctls. */
export interface KeepaliveOption {
  readonly idleMs: number;
  readonly intvlMs: number;
  readonly probes: number;
}

export interface StreamOptions {
  /**
   * SO_KEEPALIVE: true probes with the host's sysctls (net.ipv4.tcp_keepalive_*), an object
   * with its own per-socket values; off (the kernel's default for a socket) when absent.
   */
  readonly tcpKeepalive?: boolean | KeepaliveOption;
  readonly ping?: PingKeepalive | null;
}

/** What an end needs from its host's stack. */
export interface StackContext {
  readonly host: Host;
  readonly sysctls: TcpSysctls;
  readonly wire: StreamWire;
  forget(end: StreamConn): void;
  /** The handshake completed on the accepting side: the process must be handed the connection. */
  accepted(end: StreamConn): boolean;
  /** Runs in the process, first thing it reads from the connection. */
  acceptInProcess(end: StreamConn): void;
}
