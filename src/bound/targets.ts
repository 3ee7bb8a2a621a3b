import { findModel } from '../models/registry.js';
import type { BoundTarget } from './target.js';

/** What `livesim bound` searches for a model: its definition's `analysis.boundTarget` (no model named here). */
export const findBoundTarget = (model: string): BoundTarget | undefined => findModel(model)?.analysis?.boundTarget;
