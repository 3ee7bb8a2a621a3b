import type { Host } from './host.js';
import { DROP, type NetRule, type Network, PASS, type Verdict } from './network.js';
import type { Simulation } from './simulation.js';
import type { Micros } from './time.js';

/**
 * Faults as plain data. The DSL parser (src/scenario) produces these; `installFaults` turns the
 * network and process faults into ordered network rules and scheduled host events. Kinds that
 * only a protocol understands (`rst`, `beat-error`, `nat-idle`) are left to the model, and so are
 * the connections of a crashed server (`server-crash` kills its process here).
 */
export type FaultKind =
  | 'cut'
  | 'oneway'
  | 'rst'
  | 'crash'
  | 'pause'
  | 'server-pause'
  | 'loss'
  | 'delay'
  | 'flap'
  | 'beat-error'
  | 'nat-idle'
  | 'server-crash'
  | 'server-cut'
  | 'peer-cut'
  | 'rack-cut';

/** In a fault's host names: the server the model names as the client's (c1's) owner, resolved at the fault's start. */
export const OWNER = 'owner';

export interface Fault {
  readonly kind: FaultKind;
  /** Canonical DSL text, for reports and replay lines. */
  readonly text: string;
  readonly startUs: Micros;
  /** Exclusive end; null = lasts to the horizon. */
  readonly endUs: Micros | null;
  /** oneway: which direction is blackholed (client→server or server→client). */
  readonly direction?: 'c2s' | 's2c';
  /** loss: probability that each datagram is lost. */
  readonly probability?: number;
  /** delay: extra one-way latency. */
  readonly delayUs?: Micros;
  /** flap: the link is down for downUs, then up for upUs, repeating. */
  readonly upUs?: Micros;
  readonly downUs?: Micros;
  /** nat-idle: a NAT or load balancer on the client's paths forgets a flow after this long without packets. */
  readonly idleUs?: Micros;
  /** nat-idle: what it does with a later packet of a forgotten flow. */
  readonly natAction?: 'drop' | 'rst';
  /** cut between two named hosts only (`cut:c1-s2`), instead of the client⇄servers paths. */
  readonly hosts?: readonly [string, string];
  /** server-crash, server-cut, peer-cut: the server (`s2`, or `owner`). */
  readonly target?: string;
  /** rack-cut: the clients c<first>…c<last> (both included) lose their paths to every server at once. */
  readonly clients?: readonly [number, number];
}

/** The proxy host's name in fault texts (`cut:c1-proxy`, `cut:proxy-s1`). */
export const PROXY = 'proxy';

/** Is host `name` one of the clients c<first>…c<last> of a rack cut? */
const inRack = (f: Fault, name: string): boolean => {
  const range = f.clients;
  if (range === undefined || name.charCodeAt(0) !== CHAR_C) return false;
  const i = Number(name.slice(1));
  return Number.isInteger(i) && i >= range[0] && i <= range[1];
};
const CHAR_C = 99; // 'c'

/** Which hosts a fault touches: the client under study and the servers it talks to. */
export interface FaultTargets {
  readonly client: Host;
  readonly servers: readonly Host[];
  /** Names the server `owner` stands for at this moment (null: none); without it `owner` names nothing. */
  readonly owner?: () => string | null;
  /**
   * The host the client reaches the servers through (a proxy), if any: then the client's path
   * faults (cut, oneway, loss, delay, flap) act on client⇄gateway, the only path it has.
   */
  readonly gateway?: string;
}

/** A host name of a fault, with `owner` resolved once, when the fault starts. */
type Resolve = (name: string) => string | null;

const active = (f: Fault, nowUs: Micros): boolean => nowUs >= f.startUs && (f.endUs === null || nowUs < f.endUs);

/** Does this datagram cross the client⇄server paths, and in which direction? */
const direction = (targets: FaultTargets, from: string, to: string): 'c2s' | 's2c' | null => {
  const c = targets.client.name;
  const far = (h: string): boolean => (targets.gateway !== undefined ? h === targets.gateway : targets.servers.some((s) => s.name === h));
  if (from === c && far(to)) return 'c2s';
  if (to === c && far(from)) return 's2c';
  return null;
};

/** Does a datagram between `from` and `to` cross what a node fault cuts (every path of the node, or its paths to the other servers)? */
const nodeCut = (f: Fault, targets: FaultTargets, node: string, from: string, to: string): boolean => {
  if (f.kind === 'server-cut') return from === node || to === node;
  const isServer = (h: string): boolean => targets.servers.some((s) => s.name === h);
  return (from === node && isServer(to)) || (to === node && isServer(from));
};

