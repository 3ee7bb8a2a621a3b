import { type Cause, setting, withFaults } from '../../diagnose/cause.js';
import type { ScenarioFile } from '../../scenario/scenario.js';
import { PROXY_KEYS, PROXY_PRODUCTS } from '../proxy/defaults.js';

/** The proxy the user runs behind (`--proxy`, or `set sim.proxy`); 'none' without one. */
export const proxyOf = (u: ScenarioFile): string => u.proxy ?? setting(u, PROXY_KEYS.proxy) ?? 'none';

const inRange = (v: string | undefined, lo: string, hi: string): boolean => {
  if (v === undefined) return false;
  const cmp = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });
  return cmp(v, lo) >= 0 && cmp(v, hi) <= 0;
};

/** The user's 2.2.0-2.2.4 server, or 2.2.3: where no ejector runs and the proxy decides. */
const on22 = (u: ScenarioFile): string => (inRange(u.serverVersion, '2.2.0', '2.2.4') ? (u.serverVersion as string) : '2.2.3');

/** The client leg is cut: the client is gone, the server leg (proxy → server) stays up. */
const CLIENT_LEG_CUT = 'cut:c1-proxy@60s';

const minutes = (ms: number): string => `${ms / 60_000} min`;

/**
 * Causes that a proxy in front of 9848/9849 brings (docs/models/nacos-v2.md, Proxies): the server
 * holds a connection to the proxy, not to the client, so what ends it is the proxy's own idle
 * rule. Each product's default is a row of src/models/proxy/defaults.ts with its source.
 */
export const PROXY_CAUSES: readonly Cause[] = [
  {
    id: 'v2-proxy-nginx-idle-2.2',
    model: 'nacos-v2',
    title: `Behind nginx stream on 2.2.x, nginx's proxy_timeout (${minutes(PROXY_PRODUCTS['nginx-stream'].idleTimeoutMs)}), not the 2 h keep-alive, removes a dead client`,
    explanation:
      'The server holds a connection to nginx, not to the client. When the client leg goes silent nothing crosses the proxy; proxy_timeout after the last byte nginx closes both legs and the server sees a FIN on its own. 2.2.0-2.2.4 have no ejector, so that is the first thing that ends the connection: the instance stays about 10 minutes.',
    source: `nginx src/stream/ngx_stream_proxy_module.c (proxy_timeout 10m); core/.../remote/NacosRuntimeConnectionEjector at 2.2.0..2.2.4 (#9653); test/nacos-v2-proxy.test.ts`,
    symptoms: ['slow-removal', 'consumers-still-call'],
    presentIn: (u) => proxyOf(u) === 'nginx-stream' && inRange(u.serverVersion, '2.2.0', '2.2.4'),
    scenario: (u) => withFaults({ ...u, proxy: 'nginx-stream', serverVersion: on22(u) }, [CLIENT_LEG_CUT]),
    remedy: {
      change:
        'upgrade the Nacos server to 2.3.0 or later: its ejector probes a connection idle 20 s through the proxy, and the probe times out (or, on 2.2.x, lower nginx proxy_timeout to 60s: live clients send a health check every 5 s)',
      apply: (s) => ({ ...s, serverVersion: '2.3.0' }),
    },
  },
  {
    id: 'v2-proxy-nlb-forgets-flow',
    model: 'nacos-v2',
    title: `An AWS NLB forgets an idle flow silently (${PROXY_PRODUCTS.nlb.idleTimeoutMs / 1000} s): on 2.2.x the server is never told`,
    explanation:
      "A Network Load Balancer drops an idle flow from its table without a FIN or an RST. The server leg stays ESTABLISHED with nothing to read; 2.2.0-2.2.4 have no ejector, so only the 2 h gRPC keep-alive PING (answered with the NLB's RST) ends it, and consumers keep the dead address until then.",
    source: `${PROXY_PRODUCTS.nlb.source.split(';')[0]}; core/.../remote/NacosRuntimeConnectionEjector at 2.2.0..2.2.4 (#9653)`,
    symptoms: ['never-removed', 'consumers-still-call'],
    presentIn: (u) => proxyOf(u) === 'nlb' && inRange(u.serverVersion, '2.2.0', '2.2.4'),
    scenario: (u) => withFaults({ ...u, proxy: 'nlb', serverVersion: on22(u) }, [CLIENT_LEG_CUT]),
    remedy: {
      change: 'upgrade the Nacos server to 2.3.0 or later: the ejector probes the connection after 20 s idle, the probe gets no answer and the instance goes',
      apply: (s) => ({ ...s, serverVersion: '2.3.0' }),
    },
  },
];

/** A proxy stands in front of one server: the cluster causes cannot run behind one. */
export const withoutProxy = (u: ScenarioFile): boolean => proxyOf(u) === 'none';
