import type { Fault, FaultTargets } from './faults.js';
import { Middlebox } from './middlebox.js';
import type { Simulation } from './simulation.js';
import type { StreamNet } from './stream.js';

/**
 * The faults that act on stream connections rather than on datagrams, installed after the
 * generic ones (installFaults) so that at the same instant the process dies first:
 *   rst       a reset injected on the client⇄server paths: both ends of every connection see it
 *   crash     the client's OS closes its sockets: a FIN to each peer (lost if its path is down)
 *   nat-idle  a middlebox on the client⇄server paths that forgets idle flows
 */
export const installStreamFaults = (sim: Simulation, streams: StreamNet, faults: readonly Fault[], targets: FaultTargets): void => {
  const client = targets.client.name;
  const servers = new Set(targets.servers.map((s) => s.name));
  for (const f of faults) {
    if (f.kind === 'rst')
      sim.at(f.startUs, () => {
        for (const s of servers) streams.resetBetween(client, s);
      });
    if (f.kind === 'crash') sim.at(f.startUs, () => streams.stackOf(client)?.crash());
    if (f.kind === 'nat-idle') {
      streams.addMiddlebox(
        new Middlebox(sim, {
          idleUs: f.idleUs ?? 0,
          onForgotten: f.natAction ?? 'drop',
          crosses: (a, b) => (a === client && servers.has(b)) || (b === client && servers.has(a)),
          fromUs: f.startUs,
          untilUs: f.endUs,
          name: f.text,
          host: client,
        }),
      );
    }
  }
};
