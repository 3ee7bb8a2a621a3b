import type { Endpoint } from '../../sim/endpoint.js';
import type { RandomStream } from '../../sim/random.js';
import type { StreamStack } from '../../sim/stream.js';
import { msToUs } from '../../sim/time.js';
import { type AppSettings, DisconnectWatch } from './app-disconnect.js';
import { GoConnectionEventListener } from './go-redo.js';
import { GoRpcClient } from './go-rpc-client.js';
import type { ClientRequest, InstanceInfo, Response, ServiceInfo } from './messages.js';
import type { V2QuietHandoff } from './quiet-handoff.js';
import { RpcClient, type RpcClientListener, type RpcConnection } from './rpc-client.js';
import type { V2Settings } from './settings.js';

/**
 * Redo bookkeeping for one registration or subscription (NamingGrpcRedoService's RedoData):
 * `cached` once the application asked for it, `registered` while the server is known to have it.
 * A disconnect clears `registered`; the redo task re-sends while connected and not registered.
 */
export class Redo {
  cached = false;
  registered = false;
  inFlight = false;

  needsRedo(): boolean {
    return this.cached && !this.registered && !this.inFlight;
  }
}

/** One redo item: what it is (for the trace) and how to send it (`fromRun`: sent by the redo task). */
interface RedoItem {
  readonly what: string;
  readonly redo: Redo;
  readonly send: (fromRun: boolean) => void;
}

/**
 * The redo service of one naming client: from 2.0.3 a task with a fixed delay that re-sends what
 * a reconnect lost, skipped while disconnected; before 2.0.3 one re-send per CONNECTED event.
 *
 * The task's runs lie on a grid: every `redoDelay` from the client's start, shifted to "the end
 * of a run + redoDelay" whenever a run sent requests (scheduleWithFixedDelay). A run with nothing
 * to do changes nothing, so only the runs that matter are scheduled: the next grid point after
 * something needs a redo. (100 000 clients would otherwise tick 33 000 times a second for nothing.)
 */
export class RedoService {
  connected = false;
  private readonly items: RedoItem[] = [];
  /** Requests of the current run still outstanding: the next run starts `redoDelay` after the last. */
  private runPending = 0;
  private gridOriginUs: number;
  private timer = -1;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: V2Settings,
  ) {
    this.gridOriginUs = ep.host.now();
  }

  add(what: string, redo: Redo, send: (fromRun: boolean) => void): void {
    this.items.push({ what, redo, send });
  }

  onConnected(): void {
    this.connected = true;
    // 2.0.0-2.0.2: NamingGrpcConnectionEventListener.onConnected re-sends everything once.
    if (this.s.periodicRedo) {
      this.arm();
      return;
    }
    for (const item of this.items) {
      if (!item.redo.cached) continue;
      this.ep.host.record('client.redo', { what: item.what });
      item.send(false);
    }
  }

  onDisconnected(): void {
    this.connected = false;
    for (const item of this.items) item.redo.registered = false;
  }

  /** Schedules the next grid run if a run would have something to do. */
  arm(): void {
    if (!this.s.periodicRedo || this.timer >= 0 || this.runPending > 0 || !this.connected) return;
    if (!this.items.some((i) => i.redo.needsRedo())) return;
    const periodUs = msToUs(this.s.redoDelayMs);
    const now = this.ep.host.now();
    const nextUs = this.gridOriginUs + (Math.floor((now - this.gridOriginUs) / periodUs) + 1) * periodUs;
    this.timer = this.ep.host.schedule(nextUs - now, this.tick);
  }

  /** RedoScheduledTask.run. */
  private readonly tick = (): void => {
    this.timer = -1;
    const due = this.connected ? this.items.filter((i) => i.redo.needsRedo()) : [];
    if (due.length === 0) return;
    this.runPending = due.length;
    for (const item of due) {
      this.ep.host.record('client.redo', { what: item.what });
      item.send(true);
    }
  };

  /** A send's request completed, either way. */
  done(redo: Redo, ok: boolean, fromRun: boolean): void {
    redo.inFlight = false;
    if (ok) redo.registered = true;
    if (fromRun && --this.runPending === 0) this.gridOriginUs = this.ep.host.now();
    this.arm();
  }
}

/**
 * A Nacos 2.x provider: NacosNamingService.registerInstance for one ephemeral instance over
 * gRPC (NamingGrpcClientProxy), with no heartbeat: the instance lives as long as the server
 * believes the connection lives, and the redo service re-registers it after a reconnect.
 * With the Go SDK (settings.sdk 'go'): nacos-sdk-go's NamingGrpcProxy over its RpcClient
 * (go-rpc-client.ts), re-registering only on CONNECTED (go-redo.ts), optionally subscribed to
 * its own service.
 */
