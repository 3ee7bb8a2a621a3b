import type { ModelAnalysis } from '../model.js';
import { etcdTarget } from './bound-target.js';
import { etcdBounds } from './bounds.js';
import { ETCD_CAUSES } from './causes.js';
import { ETCD_TUNE_SPACE } from './tune-space.js';

/** What the generic layers ask the etcd model (src/models/model.ts ModelAnalysis). */
export const etcdAnalysis: ModelAnalysis = {
  bounds: etcdBounds,
  boundTarget: etcdTarget,
  tuneSpace: ETCD_TUNE_SPACE,
  causes: ETCD_CAUSES,
};
