import { findModel, MODELS } from '../models/registry.js';

/** Which detection a target is about (columns of the run metrics). */
export type DetectionKind = 'server' | 'subscriber' | 'client';

export const DETECTION_TITLES: Readonly<Record<DetectionKind, string>> = {
  server: 'server detection (fault → the registry removes the instance)',
  subscriber: "subscriber detection (fault → the last subscriber's usable view drops the instance)",
  client: 'client detection (fault → the client declares its connection dead)',
};

export interface Tunable {
  readonly key: string;
  /** Short column title. */
  readonly label: string;
  /** The default grid, as `--set` would take the values; includes the Nacos default. */
  readonly grid: readonly string[];
  /** What making it smaller buys and costs. */
  readonly trades: string;
  /** The setting is read by Nacos from this release of the given side on (else hard-coded). */
  readonly effectiveFrom?: { readonly side: 'client' | 'server'; readonly version: string; readonly source: string };
}

export interface TuneSpace {
  readonly model: string;
  readonly tunables: readonly Tunable[];
  /** The fault a target detection is measured under when `--fault` is not given. */
  readonly defaultFault: string;
  /** Detections the model's trace records. */
  readonly detections: readonly DetectionKind[];
}

/** The model's search space: its definition's `analysis.tuneSpace` (no model named here). */
export const findTuneSpace = (model: string): TuneSpace | undefined => findModel(model)?.analysis?.tuneSpace;

/** Every model's search space, in the registry's order. */
export const tuneSpaces = (): readonly TuneSpace[] => MODELS.flatMap((m) => (m.analysis?.tuneSpace === undefined ? [] : [m.analysis.tuneSpace]));
