import { PROXY } from '../../sim/faults.js';
import type { ProxyIdleAction } from '../../sim/tcp-proxy.js';
import type { Constant, Knob } from '../knob.js';

/**
 * What may stand in front of the servers' gRPC ports (9848/9849): nothing, or a proxy host named
 * `proxy` that every client and subscriber connects to instead of the servers. Each product is
 * one row of PROXY_PRODUCTS below with its documented defaults and their sources.
 */
export const PROXY_KEYS = {
  proxy: 'sim.proxy',
  idleTimeout: 'sim.proxy.idleTimeout',
} as const;

/** The name of the proxy's host: faults name its paths `cut:c1-proxy`, `cut:proxy-s1`. */
export const PROXY_HOST = PROXY;

export type ProxyKind = 'none' | 'nginx-stream' | 'nlb';

export interface ProxyProduct {
  readonly idleTimeoutMs: number;
  readonly onIdle: ProxyIdleAction;
  /** Upstream connect deadline; null: none of its own, the proxy host's tcp_syn_retries decide. */
  readonly connectTimeoutMs: number | null;
  readonly source: string;
}

/** livesim's bound on an upstream connect the kernel alone times out (131 s at tcp_syn_retries = 6). */
const KERNEL_DECIDES_MS = 3_600_000;

export const PROXY_PRODUCTS: Readonly<Record<Exclude<ProxyKind, 'none'>, ProxyProduct>> = {
  'nginx-stream': {
    idleTimeoutMs: 600_000,
    onIdle: 'close',
    connectTimeoutMs: 60_000,
    source:
      'nginx src/stream/ngx_stream_proxy_module.c ngx_stream_proxy_merge_srv_conf: timeout 10 * 60000, connect_timeout 60000; ' +
      'nginx.org/en/docs/stream/ngx_stream_proxy_module.html#proxy_timeout: "timeout between two successive read or write operations on client or proxied server connections. If no data is transmitted within this time, the connection is closed"; proxy_half_close off: a FIN on one side finalizes the session',
  },
  nlb: {
    idleTimeoutMs: 350_000,
    onIdle: 'forget',
    connectTimeoutMs: null,
    source:
      'docs.aws.amazon.com/elasticloadbalancing/latest/network/update-idle-timeout.html: "The default idle timeout value for TCP flows is 350 seconds" (60-6000 s); ' +
      'on expiry the flow leaves the table with no FIN or RST and a later packet from either side is answered with an RST (AWS NLB documentation as quoted at kupczynski.info/posts/load-balancer-gotchas; the AWS page itself not read here)',
  },
};

export const PROXY_KNOBS: readonly Knob[] = [
  {
    key: PROXY_KEYS.proxy,
    type: 'enum',
    default: 'none',
    values: ['none', 'nginx-stream', 'nlb'],
    description:
      'an L4 proxy host `proxy` in front of the servers: every client and subscriber connects to it, it opens its own connection to a server and relays bytes both ways (--proxy)',
    source: 'livesim: the products and their defaults are the table PROXY_PRODUCTS (src/models/proxy/defaults.ts)',
  },
  {
    key: PROXY_KEYS.idleTimeout,
    type: 'duration',
    default: 'auto',
    minMs: 1000,
    description: "the proxy's idle timeout: no byte either way for this long ends the session (auto: the product's default)",
    source: 'nginx proxy_timeout 10m; AWS NLB tcp.idle_timeout.seconds 350 s (PROXY_PRODUCTS)',
  },
];

const row = (name: string, value: number, description: string, source: string): Constant => ({ name, value, unit: 'ms', description, source });

export const PROXY_CONSTANT_ROWS: readonly Constant[] = [
  row(
    'nginx stream proxy_timeout',
    PROXY_PRODUCTS['nginx-stream'].idleTimeoutMs,
    'idle time after which nginx closes both legs (FIN)',
    PROXY_PRODUCTS['nginx-stream'].source,
  ),
  row(
    'nginx stream proxy_connect_timeout',
    PROXY_PRODUCTS['nginx-stream'].connectTimeoutMs ?? 0,
    'deadline of the upstream connect',
    'nginx src/stream/ngx_stream_proxy_module.c ngx_stream_proxy_merge_srv_conf: connect_timeout 60000',
  ),
  row(
    'AWS NLB TCP idle timeout',
    PROXY_PRODUCTS.nlb.idleTimeoutMs,
    'idle time after which the flow is forgotten silently (RST to later packets)',
    PROXY_PRODUCTS.nlb.source,
  ),
];

export const PROXY_CONNECT_FALLBACK_MS = KERNEL_DECIDES_MS;
