import type { Expectation } from '../analysis/bounds.js';
import type { Mechanism } from '../analysis/mechanisms.js';
import { removalCause } from '../analysis/removal-cause.js';
import { PROXY_KEYS, PROXY_PRODUCTS } from '../models/proxy/defaults.js';
import { formatDuration } from '../scenario/duration.js';
import { parseLatency } from '../scenario/latency-dsl.js';
import { replayCommand } from '../scenario/replay.js';
import { type RunOutput, resolveScenario, runScenario, type Scenario } from '../scenario/run.js';
import type { ScenarioFile } from '../scenario/scenario.js';
import type { Fault } from '../sim/faults.js';
import { latencyEnvelope } from '../sim/latency.js';
import { msToUs, usToMs } from '../sim/time.js';

/**
 * When the server removes c1's instance under the user's settings and fault: one time, or
 * "never" with the reason no mechanism ends it. The simulation decides; where the analytic
 * bound reaches past the horizon the user left at its default, the horizon is extended to the
 * bound's end (+ a minute) so that the answer is a time, not a guess of --until.
 */
export interface RemovalAnswer {
  /** The faults the answer is for (the user's, or cut@60s). */
  readonly faults: readonly string[];
  readonly faultAtMs: number | null;
  readonly removedAtMs: number | null;
  readonly detectionMs: number | null;
  readonly staleMs: number | null;
  readonly unhealthyAtMs: number | null;
  /** When the client noticed it was cut off (2.x: its health check failed). */
  readonly clientNoticedAtMs: number | null;
  /** Why the server removed it (the model's recorded reason, in words). */
  readonly because: string | null;
  /** Why it is never removed (null when it is, or when only the horizon came first). */
  readonly never: string | null;
  readonly until: string;
  /** One line saying the horizon was extended, and to reach what (null when it was not). */
  readonly horizonNote: string | null;
  /** The analytic bound on fault → removal, and each mechanism with its own window. */
  readonly removal: Expectation | null;
  readonly mechanisms: readonly Mechanism[];
  readonly replay: string;
}

/** Time after the bound's end that the extended horizon adds, so that the removal's push is seen too. */
export const HORIZON_MARGIN_MS = 60_000;

const SERVER_NAME = /^s\d+$/;
/** As the run's bounds see it (run.ts): a pair cut that touches no server is no fault for the registry. */
const touchesRegistry = (f: Fault): boolean => f.hosts === undefined || f.hosts.some((h) => h === 'owner' || SERVER_NAME.test(h));

/** The mechanisms for one server; a cluster or an unknown model has none here (its bound decides). */
export const mechanismsOf = (sc: Scenario): { removal: Expectation; mechanisms: readonly Mechanism[] } | null => {
  if (sc.servers !== 1) return null;
  const input = {
    config: sc.config,
    clientVersion: sc.clientVersion,
    latency: latencyEnvelope(parseLatency(String(sc.config['net.latency']))),
    faults: sc.faults.filter(touchesRegistry),
    instances: sc.clients,
  };
  return sc.model.analysis?.mechanisms?.({ ...input, serverVersion: sc.serverVersion }) ?? null;
};

