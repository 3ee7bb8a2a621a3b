import type { Endpoint } from '../../sim/endpoint.js';
import type { EventHandle } from '../../sim/event-queue.js';
import type { Host } from '../../sim/host.js';
import type { RandomStream } from '../../sim/random.js';
import type { CloseReason, ConnectResult, StreamOptions, StreamStack } from '../../sim/stream.js';
import { RpcChannel, type RpcHandler, type RpcResult } from '../../sim/stream-rpc.js';
import { msToUs } from '../../sim/time.js';
import { V2_CONSTANTS as K } from './defaults.js';
import type { ClientRequest, Response, ServerRequest, ServiceInfo, SetupMessage } from './messages.js';
import { HEALTH_SLEEP_MAX_MS, type V2Settings } from './settings.js';

/** What the naming layer hears from its RpcClient (the connection event listeners and push handler). */
export interface RpcClientListener {
  onConnected(): void;
  onDisconnected(): void;
  onNotify(info: ServiceInfo): void;
  /**
   * Offered after each successful idle health check, when the client's whole future is that check
   * repeated: true if a quiet stepper (`quiet-handoff.ts`) took the cycle over, and no poll is scheduled.
   */
  goQuiet?(c: RpcConnection, jitter: RandomStream): boolean;
}

export type RequestCallback = (response: Response | null, ctx: unknown) => void;

type Status = 'starting' | 'running' | 'unhealthy';

/** The client's current connection. */
export interface RpcConnection {
  readonly ch: RpcChannel;
  readonly server: string;
  readonly connectionId: number;
  abandoned: boolean;
}

/** One connect attempt (GrpcClient.connectToServer): TCP + ServerCheck within the budget, setup, wait. */
interface Attempt {
  readonly server: string;
  readonly startUs: number;
  readonly done: (c: RpcConnection | null) => void;
  ch: RpcChannel | null;
  connectionId: number;
  timer: EventHandle;
}

/** A naming request (RpcClient.request): retried within the timeout window. */
interface Call {
  readonly client: RpcClient;
  readonly body: ClientRequest;
  readonly cb: RequestCallback;
  readonly ctx: unknown;
  readonly startUs: number;
  tries: number;
}

/**
 * The Nacos 2.x RpcClient + GrpcClient of one process (common/.../remote/client/RpcClient.java):
 * the event thread that polls for reconnect signals every keep-alive and health-checks an idle
 * connection, the reconnect loop with its back-off, request retries, and the server-request
 * handlers (push, ClientDetection, ConnectReset, SetupAck). Version behaviour comes from V2Settings.
 */
export class RpcClient implements RpcHandler {
  status: Status = 'starting';
  protected current: RpcConnection | null = null;
  protected lastActiveUs: number;
  /** Queued reconnect contexts (reconnectionSignal): true = onRequestFail. */
  protected readonly signals: boolean[] = [];
  private pollTimer: EventHandle = -1;
  protected busy = false;
  private cursor: number;
  private reConnectTimes = 0;
  private retryTurns = 0;
  private healthLeft = 0;
  private healthPurpose: 'idle' | 'request-fail' = 'idle';
  private setupWaits = new Map<RpcChannel, Attempt>();
  private readonly options: StreamOptions;
  private readonly jitter: RandomStream;

  constructor(
    private readonly ep: Endpoint,
    private readonly stack: StreamStack,
    protected readonly s: V2Settings,
    private readonly servers: readonly string[],
    protected readonly listener: RpcClientListener,
    /** The server (index into `servers`) to connect to first; by default a random one, as ServerListManager picks. */
    firstServer?: number,
  ) {
    this.lastActiveUs = ep.host.now();
    this.cursor =
      firstServer === undefined
        ? ep.host.sim.rng(`client.server-pick:${ep.name}`).intInclusive(0, servers.length - 1)
        : (firstServer + servers.length - 1) % servers.length;
    this.jitter = ep.host.sim.rng(`client.health-jitter:${ep.name}`);
    this.options = { tcpKeepalive: K.clientSoKeepalive === 1, ping: { timeUs: msToUs(s.channelKeepAliveMs), timeoutUs: msToUs(s.channelKeepAliveTimeoutMs) } };
  }

  protected get host(): Host {
    return this.ep.host;
  }

  protected get now(): number {
    return this.host.now();
  }

