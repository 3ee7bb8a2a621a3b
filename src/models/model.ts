import type { BoundsInput, Expectation } from '../analysis/bounds.js';
import type { RemovalMechanisms } from '../analysis/mechanisms.js';
import type { BoundTarget } from '../bound/target.js';
import type { Cause } from '../diagnose/cause.js';
import type { Remedy } from '../diagnose/remedy.js';
import type { Endpoint } from '../sim/endpoint.js';
import type { Fault, FaultKind } from '../sim/faults.js';
import type { Host } from '../sim/host.js';
import type { Network } from '../sim/network.js';
import type { Simulation } from '../sim/simulation.js';
import type { TuneSpace } from '../tune/spaces.js';
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
  /** The client release when none is given, if the settings decide it (nacos-v2 with the Go SDK: its newest release). */
  defaultClientVersion?(config: Config): string | undefined;
  /** Releases the model knows how to behave like (checked against `--client-version` / `--server-version`). */
  readonly versionRange: { readonly min: string; readonly max: string };
  /** Server releases, when they reach past `versionRange` (a 1.x client against 2.x/3.x servers). */
  readonly serverVersionRange?: { readonly min: string; readonly max: string };
  readonly versionNotes: readonly VersionNote[];
  readonly faultKinds: readonly FaultKind[];
  /** The most servers the model simulates, and why no more (absent: any number). */
  readonly servers?: { readonly max: number; readonly why: string };
  /** Rejects what Nacos itself rejects; returns the message, or null when the config is legal. */
  validate(config: Config): string | null;
  /** What the model cannot run for these releases and this many servers: the message, or null. */
  validateRun?(config: Config, versions: Versions, servers: number): string | null;
  build(world: World, config: Config, versions: Versions): void;
  /**
   * The model's own pieces for the generic layers (issue 18 item 2): each layer asks here first
   * and falls back to its per-model code only for models that do not say (today the Nacos ones).
   */
  readonly analysis?: ModelAnalysis;
}

/**
 * The windows every model states for one run (`run`'s `bounds`, the diagram's marks, `diagnose`'s
 * baseline), measured from the last message heard and from the fault. A model without an
 * unhealthy state says `never` for those; a model may add windows of its own.
 */
export interface RegistryBounds {
  readonly unhealthyFromLastHeard: Expectation;
  readonly removedFromLastHeard: Expectation;
  readonly unhealthyFromFault: Expectation;
  readonly removedFromFault: Expectation;
  /** Fault → the last subscriber's usable view drops the instance. */
  readonly staleFromFault: Expectation;
}

/** What a model's bounds are computed from: the scenario's settings, latency envelope, faults (those touching the registry) and sizes. */
export interface RunBoundsInput extends BoundsInput {
  readonly serverVersion: Version;
}

/**
 * Per-model analysis behind the model definition, so that `bound`, `tune`, `diagnose` and the
 * run's bounds know no model by name: a registry is its folder plus its line in registry.ts.
 * Types only come from the layers above (no runtime import: they import the registry).
 */
export interface ModelAnalysis {
  /** The analytic windows of a run (null: the model states none). */
  bounds?(input: RunBoundsInput): RegistryBounds | null;
  /** What `livesim bound` searches: the quantities, their bounds, the phases a worst case hides in. */
  readonly boundTarget?: BoundTarget;
  /** What `livesim tune` searches: the tunables, their grids, the default fault. */
  readonly tuneSpace?: TuneSpace;
  /** What `livesim diagnose` tries for this model (known causes of each symptom). */
  readonly causes?: readonly Cause[];
  /** The changes `diagnose` simulates on the user's own settings and fault (its remedies table). */
  readonly remedies?: readonly Remedy[];
  /** Each mechanism that can end a silent instance, with its own window (one server; null: none stated). */
  mechanisms?(input: RunBoundsInput): RemovalMechanisms | null;
}
