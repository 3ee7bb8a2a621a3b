import { type Fault, type FaultKind, OWNER } from '../sim/faults.js';
import type { Micros } from '../sim/time.js';
import { didYouMean } from './closest.js';
import { formatDuration, parseDuration } from './duration.js';
import { InputError } from './input-error.js';

/**
 * The fault DSL: `KIND[:ARGS]@START[-END]`.
 *
 *   cut@60s            both directions between the client and the servers blackholed (no FIN/RST)
 *   cut@60s-90s        … and healed at 90 s
 *   oneway:c2s@60s     only client→server blackholed (oneway:s2c: only server→client)
 *   rst@60s            the client's connection is reset (the close is seen by both ends)
 *   crash@60s          the client process dies (its OS resets its connections)
 *   pause@60s-75s      the client process is frozen (GC pause, suspended VM); its OS still answers
 *   server-pause@60s-75s  the servers' processes are frozen
 *   loss:0.2@60s-120s  each datagram on the client's paths is lost with probability 0.2
 *   delay:800ms@60s    800 ms extra one-way latency on the client's paths
 *   flap:2s/8s@60s-300s  up 2 s / down 8 s, repeating (each cycle starts with the down phase)
 *   beat-error@60s     the client's next heartbeat hits a runtime exception (#5291)
 *   nat-idle:350s      a NAT / load balancer on the client's paths forgets a flow after 350 s
 *                      idle and drops its later packets (nat-idle:350s/rst: answers them with a
 *                      reset); a setting, active from 0 unless given @START
 * Cluster faults (servers s1…sN; `owner` = the server that holds c1's connection in 2.x, or is
 * responsible for c1's service in 1.x, named when the fault starts):
 *   cut:c1-s2@60s      only the paths between two hosts blackholed (cut:c1-owner, cut:s1-s2, cut:c1-sub1)
 *   cut:c1-proxy@60s   with --proxy: one leg of the proxied connection (cut:proxy-s1: the server leg)
 *   server-crash:s2@60s  a server process dies (its OS closes its connections)
 *   server-cut:owner@60s  a server cut from every host: clients, subscribers and the other servers
 *   peer-cut:owner@60s  a server cut from the other servers only (its clients still reach it)
 * Mass faults (capacity studies: many clients at once):
 *   rack-cut:c1..c5000@60s  clients c1…c5000 cut from every server at once (a rack or zone
 *                      partition; blackholed, no FIN/RST); heals with -END like cut
 *
 * Without `@START` (allowed in sweep and bound) the onset is left for the caller to draw.
 */
export interface FaultTemplate extends Omit<Fault, 'startUs' | 'endUs' | 'text'> {
  readonly startUs: Micros | null;
  /** For a template without a start: the fault's length, if it had a `-END`. */
  readonly durationUs: Micros | null;
  readonly endUs: Micros | null;
}

interface KindSpec {
  readonly args: 'none' | 'direction' | 'probability' | 'duration' | 'flap' | 'nat' | 'pair?' | 'server' | 'clients';
  readonly needsEnd: boolean;
  /** A setting rather than an event: without @START it is in place from 0. */
  readonly startOptional?: boolean;
  readonly example: string;
}

const KINDS: Readonly<Record<FaultKind, KindSpec>> = {
  cut: { args: 'pair?', needsEnd: false, example: 'cut@60s' },
  oneway: { args: 'direction', needsEnd: false, example: 'oneway:c2s@60s' },
  rst: { args: 'none', needsEnd: false, example: 'rst@60s' },
  crash: { args: 'none', needsEnd: false, example: 'crash@60s' },
  pause: { args: 'none', needsEnd: true, example: 'pause@60s-75s' },
  'server-pause': { args: 'none', needsEnd: true, example: 'server-pause@60s-75s' },
  loss: { args: 'probability', needsEnd: false, example: 'loss:0.2@60s-120s' },
  delay: { args: 'duration', needsEnd: false, example: 'delay:800ms@60s' },
  flap: { args: 'flap', needsEnd: false, example: 'flap:2s/8s@60s-300s' },
  'beat-error': { args: 'none', needsEnd: false, example: 'beat-error@60s' },
  'nat-idle': { args: 'nat', needsEnd: false, example: 'nat-idle:350s', startOptional: true },
  'server-crash': { args: 'server', needsEnd: false, example: 'server-crash:owner@60s' },
  'server-cut': { args: 'server', needsEnd: false, example: 'server-cut:s2@60s' },
  'peer-cut': { args: 'server', needsEnd: false, example: 'peer-cut:owner@60s' },
  'rack-cut': { args: 'clients', needsEnd: false, example: 'rack-cut:c1..c5000@60s' },
};

