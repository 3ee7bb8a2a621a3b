import { runItems, type WorkItem } from './task.js';

/** The piscina worker: runs a batch of consecutive sweep runs and returns their JSON lines. */
export default (items: readonly WorkItem[]): string[] => runItems(items);
