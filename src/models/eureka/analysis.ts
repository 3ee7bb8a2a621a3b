import type { ModelAnalysis } from '../model.js';
import { eurekaTarget } from './bound-target.js';
import { eurekaBounds } from './bounds.js';
import { EUREKA_CAUSES } from './causes.js';
import { EUREKA_TUNE_SPACE } from './tune-space.js';

/** What the generic layers ask the Eureka model (src/models/model.ts ModelAnalysis). */
export const eurekaAnalysis: ModelAnalysis = {
  bounds: eurekaBounds,
  boundTarget: eurekaTarget,
  tuneSpace: EUREKA_TUNE_SPACE,
  causes: EUREKA_CAUSES,
};
