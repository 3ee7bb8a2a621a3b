import { InputError } from '../src/scenario/input-error.js';

/**
 * A whole-number flag as typed (cli/commands/run.ts WHOLE keeps the text): digits only, so
 * nothing is coerced silently ('' → 0, 0x10 → 16, 1e3 → 1000); given twice is an error.
 */
export const wholeFlag = (flag: string, v: unknown): number | undefined => {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new InputError(`--${flag} given more than once (give it once)`);
  if (!/^\d+$/.test(String(v).trim())) throw new InputError(`--${flag} '${String(v)}': expected a whole number`);
  return Number(v);
};
