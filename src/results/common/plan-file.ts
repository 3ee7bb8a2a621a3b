import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { InputError } from '../../scenario/input-error.js';

/**
 * Reads a results plan (JSON) and checks it against its schema: a bad plan is one line saying
 * which field is wrong and what it accepts, before any sweep runs.
 */
export const readPlan = <T>(path: string, schema: z.ZodType<T>): T => {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`plan ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(e as Error).message})`}`);
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    throw new InputError(`plan ${path}: ${where}${issue?.message ?? 'invalid'}`);
  }
  return r.data;
};
