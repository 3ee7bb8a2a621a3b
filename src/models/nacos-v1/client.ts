import type { Endpoint } from '../../sim/endpoint.js';
import { HttpClient, type HttpClientOptions, HttpServer } from '../../sim/http.js';
import { msToUs } from '../../sim/time.js';
import { V1_CONSTANTS } from './defaults.js';
import { type BeatResponse, type InstanceInfo, isHttpError, OK_CODE, type V1Request } from './messages.js';
import type { V1Settings } from './settings.js';

/** The JDK HttpURLConnection under NamingProxy: keep-alive from 1.2.0 on (defaults.ts, HTTP rows), one retry after a reset. */
export const v1HttpOptions = (s: V1Settings): HttpClientOptions => ({
  retryOnceOnReset: true,
  ...(s.reusesConnections
    ? {
        keepAlive: {
          idleUs: msToUs(V1_CONSTANTS.httpKeepAliveTimeoutMs),
          maxIdle: V1_CONSTANTS.httpMaxIdleConnections,
          maxRequests: V1_CONSTANTS.httpMaxKeepAliveRequests,
        },
      }
    : {}),
});

/**
 * A Nacos 1.x naming client with one registered instance: NacosNamingService.registerInstance
 * and BeatReactor. Beats are blocking HTTP calls on the beat thread, so the next beat is
 * scheduled only after the call returns or times out.
 */
export class V1Client {
  private readonly http: HttpClient;
  private readonly info: InstanceInfo;
  private lightBeat = false;
  private beatErrorArmed = false;
  private stopped = false;

  /**
   * `goQuiet(light, nextUs)`: offered at the end of each answered beat; true when the client was
   * handed to a quiet stepper (`quiet-client.ts`) that now beats in its place.
   */
  constructor(
    private readonly ep: Endpoint,
    private readonly s: V1Settings,
    private readonly servers: readonly string[],
    private readonly goQuiet?: (light: boolean, nextUs: number, keptRequests: number | null) => boolean,
  ) {
    this.http = new HttpClient(ep, v1HttpOptions(s));
    this.info = { id: ep.name, ephemeral: s.ephemeral };
    // The provider's own service port: answers the server's TCP checks of persistent instances.
    new HttpServer(ep, (_from, _body, reply) => reply({ code: OK_CODE }));
  }

  /** registerInstance: addBeatInfo first (first beat one period later), then the HTTP register. */
  start(): void {
    if (this.info.ephemeral) this.ep.host.schedule(msToUs(this.s.beatIntervalMs), this.beatTask);
    this.reqApi({ op: 'register', instance: this.info }, () => undefined);
  }

  /** Arms a runtime exception in the next beat's handling (fault `beat-error`, issue #5291). */
  armBeatError(): void {
    this.beatErrorArmed = true;
  }

  private readonly beatTask = (): void => {
    if (this.stopped) return;
    const light = this.lightRequest();
    const req: V1Request = light
      ? { op: 'beat', id: this.info.id, light }
      : { op: 'beat', id: this.info.id, light, instance: this.info, ...(this.s.beatBodyOtherService ? { bodyOtherService: true } : {}) };
    this.reqApi(req, (res) => this.afterBeat(res as BeatResponse | null));
  };

  private lightRequest(): boolean {
    return this.s.reRegistersOnNotFound && this.lightBeat;
  }

  private afterBeat(res: BeatResponse | null): void {
    let nextMs = this.s.beatIntervalMs;
    if (this.beatErrorArmed) {
      this.beatErrorArmed = false;
      this.ep.host.record('client.beat-error', { survives: this.s.beatLoopSurvivesErrors });
      if (!this.s.beatLoopSurvivesErrors) {
        // ≤ 1.4.1: only NacosException was caught and the reschedule was not in `finally`.
        this.stopped = true;
        this.ep.host.record('client.beat-loop-dead');
        return;
      }
    } else if (res !== null) {
      if (res.clientBeatInterval > 0) nextMs = res.clientBeatInterval;
      this.lightBeat = res.lightBeatEnabled ?? false;
      if (res.code === V1_CONSTANTS.beatNotFoundCode && this.s.reRegistersOnNotFound) {
        this.ep.host.record('client.reregister', { reason: 'beat-20404' });
        // The re-register is synchronous on the beat thread; its failure is ignored.
        this.reqApi({ op: 'register', instance: this.info }, () => this.ep.host.schedule(msToUs(nextMs), this.beatTask));
        return;
      }
      if (res.code === OK_CODE && this.goQuiet?.(this.lightRequest(), msToUs(nextMs), this.http.keptRequests(this.servers[0] as string)) === true) return;
    }
    this.ep.host.schedule(msToUs(nextMs), this.beatTask);
  }

  /**
   * NamingProxy.reqApi: with one server, `maxRetry` tries back to back; with several, each
   * once from a random start. Calls back with the response body, or null when all failed
   * (the NacosException that BeatReactor logs).
   */
  private reqApi(req: V1Request, done: (res: unknown) => void): void {
    const tries: string[] = [];
    if (this.servers.length === 1) for (let i = 0; i < this.s.singleServerTries; i++) tries.push(this.servers[0] as string);
    else {
      const start = this.ep.host.sim.rng(`client.server-pick:${this.ep.name}`).intInclusive(0, this.servers.length - 1);
      for (let i = 0; i < this.servers.length; i++) tries.push(this.servers[(start + i) % this.servers.length] as string);
    }
    const timeouts = { connectTimeoutUs: msToUs(this.s.connectTimeoutMs), readTimeoutUs: msToUs(this.s.readTimeoutMs) };
    const attempt = (i: number): void => {
      if (i >= tries.length) {
        done(null);
        return;
      }
      this.http.request(tries[i] as string, req, timeouts, (r) => (r.ok && !isHttpError(r.body) ? done(r.body) : attempt(i + 1)));
    };
    attempt(0);
  }
}
