/**
 * `--max-memory SIZE` (issue 20 item 3): the memory a run may be estimated to need before it is
 * refused (src/scenario/resource-estimate.ts). Only the option's text here: command modules load
 * nothing heavy (cli/app.ts, start-up).
 */
export const MAX_MEMORY_OPTION = {
  type: 'string',
  requiresArg: true,
  describe:
    'refuse up front a run estimated to need more memory than SIZE (e.g. 512M, 8G); above the default, give node the heap too (NODE_OPTIONS=--max-old-space-size=MB)',
  defaultDescription: '90% of the node heap limit',
} as const;
