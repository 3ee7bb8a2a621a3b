import { findModel } from '../models/registry.js';
import { nacosV1Target } from './nacos-v1.js';
import { nacosV2Target } from './nacos-v2.js';
import type { BoundTarget } from './target.js';

/** The searches of the models that do not carry their own (`analysis.boundTarget` in the model definition). */
export const BOUND_TARGETS: readonly BoundTarget[] = [nacosV1Target, nacosV2Target];

/** The model's own bound target first, then the table above. */
export const findBoundTarget = (model: string): BoundTarget | undefined =>
  findModel(model)?.analysis?.boundTarget ?? BOUND_TARGETS.find((t) => t.model === model);
