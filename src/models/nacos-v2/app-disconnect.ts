import type { Endpoint } from '../../sim/endpoint.js';
import { msToUs, usToMs } from '../../sim/time.js';
import { type Config, num, str } from '../knob.js';
import { V2_KEYS as KEY } from './defaults.js';

/**
 * The provider application around the Nacos client, for the one thing an application can do
 * about a long disconnection (issue 16; the seed's expert answer: "detect the long disconnection
 * and call the deregister API"). Every `checkInterval` it asks NamingService.getServerStatus()
 * (DOWN unless the RpcClient is RUNNING), as Spring Cloud Alibaba's NacosDiscoveryHealthIndicator
 * does; once every check for `disconnectAfter` has said DOWN it acts, once:
 *   stop-serving  refuses its consumers' calls (a graceful-shutdown hook without deregistration);
 *                 the registry is unchanged; it serves again when the status is UP;
 *   deregister    NamingService.deregisterInstance: sent only while connected (here it never is);
 *                 otherwise the redo service drops the registration (RedoData.getRedoType → REMOVE),
 *                 so nothing reaches the server, and the reconnect does not re-register it;
 *   exit          the process ends (System.exit / the pod is killed): its kernel sends a FIN,
 *                 which the server sees only if the path carries it.
 * States: watching → acted (stop-serving: acted ⇄ watching).
 */
export type AppAction = 'none' | 'stop-serving' | 'deregister' | 'exit';

export interface AppSettings {
  readonly action: Exclude<AppAction, 'none'>;
  readonly afterMs: number;
  readonly checkMs: number;
}

/** The application's settings, or null when it does nothing (no timers: runs without the knob are unchanged). */
export const appSettings = (c: Config): AppSettings | null => {
  const action = (c[KEY.appOnDisconnect] === undefined ? 'none' : str(c, KEY.appOnDisconnect)) as AppAction;
  if (action === 'none') return null;
  return { action, afterMs: num(c, KEY.appDisconnectAfter), checkMs: num(c, KEY.appCheckInterval) };
};

/** What the watch needs from the client: its status and the two calls an application can make. */
export interface AppHooks {
  /** NamingService.getServerStatus() === 'UP'. */
  serverUp(): boolean;
  /** NamingService.deregisterInstance. */
  deregister(): void;
  /** The process ends: its OS closes its sockets. */
  exit(): void;
}

export class DisconnectWatch {
  private state: 'watching' | 'acted' = 'watching';
  private downSinceUs: number | null = null;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: AppSettings,
    private readonly hooks: AppHooks,
  ) {}

  start(): void {
    this.ep.host.schedule(msToUs(this.s.checkMs), this.check);
  }

  private readonly check = (): void => {
    const now = this.ep.host.now();
    const up = this.hooks.serverUp();
    if (up) {
      this.downSinceUs = null;
      if (this.state === 'acted' && this.s.action === 'stop-serving') {
        this.state = 'watching';
        this.ep.host.record('app.serving', {});
      }
    } else if (this.state === 'watching') {
      this.downSinceUs ??= now;
      if (now - this.downSinceUs >= msToUs(this.s.afterMs)) this.act();
    }
    if (this.s.action !== 'exit' || this.state === 'watching') this.ep.host.schedule(msToUs(this.s.checkMs), this.check);
  };

  private act(): void {
    this.state = 'acted';
    this.ep.host.record(`app.${this.s.action}`, { downForMs: usToMs(this.ep.host.now() - (this.downSinceUs ?? 0)) });
    if (this.s.action === 'deregister') this.hooks.deregister();
    if (this.s.action === 'exit') this.hooks.exit();
  }
}
