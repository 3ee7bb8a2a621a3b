import type { Datagram } from '../sim/network.js';
import type { Micros } from '../sim/time.js';
import type { TraceEvent } from '../sim/trace.js';

/** What an arrow is, for its colour. Read from the model's event at the sender's microsecond, else from the wire kind. */
export const MESSAGE_LABELS = [
  'health check',
  'health check reply',
  'request',
  'reply',
  'push',
  'push ack',
  'probe',
  'connect',
  'close',
  'ping',
  'TCP ack',
] as const;
export type MessageLabel = (typeof MESSAGE_LABELS)[number];

/** One datagram between two drawn hosts: an arrow from (from, sentUs) to (to, arriveUs), or to a cross when lost. */
export interface DiagramMessage {
  readonly from: string;
  readonly to: string;
  readonly sentUs: Micros;
  /** Null: lost (dropped on the way, or bounced back to the sender). */
  readonly arriveUs: Micros | null;
  readonly label: MessageLabel;
  /** The transport's kind (`stream.data`, `http.req` …), as in the trace's `net.send` lines. */
  readonly wire: string;
  /** The same segment (or handshake, or HTTP segment) was on the wire before. */
  readonly retransmit: boolean;
}

/** Who is drawn: the followed clients and the hosts they talk to. */
export interface Lanes {
  readonly clients: readonly string[];
  readonly servers: readonly string[];
  readonly subscribers: readonly string[];
}

export const laneNames = (l: Lanes): string[] => [...l.clients, ...l.servers, ...l.subscribers];

/** The model events a label is read from: the sender records them just before it puts the message on the wire. */
const labelFromEvent = (e: TraceEvent): MessageLabel | null => {
  switch (e.kind) {
    case 'health-check.send':
      return 'health check';
    case 'request.recv':
      return e.data?.type === 'healthCheck' ? 'health check reply' : 'reply';
    case 'push.send':
      return 'push';
    case 'push.recv':
    case 'view.update':
      return 'push ack';
    case 'probe.send':
    case 'tcp-check.send':
      return 'probe';
    case 'client.reconnect':
      return 'connect';
    default:
      return null;
  }
};

const WIRE_LABELS: Readonly<Record<string, MessageLabel>> = {
  'stream.syn': 'connect',
  'stream.synack': 'connect',
  'tcp.syn': 'connect',
  'tcp.synack': 'connect',
  'stream.fin': 'close',
  'stream.rst': 'close',
  'tcp.rst': 'close',
  'stream.ack': 'TCP ack',
  'udp.push': 'push',
  'udp.push-ack': 'push ack',
  'http.req': 'request',
  'http.res': 'reply',
};

/** Kinds whose body a model event can name (data segments); handshakes, acks and resets keep their wire label. */
const LABELLED_BY_EVENT: ReadonlySet<string> = new Set(['stream.data', 'http.req', 'http.res', 'udp.push', 'udp.push-ack']);

/** The part of a stream packet (src/sim/stream-wire.ts) that tells a retransmission; read, never changed. */
interface PacketLike {
  readonly conn?: object;
  readonly seg?: { readonly type?: number } | null;
  readonly probe?: boolean;
}

const SEG_PING = 2;
const SEG_PONG = 3;

/**
 * Keeps what the diagram draws, as the run goes: the followed hosts' events (from the trace
 * listener) and the datagrams between drawn hosts (from the wire tap). Nothing else is kept,
 * so a run of 100,000 clients costs the diagram what a run of one does.
 */
export class DiagramCollector {
  readonly events: TraceEvent[] = [];
  readonly messages: DiagramMessage[] = [];
  private readonly drawn: ReadonlySet<string>;
  private readonly followed: ReadonlySet<string>;
  private readonly servers: ReadonlySet<string>;
  /** The last label a host's model event gave, and when: a message sent at that microsecond carries it. */
  private readonly pending = new Map<string, { readonly t: Micros; readonly label: MessageLabel }>();
  /** Segments (or handshakes) already sent, by identity, with the label of their first transmission. */
  private seen = new WeakMap<object, Map<string, MessageLabel>>();
  private lastUs = 0;

  constructor(readonly lanes: Lanes) {
    this.drawn = new Set(laneNames(lanes));
    this.followed = new Set(lanes.clients);
    this.servers = new Set(lanes.servers);
  }

  /** The trace listener. */
  readonly onEvent = (e: TraceEvent): void => {
    this.restartIfRerun(e.t);
    if (!this.drawn.has(e.host) && !e.kind.startsWith('fault.')) return;
    const label = labelFromEvent(e);
    if (label !== null) this.pending.set(e.host, { t: e.t, label });
    if (this.keeps(e)) this.events.push(e);
  };

  /** The wire tap. */
  readonly onWire = (d: Datagram, fate: 'sent' | 'dropped' | 'rejected', now: Micros, arriveUs: Micros | null): void => {
    this.restartIfRerun(now);
    if (!this.drawn.has(d.from) || !this.drawn.has(d.to)) return;
    const p = this.pending.get(d.from);
    const fromEvent = LABELLED_BY_EVENT.has(d.kind) && p !== undefined && p.t === now ? p.label : null;
    const body = (typeof d.body === 'object' && d.body !== null ? d.body : {}) as PacketLike;
    const segType = body.seg?.type;
    let label: MessageLabel =
      fromEvent ??
      (segType === SEG_PING || segType === SEG_PONG || body.probe === true
        ? 'ping'
        : (WIRE_LABELS[d.kind] ?? (this.followed.has(d.from) ? 'request' : 'reply')));
    const identity = this.identityOf(d.kind, body);
    let retransmit = false;
    if (identity !== null) {
      let byKind = this.seen.get(identity);
      if (byKind === undefined) {
        byKind = new Map();
        this.seen.set(identity, byKind);
      }
      const key = `${d.from}>${d.kind}`;
      const first = byKind.get(key);
      if (first === undefined) byKind.set(key, label);
      else {
        retransmit = true;
        label = first;
      }
    }
    this.messages.push({ from: d.from, to: d.to, sentUs: now, arriveUs: fate === 'sent' ? arriveUs : null, label, wire: d.kind, retransmit });
  };

  /** A data segment is itself; a handshake is its connection's; an ack is never sent twice; an HTTP segment is its body. */
  private identityOf(kind: string, body: PacketLike): object | null {
    if (body.seg !== undefined) {
      if (body.seg !== null) return body.seg;
      return kind.endsWith('syn') || kind.endsWith('synack') ? (body.conn ?? null) : null;
    }
    return Object.keys(body).length > 0 ? body : null;
  }

  /** The followed clients' events, the drawn subscribers' own, and what a server records about a drawn host. */
  private keeps(e: TraceEvent): boolean {
    if (e.kind === 'net.send' || e.kind === 'request.recv' || e.kind === 'beat.recv') return false;
    if (!this.servers.has(e.host)) return true;
    const about = e.data?.instance ?? e.data?.client ?? e.data?.to ?? e.data?.from;
    return typeof about !== 'string' || this.drawn.has(about);
  }

  /** A run that gave up quiet stepping starts again from time 0 (src/scenario/run.ts): what the first attempt left is dropped. */
  private restartIfRerun(t: Micros): void {
    if (t < this.lastUs) {
      this.events.length = 0;
      this.messages.length = 0;
      this.pending.clear();
      this.seen = new WeakMap();
    }
    this.lastUs = t;
  }
}