export const faultRule = (f: Fault, targets: FaultTargets, resolve: Resolve = (n) => n): NetRule | null => {
  if (f.kind === 'cut' && f.hosts !== undefined) {
    const [a, b] = f.hosts;
    return {
      name: f.text,
      judge: (from, to, nowUs) => {
        if (!active(f, nowUs)) return PASS;
        const x = resolve(a);
        const y = resolve(b);
        return (from === x && to === y) || (from === y && to === x) ? DROP : PASS;
      },
    };
  }
  if (f.kind === 'rack-cut') {
    const isServer = (h: string): boolean => targets.servers.some((s) => s.name === h);
    return {
      name: f.text,
      judge: (from, to, nowUs) => (active(f, nowUs) && ((inRack(f, from) && isServer(to)) || (inRack(f, to) && isServer(from))) ? DROP : PASS),
    };
  }
  if (f.kind === 'server-cut' || f.kind === 'peer-cut') {
    return {
      name: f.text,
      judge: (from, to, nowUs) => {
        if (!active(f, nowUs)) return PASS;
        const node = resolve(f.target ?? '');
        return node !== null && nodeCut(f, targets, node, from, to) ? DROP : PASS;
      },
    };
  }
  const judge =
    (pred: (dir: 'c2s' | 's2c', nowUs: Micros) => Verdict) =>
    (from: string, to: string, nowUs: Micros): Verdict => {
      if (!active(f, nowUs)) return PASS;
      const dir = direction(targets, from, to);
      return dir === null ? PASS : pred(dir, nowUs);
    };
  switch (f.kind) {
    case 'cut':
      return { name: f.text, judge: judge(() => DROP) };
    case 'oneway':
      return { name: f.text, judge: judge((dir) => (dir === f.direction ? DROP : PASS)) };
    case 'flap': {
      const down = f.downUs ?? 0;
      const period = down + (f.upUs ?? 0);
      return { name: f.text, judge: judge((_dir, nowUs) => ((nowUs - f.startUs) % period < down ? DROP : PASS)) };
    }
    case 'loss':
      return {
        name: f.text,
        judge: (from, to, nowUs, rng) => (active(f, nowUs) && direction(targets, from, to) !== null && rng.chance(f.probability ?? 0) ? DROP : PASS),
      };
    case 'delay': {
      const v: Verdict = { action: 'delay', extraUs: f.delayUs ?? 0 };
      return { name: f.text, judge: judge(() => v) };
    }
    default:
      return null;
  }
};

/** The host names a fault acts on (`owner` included, unresolved). */
const namesOf = (f: Fault): readonly string[] => (f.hosts !== undefined ? f.hosts : f.target !== undefined ? [f.target] : []);

/** Installs every generic fault and records its start (and end) in the trace. */
export const installFaults = (sim: Simulation, net: Network, faults: readonly Fault[], targets: FaultTargets): void => {
  for (const f of faults) {
    // `owner` is resolved when the fault starts and keeps that meaning to its end.
    let owner: string | null = null;
    const resolve: Resolve = (n) => (n === OWNER ? owner : n);
    const rule = faultRule(f, targets, resolve);
    if (rule !== null) net.addRule(rule);
    // A middlebox setting takes effect when it first forgets a flow: the stream layer records that.
    if (f.kind === 'nat-idle') continue;
    const names = namesOf(f);
    sim.at(f.startUs, () => {
      if (names.includes(OWNER)) owner = targets.owner?.() ?? null;
      if (names.length === 0) sim.record('fault.start', targets.client.name, { fault: f.text });
      else sim.record('fault.start', targets.client.name, { fault: f.text, target: names.map((n) => resolve(n) ?? 'none').join('-') });
      if (f.kind === 'server-crash') targets.servers.find((s) => s.name === resolve(f.target ?? ''))?.crash();
      if (f.kind === 'crash') targets.client.crash();
      if (f.kind === 'pause') targets.client.pause();
      if (f.kind === 'server-pause') for (const s of targets.servers) s.pause();
    });
    if (f.endUs !== null) {
      sim.at(f.endUs, () => {
        sim.record('fault.end', targets.client.name, { fault: f.text });
        if (f.kind === 'pause') targets.client.resume();
        if (f.kind === 'server-pause') for (const s of targets.servers) s.resume();
      });
    }
  }
};

/**
 * Is the client's process alive and its path to the servers free of blackholing faults at `nowUs`?
 * Faults of the servers (crash, cut of a node) leave the client reachable. A cut between two named
 * hosts counts when it touches `client` (and, with `client` not given, always); a rack cut when its
 * range holds `client` (not given: c1, the client the metrics follow).
 */
/** A cut between the proxy and a server: every client behind the proxy loses that server. */
const proxyToServer = (hosts: readonly [string, string]): boolean =>
  (hosts[0] === PROXY && /^s\d+$/.test(hosts[1])) || (hosts[1] === PROXY && /^s\d+$/.test(hosts[0]));

export const clientReachable = (faults: readonly Fault[], nowUs: Micros, client?: string): boolean =>
  !faults.some((f) => {
    if (f.kind === 'crash') return nowUs >= f.startUs;
    if (!active(f, nowUs)) return false;
    if (f.kind === 'cut' && f.hosts !== undefined && client !== undefined) return f.hosts.includes(client) || proxyToServer(f.hosts);
    if (f.kind === 'rack-cut') return inRack(f, client ?? 'c1');
    if (f.kind === 'flap') return (nowUs - f.startUs) % ((f.downUs ?? 0) + (f.upUs ?? 0)) < (f.downUs ?? 0);
    return f.kind === 'cut' || f.kind === 'oneway' || f.kind === 'pause' || f.kind === 'server-pause';
  });