export const FAULT_KINDS = Object.keys(KINDS) as FaultKind[];
export const faultExamples = (): string => FAULT_KINDS.map((k) => KINDS[k].example).join(', ');

/** Kinds that happen at an instant: an END would be silently meaningless, so it is refused. */
const INSTANT: ReadonlySet<string> = new Set(['rst', 'crash', 'beat-error', 'server-crash']);

const FORM = /^([a-z-]+)(?::([^@]+))?(?:@([^-]+)(?:-(.+))?)?$/;

/** Names the likely bad part of text that does not have the DSL's shape. */
const formHint = (raw: string): string => {
  const at = raw.indexOf('@');
  if (at < 0) return /\d/.test(raw) ? "missing '@' before the start; " : '';
  const times = raw.slice(at + 1);
  if (times === '') return 'missing the start after @; ';
  if (times.startsWith('-') || times.includes('--')) return 'times cannot be negative; ';
  if (times.endsWith('-')) return 'missing the end after -; ';
  return /^[a-z-]+/.test(raw) ? '' : 'KIND is lower-case letters and -; ';
};

export const parseFaultTemplate = (text: string): FaultTemplate => {
  const raw = text.trim();
  const m = FORM.exec(raw);
  if (m === null) throw new InputError(`fault '${raw}': ${formHint(raw)}expected KIND[:ARGS]@START[-END], e.g. ${faultExamples()}`);
  const [, kindText, argText, startText, endText] = m;
  const spec = KINDS[kindText as FaultKind];
  if (spec === undefined)
    throw new InputError(`fault '${raw}': unknown kind '${kindText}'${didYouMean(kindText ?? '', FAULT_KINDS)} (accepted: ${FAULT_KINDS.join(', ')})`);
  const kind = kindText as FaultKind;
  const startUs = startText === undefined ? (spec.startOptional === true ? 0 : null) : parseDuration(startText, `fault '${raw}' start`);
  const endUs = endText === undefined ? null : parseDuration(endText, `fault '${raw}' end`);
  if (startUs !== null && endUs !== null && endUs <= startUs) throw new InputError(`fault '${raw}': end must be after start`);
  if (spec.needsEnd && startUs !== null && endUs === null) throw new InputError(`fault '${raw}': ${kind} needs an end, e.g. ${spec.example}`);
  if (INSTANT.has(kind) && endText !== undefined) throw new InputError(`fault '${raw}': ${kind} happens once and has no end, e.g. ${spec.example}`);
  return { kind, startUs, endUs, durationUs: startUs !== null && endUs !== null ? endUs - startUs : null, ...parseArgs(raw, kind, spec, argText) };
};

/** Parses a fault that must have its start (`run`). */
export const parseFault = (text: string): Fault => {
  const t = parseFaultTemplate(text);
  if (t.startUs === null) throw new InputError(`fault '${text.trim()}': needs @START in run, e.g. ${KINDS[t.kind].example}`);
  return placeFault(t, t.startUs);
};

/** Fixes a template's onset (drawn by a sweep or searched by `bound`). */
export const placeFault = (t: FaultTemplate, startUs: Micros): Fault => {
  const lengthUs = t.startUs !== null && t.endUs !== null ? t.endUs - t.startUs : t.durationUs;
  const endUs = lengthUs === null ? null : startUs + lengthUs;
  const { durationUs: _d, ...rest } = t;
  const fault = { ...rest, startUs, endUs };
  return { ...fault, text: formatFault(fault) };
};

export const formatFault = (f: Omit<Fault, 'text'>): string => {
  let args = '';
  if (f.kind === 'oneway') args = `:${f.direction}`;
  if (f.kind === 'loss') args = `:${f.probability}`;
  if (f.kind === 'delay') args = `:${formatDuration(f.delayUs ?? 0)}`;
  if (f.kind === 'flap') args = `:${formatDuration(f.upUs ?? 0)}/${formatDuration(f.downUs ?? 0)}`;
  if (f.kind === 'nat-idle') args = `:${formatDuration(f.idleUs ?? 0)}${f.natAction === 'rst' ? '/rst' : ''}`;
  if (f.hosts !== undefined) args = `:${f.hosts.join('-')}`;
  if (f.target !== undefined) args = `:${f.target}`;
  if (f.clients !== undefined) args = `:c${f.clients[0]}..c${f.clients[1]}`;
  const end = f.endUs === null ? '' : `-${formatDuration(f.endUs)}`;
  if (f.kind === 'nat-idle' && f.startUs === 0 && f.endUs === null) return `${f.kind}${args}`;
  return `${f.kind}${args}@${formatDuration(f.startUs)}${end}`;
};

