import type { Cause } from './cause.js';
import { CLUSTER_CAUSES } from './causes-cluster.js';
import { MIXED_CAUSES } from './causes-mixed.js';
import { PROXY_CAUSES, withoutProxy } from './causes-proxy.js';
import { GO_SDK_CAUSES } from './causes-sdk-go.js';
import { V1_CAUSES } from './causes-v1.js';
import { V2_CAUSES } from './causes-v2.js';

/** A proxy stands in front of one server (src/scenario/resolve.ts): the cluster causes need none. */
const CLUSTER_ONLY: readonly Cause[] = CLUSTER_CAUSES.map((c) => ({ ...c, appliesTo: withoutProxy }));

/** Every known cause, per model; a new cause is a row in its model's file. */
export const CAUSES: readonly Cause[] = [...V1_CAUSES, ...V2_CAUSES, ...PROXY_CAUSES, ...CLUSTER_ONLY, ...MIXED_CAUSES, ...GO_SDK_CAUSES];
