import type { Endpoint } from '../../sim/endpoint.js';

/** One thing the Go naming client re-sends on CONNECTED: a subscription or a registration. */
export interface GoRedoItem {
  readonly what: 'subscribe' | 'register';
  /** Still cached (registeredInstanceCached / subscribes): the application has not taken it back. */
  cached(): boolean;
  /** Sends it through RpcClient.Request; `done` when Request returns, either way. */
  send(done: () => void): void;
}

/**
 * nacos-sdk-go v2's ConnectionEventListener (clients/naming_client/naming_grpc/
 * connection_event_listener.go, every v2 tag): there is no redo task. On each CONNECTED event,
 * taken one at a time from the event channel by its goroutine, OnConnected re-subscribes every
 * cached subscription and then re-registers every cached instance, each a blocking Request, one
 * after the other; a failure is only logged ("redo register service … faild") and nothing retries
 * it until the next CONNECTED event. OnDisConnect does nothing.
 */
export class GoConnectionEventListener {
  private readonly items: GoRedoItem[] = [];
  private running = false;
  /** CONNECTED events queued behind the one being handled. */
  private queued = 0;

  constructor(private readonly ep: Endpoint) {}

  /** Subscriptions are re-sent before registrations, whatever order they were added in. */
  add(item: GoRedoItem): void {
    this.items.push(item);
    this.items.sort((a, b) => rank(a) - rank(b));
  }

  onConnected(): void {
    if (this.running) {
      this.queued++;
      return;
    }
    this.running = true;
    this.next(
      this.items.filter((i) => i.cached()),
      0,
    );
  }

  private next(due: readonly GoRedoItem[], at: number): void {
    const item = due[at];
    if (item === undefined) {
      this.running = false;
      if (this.queued > 0) {
        this.queued--;
        this.onConnected();
      }
      return;
    }
    this.ep.host.record('client.redo', { what: item.what });
    item.send(() => this.next(due, at + 1));
  }
}

const rank = (i: GoRedoItem): number => (i.what === 'subscribe' ? 0 : 1);
