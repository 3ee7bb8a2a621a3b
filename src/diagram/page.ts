import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../scenario/run.js';

export interface DiagramView {
  readonly label: string;
  readonly domainS: readonly [number, number];
  /** Compiled Vega (Vega-Lite compiled at generation time: the page carries only vega's runtime). */
  readonly spec: unknown;
}

export interface DiagramPage {
  readonly result: RunResult;
  readonly replay: string;
  readonly lanes: readonly string[];
  readonly notes: readonly string[];
  readonly views: { readonly focus: DiagramView; readonly whole: DiagramView };
  readonly data: Readonly<Record<string, readonly Record<string, unknown>[]>>;
}

/** vega's self-contained browser build, read from node_modules now so that the page fetches nothing when opened. */
const vegaRuntime = (): string => readFileSync(join(dirname(fileURLToPath(import.meta.resolve('vega'))), 'vega.min.js'), 'utf8');

const esc = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** JSON inside a <script> element: `</script` and `<!--` must not appear in it. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replaceAll('<', '\\u003c');

const ms = (v: number | null): string => (v === null ? 'never' : `${(v / 1000).toFixed(3)} s`);

const STYLE = `body{font-family:system-ui,sans-serif;margin:1em 1.5em;color:#222}
h1{font-size:1.25em;margin:0 0 .3em}p{margin:.3em 0}code{background:#f4f4f4;padding:0 .2em}
.bar button{margin-right:.5em}.bar button[aria-pressed=true]{font-weight:bold}
#diagram{margin-top:.5em}.notes{color:#555;font-size:.9em}`;

/**
 * Shows a view: a fresh vega View over the same named data sets. Waits for the render, then
 * marks the body (`data-view`), which the browser tests wait for.
 */
const BOOT = `(() => {
  const D = JSON.parse(document.getElementById('livesim-data').textContent);
  let view = null;
  const show = async (which) => {
    if (view !== null) view.finalize();
    document.body.dataset.view = '';
    view = new vega.View(vega.parse(D.views[which].spec), { renderer: 'svg', container: '#diagram', hover: true });
    for (const [name, rows] of Object.entries(D.data)) view.data(name, rows);
    await view.runAsync();
    for (const b of document.querySelectorAll('.bar button')) b.setAttribute('aria-pressed', String(b.dataset.view === which));
    document.body.dataset.view = which;
  };
  for (const b of document.querySelectorAll('.bar button')) b.addEventListener('click', () => show(b.dataset.view));
  show('focus').catch((e) => console.error(e));
})();`;

/** One HTML file: the diagram, its data, vega's runtime and the text around them; nothing to fetch. */
export const renderDiagramPage = (p: DiagramPage): string => {
  const r = p.result;
  const m = r.metrics;
  const { focus, whole } = p.views;
  const same = focus.domainS[0] === whole.domainS[0] && focus.domainS[1] === whole.domainS[1];
  const button = (key: string, v: DiagramView) => `<button type="button" data-view="${key}">${esc(v.label)} (${v.domainS[0]}–${v.domainS[1]} s)</button>`;
  const data = { views: { focus, whole: same ? focus : whole }, data: p.data };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>livesim run · ${esc(r.model)} · ${esc(r.faults.join(' ') || 'no fault')}</title>
<style>${STYLE}</style></head>
<body data-view="">
<h1>livesim run · ${esc(r.model)} (client ${esc(r.clientVersion)}, server ${esc(r.serverVersion)}) · ${esc(r.faults.join(' · ') || 'no fault')} · until ${esc(r.until)}</h1>
<p>fault ${ms(m.faultAtMs)} · client gave up ${ms(m.clientDetectedAtMs)} · server removed ${ms(m.serverRemovedAtMs)} · consumers updated ${ms(m.subscriberUpdatedAtMs)} · lanes: ${esc(p.lanes.join(', '))}</p>
<p class="bar">${same ? button('focus', focus) : `${button('focus', focus)}${button('whole', whole)}`} wheel: zoom · drag: pan · hover: details</p>
<div id="diagram"></div>
${p.notes.map((n) => `<p class="notes">${esc(n)}</p>`).join('\n')}
<p>replay: <code id="replay">${esc(p.replay)}</code></p>
<p>trace <code id="trace-hash">${esc(r.traceHash)}</code> (${r.stop.events} events, stopped at ${esc(r.stop.reason)})</p>
<script>${vegaRuntime()}</script>
<script type="application/json" id="livesim-data">${scriptJson(data)}</script>
<script>${BOOT}</script>
</body></html>
`;
};