/** "2h 3m", "45m", "90s": how a horizon is said in a sentence. */
export const spokenDuration = (us: number): string => {
  const s = Math.round(us / 1_000_000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts = [h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', rest > 0 || s === 0 ? `${rest}s` : ''];
  return parts.filter((p) => p !== '').join(' ');
};

const latest = (ms: readonly Mechanism[]): Mechanism | null =>
  ms
    .filter((m) => m.window !== null && m.marksOnly !== true)
    .reduce<Mechanism | null>((a, m) => (a === null || (m.window?.upperMs ?? 0) > (a.window?.upperMs ?? 0) ? m : a), null);

const shortName = (m: Mechanism): string => m.name.replace(/ \(.*$/, '');

export interface Answered {
  readonly answer: RemovalAnswer;
  readonly output: RunOutput;
  readonly scenario: Scenario;
}

/**
 * Runs the user's scenario (with `cut@60s` when it names no fault) and answers when the instance
 * is removed. `extend`: the user left the horizon at its default, so it may be moved.
 */
export const answerRemoval = (input: ScenarioFile, opts: { readonly extend: boolean; readonly quiet?: boolean }): Answered => {
  let sc = resolveScenario(input);
  let output = runScenario(sc, { trace: 'followed', quiet: opts.quiet ?? true });
  let horizonNote: string | null = null;
  const m = output.result.metrics;
  const found = mechanismsOf(sc);
  const bound = output.result.bounds?.removedFromFault ?? null;
  // How far to look: the analytic window's end, or, through a proxy that closes idle legs (no
  // analytic bound), its idle timeout after the client's last request heard (≤ the fault).
  const closing = proxyClosing(sc);
  const reachMs = bound?.kind === 'within' ? bound.interval.upperMs : closing === null ? null : closing.idleMs + closing.slackMs;
  if (opts.extend && m.faultAtMs !== null && m.serverRemovedAtMs === null && reachMs !== null) {
    const endMs = m.faultAtMs + reachMs + HORIZON_MARGIN_MS;
    if (msToUs(endMs) > sc.untilUs) {
      const untilUs = Math.ceil(endMs / 60_000) * 60_000_000;
      const from = spokenDuration(sc.untilUs);
      sc = resolveScenario({ ...input, until: formatDuration(untilUs) });
      output = runScenario(sc, { trace: 'followed', quiet: opts.quiet ?? true });
      if (bound?.kind === 'within') {
        const last = found === null ? null : latest(found.mechanisms);
        const reach = last === null ? 'the end of the analytic window' : shortName(last);
        horizonNote = `horizon extended from ${from} to ${spokenDuration(untilUs)} to reach ${reach} (the analytic window ends ${bound.interval.upperMs / 1000} s after the fault)`;
      } else if (closing !== null) {
        horizonNote = `horizon extended from ${from} to ${spokenDuration(untilUs)} to reach the proxy's idle timeout (${closing.name}: ${closing.idleMs / 1000} s after the last byte it relayed)`;
      }
    }
  }
  const r = output.result;
  const mm = r.metrics;
  const removedUs = mm.serverRemovedAtMs === null ? null : msToUs(mm.serverRemovedAtMs);
  const because = removedUs === null ? null : removalCause(output.trace, 'c1', removedUs);
  const mechanisms = found?.mechanisms ?? [];
  return {
    answer: {
      faults: r.faults,
      faultAtMs: mm.faultAtMs,
      removedAtMs: mm.serverRemovedAtMs,
      detectionMs: mm.detectionMs,
      staleMs: mm.staleMs,
      unhealthyAtMs: mm.serverUnhealthyAtMs,
      clientNoticedAtMs: mm.clientDetectedAtMs,
      because,
      never: mm.serverRemovedAtMs === null && mm.faultAtMs !== null ? neverReason(r.bounds?.removedFromFault ?? null, mechanisms, sc) : null,
      until: r.until,
      horizonNote,
      removal: r.bounds?.removedFromFault ?? null,
      mechanisms,
      replay: replayCommand(sc),
    },
    output,
    scenario: sc,
  };
};

/**
 * A proxy that closes both legs when idle (nginx stream's proxy_timeout), as the horizon needs it:
 * its idle timeout, and the slack after the fault (the client's keep-alive gap: the last byte
 * relayed may come that much after the last request heard before it). Null without one, or for
 * a proxy that forgets flows silently (an NLB tells the server nothing).
 */
const proxyClosing = (sc: Scenario): { name: string; idleMs: number; slackMs: number } | null => {
  const kind = sc.config[PROXY_KEYS.proxy];
  if (typeof kind !== 'string' || !(kind in PROXY_PRODUCTS)) return null;
  const product = PROXY_PRODUCTS[kind as keyof typeof PROXY_PRODUCTS];
  if (product.onIdle !== 'close') return null;
  const idle = sc.config[PROXY_KEYS.idleTimeout];
  return { name: kind, idleMs: typeof idle === 'number' ? idle : product.idleTimeoutMs, slackMs: HORIZON_MARGIN_MS };
};

/** Why nothing removes it: the bound's reason, or each mechanism's; null when only the horizon came first. */
const neverReason = (bound: Expectation | null, mechanisms: readonly Mechanism[], sc: Scenario): string | null => {
  if (bound?.kind === 'never') return bound.why;
  if (bound?.kind === 'within' && usToMs(sc.untilUs) < bound.interval.upperMs) return null;
  if (mechanisms.length > 0 && mechanisms.every((x) => x.window === null || x.marksOnly === true))
    return mechanisms
      .map((x) => x.note ?? '')
      .filter((x) => x !== '')
      .join('; ');
  return null;
};
