import type { Host } from './host.js';
import { type Datagram, type Network, REJECTED_KIND } from './network.js';

export type DatagramHandler = (d: Datagram) => void;

/**
 * A host's attachment to the network: routes arriving datagrams by kind to the transports
 * (HTTP, UDP, streams) that registered for them. A bounced datagram is routed to the handler
 * registered for `rejectedKind(original kind)`.
 */
export class Endpoint {
  private readonly handlers = new Map<string, DatagramHandler>();

  constructor(
    readonly host: Host,
    readonly net: Network,
  ) {
    net.attach(host, this.receive);
  }

  get name(): string {
    return this.host.name;
  }

  on(kind: string, handler: DatagramHandler): void {
    if (this.handlers.has(kind)) throw new Error(`${this.name}: two handlers for ${kind}`);
    this.handlers.set(kind, handler);
  }

  /** A handler that runs in the host's process: it waits while paused and is dropped when dead. */
  onApp(kind: string, handler: DatagramHandler): void {
    this.on(kind, (d) => {
      if (this.host.process !== 'dead') this.host.runInProcess(handler as (arg: unknown) => void, d);
    });
  }

  send(to: string, kind: string, body: unknown): 'sent' | 'dropped' | 'rejected' {
    return this.net.send(this.name, to, kind, body);
  }

  private readonly receive = (d: Datagram): void => {
    if (d.kind === REJECTED_KIND) {
      const original = d.body as Datagram;
      this.handlers.get(rejectedKind(original.kind))?.(original);
      return;
    }
    this.handlers.get(d.kind)?.(d);
  };
}

export const rejectedKind = (kind: string): string => `${REJECTED_KIND}:${kind}`;
