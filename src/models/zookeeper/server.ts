import type { Endpoint } from '../../sim/endpoint.js';
import { type Micros, msToUs } from '../../sim/time.js';
import { type ConnectRequest, type SessionRequest, ZK } from './messages.js';
import type { ZkSettings } from './settings.js';

interface Session {
  readonly id: number;
  readonly host: string;
  readonly timeoutMs: number;
  expiryUs: Micros;
}

/**
 * A standalone ZooKeeper server (release-3.9.3) holding the service's parent znode: sessions in
 * the SessionTrackerImpl's ExpiryQueue (every packet of a session moves it to the bucket
 * roundToNextInterval(now + timeout); the tracker expires a whole bucket when its time comes),
 * ephemeral children owned by sessions (deleted when the session closes: DataTree.killSession),
 * and one-shot child watches (WatchManager.triggerWatch sends NodeChildrenChanged once).
 */
export class ZkServer {
  private readonly sessions = new Map<number, Session>();
  private readonly buckets = new Map<Micros, Set<number>>();
  /** Ephemeral children of the service's node: name → owning session. */
  private readonly children = new Map<string, number>();
  /** Sessions with a child watch set (and the host to notify). */
  private readonly watchers = new Map<number, string>();
  private nextSessionId = 1;
  private nextExpiryUs: Micros;

  constructor(
    private readonly ep: Endpoint,
    private readonly s: ZkSettings,
    private readonly tickPhaseUs: Micros,
  ) {
    ep.onApp(ZK.connect, (d) => this.connect(d.from, d.body as ConnectRequest));
    ep.onApp(ZK.ping, (d) => this.request(d.from, d.body as SessionRequest, ZK.pong, 'beat.recv'));
    ep.onApp(ZK.create, (d) => this.create(d.from, d.body as SessionRequest));
    ep.onApp(ZK.getChildren, (d) => this.getChildren(d.from, d.body as SessionRequest));
    // ExpiryQueue: nextExpirationTime starts at roundToNextInterval(now).
    this.nextExpiryUs = this.roundToNextInterval(this.now);
    ep.host.schedule(this.nextExpiryUs - this.now, this.expireBucket);
  }

  private get now(): Micros {
    return this.ep.host.now();
  }

  /** ExpiryQueue.roundToNextInterval on the server's clock: the next multiple of the tick (shifted by the phase) strictly after `t`. */
  private roundToNextInterval(t: Micros): Micros {
    const tick = msToUs(this.s.tickMs);
    return (Math.floor((t - this.tickPhaseUs) / tick) + 1) * tick + this.tickPhaseUs;
  }

  /** processConnectRequest: the timeout clamped to [min, max]; a known session is renewed, an unknown one has expired (timeout 0). */
  private connect(from: string, req: ConnectRequest): void {
    this.ep.host.record('request.recv', { instance: from, op: 'connect' });
    if (req.sessionId !== 0) {
      const known = this.sessions.get(req.sessionId);
      if (known !== undefined) this.touch(known);
      this.ep.send(from, ZK.connected, { sessionId: req.sessionId, timeoutMs: known?.timeoutMs ?? 0 });
      return;
    }
    const session: Session = { id: this.nextSessionId++, host: from, timeoutMs: this.s.sessionMs, expiryUs: -1 };
    this.sessions.set(session.id, session);
    this.touch(session);
    this.ep.send(from, ZK.connected, { sessionId: session.id, timeoutMs: session.timeoutMs });
  }

  /** SessionTrackerImpl.touchSession → ExpiryQueue.update. */
  private touch(session: Session): void {
    const expiry = this.roundToNextInterval(this.now + msToUs(session.timeoutMs));
    if (expiry === session.expiryUs) return;
    this.buckets.get(session.expiryUs)?.delete(session.id);
    session.expiryUs = expiry;
    const bucket = this.buckets.get(expiry) ?? new Set<number>();
    bucket.add(session.id);
    this.buckets.set(expiry, bucket);
  }

  /** A request of a live session touches it and is answered; one of an unknown session is dropped (its connection would be closed). */
  private request(from: string, req: SessionRequest, reply: string, heard: string): Session | null {
    const session = this.sessions.get(req.sessionId);
    this.ep.host.record(heard, heard === 'query.recv' ? { subscriber: from } : { instance: from });
    if (session === undefined) return null;
    this.touch(session);
    if (reply !== '') this.ep.send(from, reply, {});
    return session;
  }

  /** create(EPHEMERAL): the provider's node, owned by its session (a node left by its expired session is taken over: livesim). */
  private create(from: string, req: SessionRequest): void {
    const session = this.request(from, req, ZK.created, 'request.recv');
    if (session === null) return;
    this.children.set(from, session.id);
    this.ep.host.record('instance.register', { instance: from, via: 'create' });
    this.childrenChanged();
  }

  /** getChildren(path, watch = true): the list, and a one-shot watch for the next change. */
  private getChildren(from: string, req: SessionRequest): void {
    const session = this.request(from, req, '', 'query.recv');
    if (session === null) return;
    this.watchers.set(session.id, from);
    this.ep.send(from, ZK.children, { children: [...this.children.keys()] });
  }

  /** WatchManager.triggerWatch(NodeChildrenChanged): every watcher once, then the watches are gone. */
  private childrenChanged(): void {
    for (const host of this.watchers.values()) this.ep.send(host, ZK.watch, {});
    this.watchers.clear();
  }

  /** SessionTrackerImpl.run: at each bucket's time, expire its sessions (close: their ephemeral nodes go). */
  private readonly expireBucket = (): void => {
    const due = this.buckets.get(this.nextExpiryUs);
    this.buckets.delete(this.nextExpiryUs);
    for (const id of due ?? []) this.expire(id);
    this.nextExpiryUs += msToUs(this.s.tickMs);
    this.ep.host.schedule(Math.max(0, this.nextExpiryUs - this.now), this.expireBucket);
  };

  private expire(id: number): void {
    const session = this.sessions.get(id);
    if (session === undefined) return;
    this.sessions.delete(id);
    this.watchers.delete(id);
    this.ep.host.record('session.expire', { host: session.host });
    let changed = false;
    for (const [node, owner] of this.children) {
      if (owner !== id) continue;
      this.children.delete(node);
      this.ep.host.record('instance.remove', { instance: node, reason: 'session expired' });
      changed = true;
    }
    if (changed) this.childrenChanged();
  }
}
