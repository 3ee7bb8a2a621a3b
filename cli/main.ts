#!/usr/bin/env node
import { statSync } from 'node:fs';
import { installFailureHandlers } from './failure.js';

/**
 * The bin. `npm run build` also bundles the CLI into ./bundle (scripts/build-cli.mjs), which
 * starts in about half the time of the ~250 modules tsc emits (docs/performance.md "Start-up").
 * The bundle runs when it is at least as new as tsc's output (tsc rewrites every file); after a
 * bare `tsc` it is stale, and ./app.js — the same program, unbundled — runs instead.
 */
const mtime = (path: string): number => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = mtime('./bundle/app.js');
const entry = bundle >= 0 && bundle >= mtime('./app.js') ? './bundle/app.js' : './app.js';
const { main } = (await import(entry)) as typeof import('./app.js');

// A failed write to stdout/stderr or an error outside any catch: one line and exit 2/3, not a stack trace.
installFailureHandlers();

await main();
