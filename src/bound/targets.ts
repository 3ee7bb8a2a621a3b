import { nacosV1Target } from './nacos-v1.js';
import { nacosV2Target } from './nacos-v2.js';
import type { BoundTarget } from './target.js';

/** Every model `livesim bound` can search; a model's entry is one function away (see target.ts). */
export const BOUND_TARGETS: readonly BoundTarget[] = [nacosV1Target, nacosV2Target];

export const findBoundTarget = (model: string): BoundTarget | undefined => BOUND_TARGETS.find((t) => t.model === model);
