/**
 * A report as plain data — headings, paragraphs, tables, charts, code — rendered to Markdown
 * (README.md, for GitHub) and to a self-contained HTML page by separate modules, so the two
 * always say the same thing.
 */
export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly head: readonly string[]; readonly rows: readonly (readonly string[])[]; readonly align?: readonly ('left' | 'right')[] }
  | { readonly kind: 'chart'; readonly file: string; readonly alt: string }
  | { readonly kind: 'code'; readonly text: string };

export interface ReportDocument {
  readonly title: string;
  readonly blocks: readonly Block[];
  /** Chart file name → SVG text. */
  readonly charts: ReadonlyMap<string, string>;
}
