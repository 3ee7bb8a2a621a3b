import { writeFileSync } from 'node:fs';
import { InputError } from '../src/scenario/input-error.js';

/** Writes a Vega-Lite chart as SVG (or the spec itself for a `.json` path): `--chart FILE` of diagnose and compare. */
export const writeChart = async (path: string, spec: Record<string, unknown>): Promise<void> => {
  const { renderSvg } = await import('../src/report/render.js');
  const svg = await renderSvg(spec as unknown as Parameters<typeof renderSvg>[0]);
  try {
    writeFileSync(path, path.endsWith('.json') ? `${JSON.stringify(spec, null, 2)}\n` : svg);
  } catch (e) {
    throw new InputError(`--chart ${path}: cannot write it (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
};
