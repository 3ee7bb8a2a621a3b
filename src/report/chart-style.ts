/** What every chart of the report shares: the schema, fonts, colours and the one-row-per-setting y axis. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const CONFIG = { background: 'white', font: 'Helvetica, Arial, sans-serif', view: { stroke: '#ddd' }, axis: { labelLimit: 0 } };
export const ORANGE = '#e45756';
export const BLUE = '#4c78a8';
export const DARK = '#333';
export const GREY = '#777';
/** One row per setting. */
export const ROW = 26;
export const PLOT_WIDTH = 560;

/**
 * The y encoding of a setting row: every setting in plan order, whether or not it has data. No
 * axis title: each label names its keys, and a rotated title beside labels of any length would
 * run into them.
 */
export const settingY = (labels: readonly string[], showLabels = true) => ({
  field: 'setting',
  type: 'nominal',
  sort: [...labels],
  scale: { domain: [...labels] },
  title: null,
  axis: showLabels ? { labelFontSize: 11 } : { labels: false, ticks: false, title: null },
});
