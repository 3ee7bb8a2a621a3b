import type { Endpoint } from '../sim/endpoint.js';
import type { Fault, FaultKind } from '../sim/faults.js';
import type { Host } from '../sim/host.js';
import type { Network } from '../sim/network.js';
import type { Simulation } from '../sim/simulation.js';
import type { Config, Constant, Knob } from './knob.js';
import type { Version } from './version.js';

/** What a model gets to build on: the kernel, the network and the named hosts. */
export interface World {
  readonly sim: Simulation;
  readonly net: Network;
  /** c1…cN: each registers one ephemeral (or persistent) instance; the metrics follow c1's. */
  readonly clients: readonly Host[];
  /** s1…sN. */
  readonly servers: readonly Host[];
  /** sub1…subN: consumers of the service. */
  readonly subscribers: readonly Host[];
  readonly faults: readonly Fault[];
  endpoint(host: Host): Endpoint;
  /**
   * Cluster runs: the model names the server that a fault's `owner` stands for (the node holding
   * c1's connection in 2.x, the node responsible for c1's service in 1.x). Called when such a
   * fault starts; null when no server qualifies.
   */
  setOwnerResolver?(resolve: () => string | null): void;
}

export interface Versions {
  readonly client: Version;
  readonly server: Version;
}

/** A behaviour that changed between releases, for `livesim models` and the docs. */
export interface VersionNote {
  readonly range: string;
  readonly side: 'client' | 'server';
  readonly behaviour: string;
  readonly source: string;
}

export interface ModelDefinition {
  readonly id: string;
  readonly title: string;
  /** One table of defaults: every tunable with its Nacos key and source. */
  readonly knobs: readonly Knob[];
  /** Constants Nacos does not expose, each with its source. */
  readonly constants: readonly Constant[];
  readonly defaultVersion: string;
  /** Releases the model knows how to behave like (checked against `--client-version` / `--server-version`). */
  readonly versionRange: { readonly min: string; readonly max: string };
  /** Server releases, when they reach past `versionRange` (a 1.x client against 2.x/3.x servers). */
  readonly serverVersionRange?: { readonly min: string; readonly max: string };
  readonly versionNotes: readonly VersionNote[];
  readonly faultKinds: readonly FaultKind[];
  /** Rejects what Nacos itself rejects; returns the message, or null when the config is legal. */
  validate(config: Config): string | null;
  /** What the model cannot run for these releases and this many servers: the message, or null. */
  validateRun?(config: Config, versions: Versions, servers: number): string | null;
  build(world: World, config: Config, versions: Versions): void;
}
