import { parseDuration } from '../scenario/duration.js';
import type { SweepHeader } from '../sweep/plan.js';
import type { PointSummary } from '../sweep/summary.js';
import type { LoadedSweep } from './load.js';

/** What several sections read off a sweep the same way. */

/** The settings that ran: legal, with at least one run. */
export const legal = (sweep: LoadedSweep): PointSummary[] => sweep.summaries.filter((s) => s.illegal === null && s.runs > 0);

/** The horizon in seconds: where never-reached runs are drawn. */
export const horizonSeconds = (h: SweepHeader): number => parseDuration(h.until, 'until') / 1e6;
