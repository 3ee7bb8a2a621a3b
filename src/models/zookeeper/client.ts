import type { Endpoint } from '../../sim/endpoint.js';
import { ZK } from './messages.js';
import { ZkSession } from './session.js';
import type { ZkSettings } from './settings.js';

/** A provider: its session, and its ephemeral node created in every new session (Curator's recipe; Dubbo registers this way). */
export class ZkProvider {
  private readonly session: ZkSession;

  constructor(ep: Endpoint, s: ZkSettings, server: string) {
    this.session = new ZkSession(ep, s, server, (fresh) => {
      if (fresh) this.session.send(ZK.create, {});
    });
    for (const kind of [ZK.pong, ZK.created]) ep.onApp(kind, () => this.session.heard());
  }

  start(): void {
    this.session.start();
  }
}

/** A consumer: getChildren with a watch, and again at every NodeChildrenChanged; the usable view is the children it read last. */
export class ZkConsumer {
  private readonly session: ZkSession;
  private view: string | null = null;

  constructor(
    private readonly ep: Endpoint,
    s: ZkSettings,
    server: string,
  ) {
    this.session = new ZkSession(ep, s, server, (fresh) => {
      if (fresh) this.read();
    });
    ep.onApp(ZK.pong, () => this.session.heard());
    ep.onApp(ZK.watch, () => {
      this.session.heard();
      this.read();
    });
    ep.onApp(ZK.children, (d) => {
      this.session.heard();
      const view = (d.body as { children: readonly string[] }).children.join(',');
      if (view !== this.view) {
        this.view = view;
        this.ep.host.record('view.update', { instances: view });
      }
    });
  }

  start(): void {
    this.session.start();
  }

  private read(): void {
    this.session.send(ZK.getChildren, {});
  }
}
