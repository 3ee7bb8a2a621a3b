import type { Expectation } from '../../analysis/bounds.js';
import type { Fault } from '../../sim/faults.js';
import { msToUs, usToMs } from '../../sim/time.js';
import { num } from '../knob.js';
import type { RegistryBounds, RunBoundsInput } from '../model.js';
import { zkSettings } from './settings.js';

/**
 * Analytic windows of the ZooKeeper model, one server, c1 followed, every message one leg d:
 *   - c1 connects at 0, its connect answered two legs later, when it sends its create (heard at
 *     3 legs); from then it pings P = readTimeout / 2 after each send: sends at 2 legs + k·P;
 *   - every packet heard at h moves the session to the bucket roundToNextInterval(h + T): the next
 *     multiple of the tick strictly after h + T; the tracker expires it then and the ephemeral
 *     node goes: removal in (h + T, h + T + tick];
 *   - the consumer's watch fires at the removal: the event, its getChildren and the answer are
 *     three legs.
 */
const LEGS = { connected: 2, watchRead: 3 } as const; // literal-ok: counted in the comment above

const roundUs = (ms: number): number => usToMs(Math.round(msToUs(ms)));
const within = (lowerMs: number, upperMs: number): Expectation => ({ kind: 'within', interval: { lowerMs: roundUs(lowerMs), upperMs: roundUs(upperMs) } });
const never = (why: string): Expectation => ({ kind: 'never', why });
const noBound = (why: string): Expectation => ({ kind: 'no-bound', why });

type Heard = { readonly lowerMs: number; readonly upperMs: number } | Expectation;

const lastHeard = (f: Fault, P: number, d: { min: number; max: number }): Heard => {
  if (f.hosts !== undefined && !f.hosts.includes('c1')) return noBound(`${f.text} leaves c1's path to the server alone`);
  // Pings and reconnects still renew the session, until the client, hearing nothing for 4/3·T,
  // closes it itself and asks for a new one: the old session, no longer touched, expires.
  if (f.kind === 'oneway' && f.direction === 's2c')
    return noBound(
      's2c: the client gives its session up (4/3 of the timeout unheard) and the old one expires after its last reconnect: the simulation answers it',
    );
  if (!['cut', 'crash', 'pause', 'oneway'].includes(f.kind)) return noBound(`a ${f.kind} fault: the simulation answers it`);
  const F = usToMs(f.startUs);
  if (F <= LEGS.connected * d.max) return noBound('the fault may stop the session or its node being created');
  // The last send before F: the create (2 legs) or a ping P·k later; heard a leg after it.
  const fromCreate = { lowerMs: (LEGS.connected + 1) * d.min - F, upperMs: (LEGS.connected + 1) * d.max - F };
  const fromPing = { lowerMs: d.min - P, upperMs: d.max };
  if (F <= LEGS.connected * d.min + P) return fromCreate;
  if (F > LEGS.connected * d.max + P) return fromPing;
  return { lowerMs: Math.min(fromCreate.lowerMs, fromPing.lowerMs), upperMs: Math.max(fromCreate.upperMs, fromPing.upperMs) };
};

export const zkBounds = ({ config, latency, faults }: RunBoundsInput): RegistryBounds => {
  const s = zkSettings(config);
  const d = { min: usToMs(latency.minUs), max: usToMs(latency.maxUs) };
  const noUnhealthy = never('ZooKeeper has no unhealthy state: the ephemeral node exists until its session closes');
  const fromHeard = within(s.sessionMs, s.sessionMs + s.tickMs);
  const bounds = (removedFromFault: Expectation, staleFromFault: Expectation): RegistryBounds => ({
    unhealthyFromLastHeard: noUnhealthy,
    removedFromLastHeard: fromHeard,
    unhealthyFromFault: noUnhealthy,
    removedFromFault,
    staleFromFault,
  });
  const fault = faults[0];
  const lossy = num(config, 'net.loss') > 0;
  // A live client is heard every P; its session lasts T after that.
  const safe = !lossy && s.pingAfterMs + d.max < s.sessionMs;
  if (fault === undefined) {
    const none = safe ? never('no fault: a live client pings well inside its session timeout') : noBound('no fault, but pings can be lost or too rare');
    return bounds(none, none);
  }
  const window: Heard =
    faults.length > 1
      ? noBound('several faults: the simulation answers it')
      : !safe
        ? noBound('pings can be lost, or come too rarely for the session')
        : lastHeard(fault, s.pingAfterMs, d);
  if ('kind' in window) return bounds(window, window);
  const removed = within(s.sessionMs + window.lowerMs, s.sessionMs + s.tickMs + window.upperMs);
  const heals = (e: Expectation): Expectation =>
    e.kind === 'within' && fault.endUs !== null && usToMs(fault.endUs - fault.startUs) <= e.interval.upperMs
      ? noBound(`${fault.text} heals before the session is certain to expire: the simulation answers it`)
      : e;
  const listedByMs = (LEGS.connected + 1 + LEGS.watchRead) * d.max;
  const stale =
    usToMs(fault.startUs) <= listedByMs
      ? noBound('the fault may come before the consumer first lists the instance')
      : within(s.sessionMs + window.lowerMs + LEGS.watchRead * d.min, s.sessionMs + s.tickMs + window.upperMs + LEGS.watchRead * d.max);
  return bounds(heals(removed), heals(stale));
};
