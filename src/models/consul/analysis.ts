import type { ModelAnalysis } from '../model.js';
import { consulTarget } from './bound-target.js';
import { consulBounds } from './bounds.js';
import { CONSUL_CAUSES } from './causes.js';
import { CONSUL_TUNE_SPACE } from './tune-space.js';

/** What the generic layers ask the Consul model (src/models/model.ts ModelAnalysis). */
export const consulAnalysis: ModelAnalysis = {
  bounds: consulBounds,
  boundTarget: consulTarget,
  tuneSpace: CONSUL_TUNE_SPACE,
  causes: CONSUL_CAUSES,
};
