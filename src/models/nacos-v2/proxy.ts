import { Host } from '../../sim/host.js';
import type { StreamNet } from '../../sim/stream.js';
import { TcpProxy } from '../../sim/tcp-proxy.js';
import { msToUs } from '../../sim/time.js';
import type { Config } from '../knob.js';
import type { World } from '../model.js';
import { PROXY_CONNECT_FALLBACK_MS, PROXY_HOST, PROXY_KEYS, PROXY_PRODUCTS, type ProxyKind } from '../proxy/defaults.js';

export const proxyKind = (c: Config): ProxyKind => (c[PROXY_KEYS.proxy] ?? 'none') as ProxyKind;

/**
 * Puts the configured proxy in the world: a host of its own with stock Linux sysctls and no
 * SO_KEEPALIVE on its sockets (nginx proxy_socket_keepalive off). Null for `none`.
 */
export const installProxy = (world: World, streams: StreamNet, config: Config): Host | null => {
  const servers = world.servers.map((h) => h.name);
  const kind = proxyKind(config);
  if (kind === 'none') return null;
  const product = PROXY_PRODUCTS[kind];
  const idle = config[PROXY_KEYS.idleTimeout];
  const host = new Host(world.sim, PROXY_HOST);
  new TcpProxy(streams.stack(world.endpoint(host)), {
    upstreams: servers,
    idleTimeoutUs: msToUs(typeof idle === 'number' ? idle : product.idleTimeoutMs),
    onIdle: product.onIdle,
    connectTimeoutUs: msToUs(product.connectTimeoutMs ?? PROXY_CONNECT_FALLBACK_MS),
  });
  return host;
};
