import type { Endpoint } from '../../sim/endpoint.js';
import { ServicePool } from '../../sim/service-queue.js';
import type { CloseReason, StreamConn, StreamStack } from '../../sim/stream.js';
import { RpcChannel, type RpcHandler } from '../../sim/stream-rpc.js';
import { msToUs } from '../../sim/time.js';
import { V2_CONSTANTS as K } from './defaults.js';
import { Ejector } from './ejector.js';
import type { ClientRequest, Response, ServiceInfo, SetupAck, SetupMessage } from './messages.js';
import { PushEngine, type PushTarget } from './push.js';
import { perItemsUs, type V2Settings } from './settings.js';

/** A client request waiting for a gRPC worker. */
interface Incoming {
  readonly ch: RpcChannel;
  readonly id: number;
  readonly req: ClientRequest;
}

/** A response to one of the server's own requests, waiting for a gRPC worker. */
interface Answer {
  readonly ch: RpcChannel;
  readonly id: number;
  readonly body: unknown;
}

/** Whatever publishes instances on a server: a connection of its own, or a copy synced from another node. */
export interface Publisher {
  readonly published: Set<string>;
  readonly connectionId: number;
  /** A copy of another node's client (Distro): its records say `via: sync`. */
  readonly synced?: boolean;
}

/** What a cluster node hears from its server about its own (native) clients: Distro's ClientChangedEvent and ClientDisconnectEvent. */
export interface V2ClusterHooks {
  changed(t: Transport): void;
  disconnected(t: Transport): void;
}

/** One gRPC transport on the server; a Nacos connection (and naming client) once registered. */
export class Transport implements PushTarget {
  registered = false;
  lastActiveUs = 0;
  subscriber = false;
  readonly published = new Set<string>();

  /**
   * Who the connection belongs to: the transport's peer until the setup request names the client, which a
   * proxy in between does not change (GrpcBiStreamRequestAcceptor at 2.2.3: new ConnectionMeta(connectionId,
   * payload.getMetadata().getClientIp(), remoteIp, …): the client's own address beside the transport's).
   */
  constructor(
    readonly ch: RpcChannel,
    public client: string,
  ) {}

  get connectionId(): number {
    return this.ch.conn.id;
  }

  subscribed(): boolean {
    return this.registered && this.subscriber;
  }
}

/**
 * A Nacos 2.x server holding one service: the gRPC acceptors (GrpcRequestAcceptor,
 * GrpcBiStreamRequestAcceptor, AddressTransportFilter.transportTerminated), the ConnectionManager
 * with its ejector, the naming clients of connections (ConnectionBasedClientManager,
 * ClientServiceIndexesManager) and the push engine. An instance is in the service while at least
 * one registered connection publishes it.
 *
 * Capacity (settings.capacity; all costs 0 by default = work done the instant it arrives): every
 * client request and ConnectionSetupRequest queues for the gRPC executor (`grpc`); its effect — the
 * connection's active time, the handler, the reply — happens when it has been served. So do the
 * responses to the server's own requests (push acks, probe answers): a late answer may find its
 * request timed out. Closes are not queued (the transport filter runs on the network threads).
 */
export class V2Server implements RpcHandler {
  /** Registered connections (ConnectionManager.connections), in registration order. */
  readonly connections = new Map<number, Transport>();
  /**
   * The registered connections the ejector looks at: all but those of quiet clients
   * (`quiet-handoff.ts`), which provably never go idle long enough — so that its runs cost what
   * the clients in the kernel cost, not what all of them would.
   */
  readonly watched = new Map<number, Transport>();
  private readonly publishers = new Map<string, Set<Publisher>>();
  private readonly subscribers = new Set<Transport>();
  private readonly push: PushEngine;
  private readonly grpc: ServicePool;

