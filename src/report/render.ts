import type { VegaLiteSpec } from './charts.js';

/**
 * Vega-Lite → SVG without a browser: compile to Vega, run a View with renderer 'none', and ask
 * it for SVG. vega and vega-lite are loaded on first use (they are large; `livesim --help`
 * should not pay for them).
 */
export const renderSvg = async (spec: VegaLiteSpec): Promise<string> => {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};
