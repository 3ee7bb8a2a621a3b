import type { ModelAnalysis } from '../model.js';
import { k8sTarget } from './bound-target.js';
import { k8sBounds } from './bounds.js';
import { K8S_CAUSES } from './causes.js';
import { K8S_TUNE_SPACE } from './tune-space.js';

/** What the generic layers ask the Kubernetes model (src/models/model.ts ModelAnalysis). */
export const k8sAnalysis: ModelAnalysis = {
  bounds: k8sBounds,
  boundTarget: k8sTarget,
  tuneSpace: K8S_TUNE_SPACE,
  causes: K8S_CAUSES,
};