  constructor(
    private readonly ep: Endpoint,
    stack: StreamStack,
    private readonly s: V2Settings,
    private readonly cluster: V2ClusterHooks | null = null,
  ) {
    this.grpc = new ServicePool(ep.host, 'grpc', s.capacity.threads);
    this.push = new PushEngine(
      ep.host,
      s,
      () => this.subscribers,
      () => this.serviceInfo(),
    );
    // SO_KEEPALIVE on every accepted socket (grpc-java NettyServer: childOption(SO_KEEPALIVE, true)), so the server host's keepalive sysctls count.
    stack.listen(this.accept, {
      tcpKeepalive: K.serverSoKeepalive === 1,
      ping: { timeUs: msToUs(s.serverKeepAliveMs), timeoutUs: msToUs(s.serverKeepAliveTimeoutMs) },
    });
    new Ejector(ep.host, s, this).start();
  }

  private get now(): number {
    return this.ep.host.now();
  }

  private readonly accept = (conn: StreamConn): void => {
    const ch = new RpcChannel(conn, this.ep.host, this);
    ch.tag = new Transport(ch, conn.remote);
  };

  /** A client request: served by a gRPC worker (GrpcRequestAcceptor.request). */
  onRequest(ch: RpcChannel, id: number, body: unknown): void {
    const req = body as ClientRequest;
    this.grpc.submit(this.requestCostUs(req), this.serveRequest, { ch, id, req } satisfies Incoming);
  }

  private requestCostUs(req: ClientRequest): number {
    const cap = this.s.capacity;
    switch (req.type) {
      case 'serverCheck':
      case 'healthCheck':
        return cap.healthUs;
      case 'register':
      case 'deregister':
        return cap.registerUs;
      case 'subscribe':
      case 'query':
        return cap.queryUs + perItemsUs(cap.serializePer1000Us, this.publishers.size);
    }
  }

  private readonly serveRequest = (arg: unknown): void => {
    const { ch, id, req } = arg as Incoming;
    const t = ch.tag as Transport;
    if (req.type === 'serverCheck') {
      ch.respond(id, { code: K.successCode, connectionId: t.connectionId, abilities: this.s.serverAbilities } satisfies Response);
      return;
    }
    if (!t.registered) {
      ch.respond(id, { code: K.unregisterCode } satisfies Response);
      return;
    }
    t.lastActiveUs = this.now;
    this.ep.host.record('request.recv', { instance: t.client, type: req.type, connection: t.connectionId });
    ch.respond(id, this.handle(t, req));
  };

  private handle(t: Transport, req: ClientRequest): Response {
    switch (req.type) {
      case 'register':
        this.publish(t, req.instance.id);
        break;
      case 'deregister':
        this.unpublish(t, req.instance.id, 'deregister');
        break;
      case 'subscribe':
        t.subscriber = true;
        this.subscribers.add(t);
        // ServiceSubscribedEvent: a push to this subscriber alone, after the push delay.
        this.push.add(t, this.s.pushTaskDelayMs);
        return { code: K.successCode, serviceInfo: this.serviceInfo() };
      case 'query':
        return { code: K.successCode, serviceInfo: this.serviceInfo() };
    }
    return { code: K.successCode };
  }

  /** ConnectionSetupRequest on the bi-stream (GrpcBiStreamRequestAcceptor, on a gRPC worker). */
  onMessage(ch: RpcChannel, body: unknown): void {
    this.grpc.submit(this.s.capacity.registerUs, this.serveSetup, { ch, body });
  }

  /** ConnectionManager.register (+ SetupAck from 2.3). */
  private readonly serveSetup = (arg: unknown): void => {
    const { ch, body } = arg as { readonly ch: RpcChannel; readonly body: unknown };
    const t = ch.tag as Transport;
    const setup = body as SetupMessage;
    if (setup.type !== 'setup' || t.registered) return;
    t.registered = true;
    t.client = setup.client;
    t.lastActiveUs = this.now;
    this.connections.set(t.connectionId, t);
    this.watched.set(t.connectionId, t);
    this.ep.host.record('connection.register', { connection: t.connectionId, client: t.client });
    if (setup.abilities && this.s.serverAbilities) ch.send({ type: 'setupAck' } satisfies SetupAck);
  };

