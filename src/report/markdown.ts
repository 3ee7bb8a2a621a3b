import type { Block, ReportDocument } from './document.js';

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

const block = (b: Block): string => {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${b.text}`;
    case 'paragraph':
      return b.text;
    case 'list':
      return b.items.map((i) => `- ${i}`).join('\n');
    case 'table': {
      const align = b.head.map((_, k) => ((b.align?.[k] ?? 'left') === 'right' ? '---:' : '---'));
      return [b.head, align, ...b.rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
    }
    case 'chart':
      return `![${b.alt}](${b.file})`;
    case 'code':
      return `\`\`\`\n${b.text}\n\`\`\``;
  }
};

/** README.md: GitHub-flavoured Markdown with the charts as relative SVG images. */
export const renderMarkdown = (doc: ReportDocument): string => `${doc.blocks.map(block).join('\n\n')}\n`;
