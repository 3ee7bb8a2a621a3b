import type { ModelAnalysis } from '../model.js';

/** What the generic layers ask the Consul model (src/models/model.ts ModelAnalysis). */
export const consulAnalysis: ModelAnalysis = {};