/** A host of a pair cut: c1…, s1…, sub1…, `owner`, or `proxy` (a run with --proxy). */
const HOST = /^(?:(?:c|s|sub)[1-9]\d*|proxy)$/;
const SERVER = /^s[1-9]\d*$/;
/** A rack cut's clients: c1..c5000 (at most 9 digits each). */
const CLIENT_RANGE = /^c([1-9]\d{0,8})\.\.c([1-9]\d{0,8})$/;

const parseHostArgs = (raw: string, kind: FaultKind, spec: KindSpec, argText: string): Partial<Fault> => {
  if (spec.args === 'server') {
    if (argText !== OWNER && !SERVER.test(argText)) throw new InputError(`fault '${raw}': ${kind} names a server s1…sN or owner, e.g. ${spec.example}`);
    return { target: argText };
  }
  const parts = argText.split('-');
  const bad = parts.find((p) => p !== OWNER && !HOST.test(p));
  if (parts.length !== 2 || bad !== undefined)
    throw new InputError(`fault '${raw}': cut takes no arguments but two hosts A-B (c1…, s1…, sub1…, owner or proxy), e.g. cut@60s or cut:c1-s2@60s`);
  if (parts[0] === parts[1]) throw new InputError(`fault '${raw}': cut:A-B needs two different hosts, e.g. cut:c1-s2@60s`);
  return { hosts: [parts[0] as string, parts[1] as string] };
};

const parseArgs = (raw: string, kind: FaultKind, spec: KindSpec, argText: string | undefined): Partial<Fault> => {
  if (spec.args === 'pair?' && argText === undefined) return {};
  if (spec.args === 'pair?' || spec.args === 'server') {
    if (argText === undefined) throw new InputError(`fault '${raw}': ${kind} needs an argument, e.g. ${spec.example}`);
    return parseHostArgs(raw, kind, spec, argText);
  }
  if (spec.args === 'none') {
    if (argText !== undefined) throw new InputError(`fault '${raw}': ${kind} takes no arguments, e.g. ${spec.example}`);
    return {};
  }
  if (argText === undefined) throw new InputError(`fault '${raw}': ${kind} needs an argument, e.g. ${spec.example}`);
  switch (spec.args) {
    case 'direction':
      if (argText !== 'c2s' && argText !== 's2c') throw new InputError(`fault '${raw}': direction must be c2s or s2c`);
      return { direction: argText };
    case 'probability': {
      const p = Number(argText);
      if (!/^\d*\.?\d+$/.test(argText) || !(p >= 0 && p <= 1)) throw new InputError(`fault '${raw}': loss must be a probability in [0, 1], e.g. loss:0.2`);
      return { probability: p };
    }
    case 'duration':
      return { delayUs: parseDuration(argText, `fault '${raw}' delay`) };
    case 'flap': {
      const parts = argText.split('/');
      if (parts.length !== 2) throw new InputError(`fault '${raw}': flap needs UP/DOWN durations, e.g. flap:2s/8s`);
      const upUs = parseDuration(parts[0] as string, `fault '${raw}' up time`);
      const downUs = parseDuration(parts[1] as string, `fault '${raw}' down time`);
      if (upUs === 0 || downUs === 0) throw new InputError(`fault '${raw}': flap up and down times must be positive`);
      return { upUs, downUs };
    }
    case 'clients': {
      const m = CLIENT_RANGE.exec(argText);
      if (m === null) throw new InputError(`fault '${raw}': rack-cut names a range of clients cFIRST..cLAST, e.g. ${spec.example}`);
      const first = Number(m[1]);
      const last = Number(m[2]);
      if (first > last) throw new InputError(`fault '${raw}': the range c${first}..c${last} is empty (the first client comes after the last)`);
      return { clients: [first, last] };
    }
    case 'nat': {
      const [idleText, action = 'drop'] = argText.split('/');
      if (action !== 'drop' && action !== 'rst') throw new InputError(`fault '${raw}': after IDLE give /drop or /rst, e.g. nat-idle:350s/rst`);
      const idleUs = parseDuration(idleText as string, `fault '${raw}' idle timeout`);
      if (idleUs === 0) throw new InputError(`fault '${raw}': the idle timeout must be positive`);
      return { idleUs, natAction: action };
    }
  }
};