  /**
   * RpcClient.start: the event thread starts polling; retryTimes + 1 synchronous connects, else
   * an async reconnect. `started` runs when start() would return (the application goes on).
   */
  start(started: () => void): void {
    this.waitForSignal();
    let left = this.s.requestRetry + 1;
    const tryOnce = (): void => {
      left--;
      this.connectToServer(this.nextServer(), (c) => {
        if (c === null && left > 0) {
          tryOnce();
          return;
        }
        if (c !== null) this.switchTo(c);
        else this.switchServerAsync(false);
        started();
      });
    };
    tryOnce();
  }

  // ——— the event thread ———

  /** Back in the event loop: the next signal, or the poll for one. */
  protected waitForSignal(): void {
    this.busy = false;
    if (this.signals.length > 0) {
      this.busy = true;
      this.host.schedule(0, onRunSignal, this);
      return;
    }
    this.pollTimer = this.host.schedule(msToUs(this.s.keepAliveMs), onPollTimeout, this);
  }

  switchServerAsync(onRequestFail: boolean): void {
    this.signals.push(onRequestFail);
    if (this.busy || this.pollTimer < 0) return;
    this.host.cancel(this.pollTimer);
    this.pollTimer = -1;
    this.busy = true;
    this.host.schedule(0, onRunSignal, this);
  }

  runSignal(): void {
    const onRequestFail = this.signals.shift();
    if (onRequestFail === undefined) {
      this.waitForSignal();
      return;
    }
    if (onRequestFail) {
      this.healthCheck('request-fail');
      return;
    }
    this.reconnectLoop();
  }

  pollTimedOut(): void {
    this.pollTimer = -1;
    if (this.now - this.lastActiveUs < msToUs(this.s.keepAliveMs)) {
      this.waitForSignal();
      return;
    }
    this.busy = true;
    this.healthCheck('idle');
  }

  private afterHealthCheck(ok: boolean): void {
    if (this.healthPurpose === 'request-fail') {
      // reconnect(null, true): a healthy connection is kept.
      if (ok) {
        this.status = 'running';
        // nacos-sdk-go ≥ 2.2.7 (#736): notifyConnectionChange(CONNECTED), so the redo runs again.
        if (this.s.recheckNotifiesConnected) this.listener.onConnected();
        this.waitForSignal();
        return;
      }
      this.reconnectLoop();
      return;
    }
    if (ok) {
      this.lastActiveUs = this.now;
      const cur = this.current;
      if (cur !== null && this.status === 'running' && this.listener.goQuiet?.(cur, this.jitter) === true) return;
      this.waitForSignal();
      return;
    }
    if (this.current === null) {
      this.waitForSignal();
      return;
    }
    this.setUnhealthy('health-check');
    this.reconnectLoop();
  }

  private setUnhealthy(reason: string): void {
    if (this.status === 'running') this.host.record('client.detected', { reason, connection: this.current?.connectionId ?? null });
    this.status = 'unhealthy';
  }

  // ——— health check (RpcClient.healthCheck) ———

  protected healthCheck(purpose: 'idle' | 'request-fail'): void {
    this.healthPurpose = purpose;
    if (this.current === null) {
      this.afterHealthCheck(false);
      return;
    }
    this.healthLeft = this.s.healthRetry;
    this.healthAttempt();
  }

  private healthAttempt(): void {
    this.healthLeft--;
    if (this.s.healthJitter && this.healthLeft > 1) {
      this.host.schedule(msToUs(this.jitter.intInclusive(0, HEALTH_SLEEP_MAX_MS)), onHealthSend, this);
      return;
    }
    this.healthSend();
  }

  healthSend(): void {
    const cur = this.current;
    this.host.record('health-check.send', { connection: cur?.connectionId ?? null, left: this.healthLeft });
    const sent = cur?.ch.request({ type: 'healthCheck' } satisfies ClientRequest, msToUs(this.s.healthTimeoutMs), onHealthResult, this) ?? false;
    if (!sent) this.healthResult({ ok: false, error: 'closed' });
  }

  healthResult(r: RpcResult): void {
    // Only exceptions (timeouts, a closed connection) are retried; an answer decides.
    if (r.ok) {
      const code = (r.body as Response).code;
      const pass = this.s.healthPassCodes;
      this.afterHealthCheck(code === K.successCode || (pass !== null && code >= pass[0] && code < pass[1]));
      return;
    }
    if (this.healthLeft >= 0) {
      this.healthAttempt();
      return;
    }
    this.afterHealthCheck(false);
  }

