import type { Block, ReportDocument } from './document.js';

const esc = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** The small inline Markdown the report's text uses: `code`, **bold** and *italics*. */
const inline = (text: string): string =>
  esc(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*\s][^*]*)\*/g, '<em>$1</em>');

const block = (b: Block, charts: ReadonlyMap<string, string>): string => {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${inline(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${inline(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${inline(i)}</li>`).join('')}</ul>`;
    case 'table': {
      const cls = (k: number): string => ((b.align?.[k] ?? 'left') === 'right' ? ' class="r"' : '');
      const head = b.head.map((h, k) => `<th${cls(k)}>${inline(h)}</th>`).join('');
      const rows = b.rows.map((r) => `<tr>${r.map((c, k) => `<td${cls(k)}>${inline(c)}</td>`).join('')}</tr>`).join('\n');
      return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
    }
    case 'chart':
      return `<figure>${charts.get(b.file) ?? ''}<figcaption>${inline(b.alt)}</figcaption></figure>`;
    case 'code':
      return `<pre><code>${esc(b.text)}</code></pre>`;
  }
};

const STYLE = `body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}th,td{border:1px solid #ccc;padding:0.25em 0.6em}
td.r,th.r{text-align:right}code,pre{background:#f4f4f4}pre{padding:0.6em;overflow-x:auto}figure{margin:1em 0}
figcaption{color:#555;font-size:0.9em}`;

/** report.html: one file, the same charts inlined as SVG, no scripts and no external resources. */
export const renderHtml = (doc: ReportDocument): string =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(doc.title)}</title><style>${STYLE}</style></head>
<body>
${doc.blocks.map((b) => block(b, doc.charts)).join('\n')}
</body></html>
`;