  /**
   * A response on the bi-stream (push ack, probe answer): like every call's messages it is handled
   * on the gRPC executor (BaseGrpcServer builds its server with .executor(getRpcExecutor()));
   * GrpcBiStreamRequestAcceptor.streamObserverOnNext then acks the waiting request
   * (RpcAckCallbackSynchronizer.ackNotify) and refreshes the connection's active time.
   */
  onResponse(ch: RpcChannel, id: number, body: unknown): void {
    this.grpc.submit(this.s.capacity.ackUs, this.serveResponse, { ch, id, body } satisfies Answer);
  }

  private readonly serveResponse = (arg: unknown): void => {
    const { ch, id, body } = arg as Answer;
    const t = ch.tag as Transport;
    // The refresh before the ack, as before responses queued: the same instant, and a push ack's
    // or probe's callback sees the refreshed connection (with cost 0 nothing at all changes).
    if (t.registered) t.lastActiveUs = this.now;
    ch.settle(id, body);
  };

  /** AddressTransportFilter.transportTerminated: the close reached us. */
  onClose(ch: RpcChannel, reason: CloseReason): void {
    this.unregister(ch.tag as Transport, `transport-${reason}`);
  }

  /** ConnectionManager.unregister → close → ClientDisconnectEvent → the client's data is released. */
  unregister(t: Transport, reason: string): void {
    if (!t.registered) return;
    t.registered = false;
    this.connections.delete(t.connectionId);
    this.watched.delete(t.connectionId);
    this.ep.host.record('connection.unregister', { connection: t.connectionId, client: t.client, reason });
    t.ch.close();
    for (const id of [...t.published]) this.unpublish(t, id, reason);
    if (t.subscriber) this.subscribers.delete(t);
    this.cluster?.disconnected(t);
  }

  publish(t: Publisher, id: string): void {
    t.published.add(id);
    let set = this.publishers.get(id);
    if (set === undefined) {
      set = new Set();
      this.publishers.set(id, set);
    }
    set.add(t);
    const via: Record<string, string> = t.synced === true ? { via: 'sync' } : {};
    if (set.size === 1) this.ep.host.record('instance.register', { instance: id, connection: t.connectionId, ...via });
    else this.ep.host.record('instance.publish', { instance: id, connection: t.connectionId, publishers: set.size, ...via });
    this.push.add(null, this.s.pushTaskDelayMs);
    this.changed(t);
  }

  unpublish(t: Publisher, id: string, reason: string): void {
    const set = this.publishers.get(id);
    if (!t.published.delete(id) || set === undefined) return;
    set.delete(t);
    const via: Record<string, string> = t.synced === true ? { via: 'sync' } : {};
    if (set.size === 0) {
      this.publishers.delete(id);
      this.ep.host.record('instance.remove', { instance: id, reason, connection: t.connectionId, ...via });
    } else this.ep.host.record('instance.unpublish', { instance: id, connection: t.connectionId, publishers: set.size, ...via });
    this.push.add(null, this.s.pushTaskDelayMs);
    this.changed(t);
  }

  /** A native client's data changed (register, deregister): Distro syncs it; releasing on disconnect is not a change. */
  private changed(t: Publisher): void {
    if (this.cluster !== null && t instanceof Transport && t.registered) this.cluster.changed(t);
  }

  /**
   * ServiceStorage.getPushData + ServiceUtil.selectInstancesWithHealthyProtection: every published
   * instance. gRPC ephemeral instances are never marked unhealthy, so the healthy share is 1 and
   * the protect threshold (which only returns unhealthy instances as healthy) changes nothing.
   */
  serviceInfo(): ServiceInfo {
    return {
      hosts: [...this.publishers.keys()].map((id) => ({ id, healthy: true })),
      lastRefTime: this.now,
      cacheMillis: this.s.pushCacheMillis,
    };
  }
}
