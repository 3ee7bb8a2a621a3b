import type { Fault } from '../../sim/faults.js';
import { DROP, type NetRule, PASS } from '../../sim/network.js';
import type { Micros } from '../../sim/time.js';

const active = (f: Fault, nowUs: Micros): boolean => nowUs >= f.startUs && (f.endUs === null || nowUs < f.endUs);

/**
 * The generic cut, oneway and flap block c1's paths to the servers. A Consul node has no single
 * server path: it gossips with every member. For this model those faults are of c1's machine,
 * so they also block its paths to the other members (clients and consumers), the way a machine
 * pulled off the network is seen by the cluster. Cuts between named hosts are left as they are.
 */
export const nodeFaultRules = (faults: readonly Fault[], client: string, isServer: (h: string) => boolean): NetRule[] =>
  faults.flatMap((f): NetRule[] => {
    if (f.hosts !== undefined || !['cut', 'oneway', 'flap'].includes(f.kind)) return [];
    const blocks = (from: string, to: string, nowUs: Micros): boolean => {
      const out = from === client && !isServer(to);
      const inbound = to === client && !isServer(from);
      if (!active(f, nowUs) || (!out && !inbound)) return false;
      if (f.kind === 'oneway') return f.direction === 'c2s' ? out : inbound;
      if (f.kind === 'flap') return (nowUs - f.startUs) % ((f.downUs ?? 0) + (f.upUs ?? 0)) < (f.downUs ?? 0);
      return true;
    };
    return [{ name: `${f.text} (node)`, judge: (from, to, nowUs) => (blocks(from, to, nowUs) ? DROP : PASS) }];
  });