  // ——— reconnect (RpcClient.reconnect) ———

  private reconnectLoop(): void {
    this.reConnectTimes = 0;
    this.retryTurns = 0;
    this.reconnectAttempt();
  }

  reconnectAttempt(): void {
    const server = this.nextServer();
    this.host.record('client.reconnect', { server });
    this.connectToServer(server, (c) => {
      if (c !== null) {
        this.switchTo(c);
        this.waitForSignal();
        return;
      }
      if (this.reConnectTimes > 0 && this.reConnectTimes % this.servers.length === 0) this.retryTurns++;
      this.reConnectTimes++;
      if (this.status === 'running') {
        this.reconnectAttempt();
        return;
      }
      const sleepMs = Math.min(this.retryTurns + this.s.reconnectTurnOffset, K.reconnectSleepMaxTurns) * K.reconnectSleepUnitMs;
      this.host.schedule(msToUs(sleepMs), onReconnectAttempt, this);
    });
  }

  /** A new connection replaces the current one: the old is abandoned and closed first. */
  private switchTo(c: RpcConnection): void {
    const old = this.current;
    if (old !== null) {
      old.abandoned = true;
      old.ch.close();
      this.listener.onDisconnected();
    }
    this.current = c;
    this.status = 'running';
    this.host.record('client.connected', { server: c.server, connection: c.connectionId });
    this.listener.onConnected();
  }

  private nextServer(): string {
    this.cursor = (this.cursor + 1) % this.servers.length;
    return this.servers[this.cursor] as string;
  }

  // ——— connectToServer (GrpcClient) ———

  private connectToServer(server: string, done: (c: RpcConnection | null) => void): void {
    const a: Attempt = { server, startUs: this.now, done, ch: null, connectionId: -1, timer: -1 };
    this.stack.connect(server, msToUs(this.s.serverCheckTimeoutMs), this.options, onTcp, { client: this, a });
  }

  tcpResult(r: ConnectResult, a: Attempt): void {
    if (!r.ok) {
      a.done(null);
      return;
    }
    const ch = new RpcChannel(r.conn, this.host, this);
    a.ch = ch;
    const leftUs = a.startUs + msToUs(this.s.serverCheckTimeoutMs) - this.now;
    if (leftUs <= 0 || !ch.request({ type: 'serverCheck' } satisfies ClientRequest, leftUs, onServerCheck, a)) {
      ch.close();
      a.done(null);
      return;
    }
  }

  serverChecked(r: RpcResult, a: Attempt): void {
    const ch = a.ch as RpcChannel;
    const resp = r.ok ? (r.body as Response) : null;
    if (resp === null || resp.connectionId === undefined) {
      ch.close();
      a.done(null);
      return;
    }
    a.connectionId = resp.connectionId;
    ch.send({ type: 'setup', client: this.ep.name, abilities: this.s.clientAbilities } satisfies SetupMessage);
    if (this.s.clientAbilities && resp.abilities === true) {
      this.setupWaits.set(ch, a);
      a.timer = this.host.schedule(msToUs(this.s.negotiationTimeoutMs), onSetupTimeout, a);
    } else a.timer = this.host.schedule(msToUs(K.setupSleepMs), onSetupDone, a);
  }

  setupFinished(a: Attempt, acked: boolean): void {
    const ch = a.ch as RpcChannel;
    this.setupWaits.delete(ch);
    if (!acked) {
      ch.close();
      a.done(null);
      return;
    }
    a.done({ ch, server: a.server, connectionId: a.connectionId, abandoned: false });
  }

  // ——— requests (RpcClient.request) ———

  request(body: ClientRequest, cb: RequestCallback, ctx: unknown = null): void {
    this.tryCall({ client: this, body, cb, ctx, startUs: this.now, tries: 0 });
  }

  tryCall(call: Call): void {
    const timeoutUs = msToUs(this.s.requestTimeoutMs);
    if (call.tries > this.s.requestRetry || this.now >= call.startUs + timeoutUs) {
      this.callFailed(call);
      return;
    }
    const cur = this.current;
    if (cur === null || this.status !== 'running') {
      this.waitReconnect(call);
      return;
    }
    if (!cur.ch.request(call.body, timeoutUs, onCallResult, call)) {
      call.tries++;
      this.tryCall(call);
    }
  }