export class V2Client implements RpcClientListener {
  readonly rpc: RpcClient;
  private readonly redoService: RedoService;
  private readonly goListener: GoConnectionEventListener | null = null;
  private readonly redo = new Redo();
  /** Go, subscribeSelf: the subscription is cached for redo (CacheSubscriberForRedo). */
  private subscribed = false;
  private readonly info: InstanceInfo;
  private readonly app: DisconnectWatch | null;

  /** `quiet`: the single-server build's offer to step this client outside the kernel once it is idle. */
  constructor(
    ep: Endpoint,
    stack: StreamStack,
    private readonly s: V2Settings,
    servers: readonly string[],
    private readonly quiet?: V2QuietHandoff,
    app: AppSettings | null = null,
  ) {
    this.info = { id: ep.name };
    this.rpc = s.sdk === 'go' ? new GoRpcClient(ep, stack, s, servers, this) : new RpcClient(ep, stack, s, servers, this);
    this.redoService = new RedoService(ep, s);
    if (s.sdk === 'go') {
      this.goListener = new GoConnectionEventListener(ep);
      this.goListener.add({ what: 'register', cached: () => this.redo.cached, send: (done) => this.goRequest('register', done) });
      if (s.subscribeSelf) this.goListener.add({ what: 'subscribe', cached: () => this.subscribed, send: (done) => this.goRequest('subscribe', done) });
    } else this.redoService.add('register', this.redo, (fromRun) => this.doRegister(fromRun));
    this.app =
      app === null
        ? null
        : new DisconnectWatch(ep, app, {
            serverUp: () => this.rpc.status === 'running',
            deregister: () => this.deregisterInstance(),
            exit: () => {
              stack.crash();
              ep.host.crash();
            },
          });
  }

  /** The naming service starts its RpcClient (connecting), then the application registers. */
  start(): void {
    this.rpc.start(() => this.registerInstance());
    this.app?.start();
  }

  /**
   * NamingGrpcClientProxy.deregisterService: the redo data stops expecting a registration; the
   * request goes out only while connected (else RedoData.getRedoType → REMOVE: nothing is sent).
   */
  private deregisterInstance(): void {
    this.redo.cached = false;
    if (this.rpc.status === 'running' && this.redo.registered) {
      this.rpc.request({ type: 'deregister', instance: this.info } satisfies ClientRequest, this.deregistered, false);
    }
  }

  private readonly deregistered = (response: Response | null): void => {
    if (response !== null) this.redo.registered = false;
  };

  private registerInstance(): void {
    this.redo.cached = true;
    if (this.goListener !== null) {
      // The application's RegisterInstance returns, then (subscribeSelf) it subscribes to its service.
      this.goRequest('register', () => {
        if (!this.s.subscribeSelf) return;
        this.subscribed = true;
        this.goRequest('subscribe', () => {});
      });
      return;
    }
    this.doRegister(false);
  }

  /** NamingGrpcProxy.RegisterInstance / Subscribe: one RpcClient.Request; a failure is returned to the caller only. */
  private goRequest(what: 'register' | 'subscribe', done: () => void): void {
    const body: ClientRequest = what === 'register' ? { type: 'register', instance: this.info } : { type: 'subscribe' };
    this.rpc.request(body, (response) => {
      if (what === 'register') this.redo.registered = response !== null;
      done();
    });
  }

  private doRegister(fromRun: boolean): void {
    this.redo.inFlight = true;
    this.rpc.request({ type: 'register', instance: this.info } satisfies ClientRequest, this.registered, fromRun);
  }

  private readonly registered = (response: Response | null, fromRun: unknown): void => {
    this.redoService.done(this.redo, response !== null, fromRun === true);
  };

  onConnected(): void {
    if (this.goListener !== null) {
      this.goListener.onConnected();
      return;
    }
    this.redoService.onConnected();
  }

  onDisconnected(): void {
    this.redoService.onDisconnected();
  }

  onNotify(_info: ServiceInfo): void {}

  /** Only once registered with nothing in flight: then the redo service has nothing left to do. */
  goQuiet(c: RpcConnection, jitter: RandomStream): boolean {
    return this.app === null && this.redo.registered && !this.redo.inFlight && this.quiet?.(c, jitter) === true;
  }
}