  callResult(r: RpcResult, call: Call): void {
    if (r.ok) {
      const resp = r.body as Response;
      if (resp.code === K.successCode) {
        this.lastActiveUs = this.now;
        call.cb(resp, call.ctx);
        return;
      }
      if (resp.code === K.unregisterCode && this.status === 'running') {
        this.setUnhealthy('unregistered');
        this.switchServerAsync(false);
      }
      this.waitReconnect(call);
      return;
    }
    if (this.s.sleepAfterRequestError) {
      this.waitReconnect(call);
      return;
    }
    call.tries++;
    this.tryCall(call);
  }

  private waitReconnect(call: Call): void {
    call.tries++;
    const sleepMs = Math.min(K.waitReconnectMaxMs, this.s.requestTimeoutMs / 3); // literal-ok: RpcClient.request waits min(100, timeoutMills / 3)
    this.host.schedule(msToUs(sleepMs), onRetryCall, call);
  }

  private callFailed(call: Call): void {
    if (this.status === 'running') {
      this.setUnhealthy('request-failed');
      this.switchServerAsync(true);
    }
    call.cb(null, call.ctx);
  }

  // ——— the channel's handler: server requests, setup acks, closes ———

  onRequest(ch: RpcChannel, id: number, body: unknown): void {
    const req = body as ServerRequest;
    if (this.s.serverRequestRefreshesActive) this.lastActiveUs = this.now;
    if (req.type === 'notify') this.listener.onNotify(req.serviceInfo);
    if (req.type === 'connectReset' && this.status === 'running') this.switchServerAsync(false);
    // GrpcClient.sendResponse answers over the *current* connection; on another one the server matches nothing.
    // nacos-sdk-go handleServerRequest answers with grpcConn.biStreamSend: on the connection it came on.
    if (this.s.answersOnArrivingConnection) {
      ch.respond(id, { code: K.successCode } satisfies Response);
      return;
    }
    const cur = this.current;
    if (cur !== null) cur.ch.respond(cur.ch === ch ? id : -1, { code: K.successCode } satisfies Response);
  }

  onMessage(ch: RpcChannel, body: unknown): void {
    const a = this.setupWaits.get(ch);
    if ((body as { type?: string }).type !== 'setupAck' || a === undefined) return;
    this.host.cancel(a.timer);
    this.setupFinished(a, true);
  }

  onClose(ch: RpcChannel, _reason: CloseReason): void {
    const cur = this.current;
    if (cur === null || cur.ch !== ch || cur.abandoned || this.status !== 'running') return;
    this.setUnhealthy('stream-closed');
    this.switchServerAsync(false);
  }
}

interface TcpCtx {
  readonly client: RpcClient;
  readonly a: Attempt;
}

const onRunSignal = (arg: unknown): void => (arg as RpcClient).runSignal();
const onPollTimeout = (arg: unknown): void => (arg as RpcClient).pollTimedOut();
const onHealthSend = (arg: unknown): void => (arg as RpcClient).healthSend();
const onHealthResult = (r: RpcResult, ctx: unknown): void => (ctx as RpcClient).healthResult(r);
const onReconnectAttempt = (arg: unknown): void => (arg as RpcClient).reconnectAttempt();
const onTcp = (r: ConnectResult, ctx: unknown): void => (ctx as TcpCtx).client.tcpResult(r, (ctx as TcpCtx).a);
const onServerCheck = (r: RpcResult, ctx: unknown, ch: RpcChannel): void => (ch.handler as RpcClient).serverChecked(r, ctx as Attempt);
const onSetupTimeout = (arg: unknown): void => {
  const a = arg as Attempt;
  ((a.ch as RpcChannel).handler as RpcClient).setupFinished(a, false);
};
const onSetupDone = (arg: unknown): void => {
  const a = arg as Attempt;
  ((a.ch as RpcChannel).handler as RpcClient).setupFinished(a, true);
};
const onCallResult = (r: RpcResult, ctx: unknown): void => (ctx as Call).client.callResult(r, ctx as Call);
const onRetryCall = (arg: unknown): void => {
  const call = arg as Call;
  call.client.tryCall(call);
};
