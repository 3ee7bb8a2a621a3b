import { lexer, type Token, type Tokens, walkTokens } from 'marked';

/**
 * The shell examples of a Markdown file (issue 16 item 3: docs that cannot drift), read with
 * marked's lexer (a CommonMark/GFM parser: fenced blocks inside lists, tildes, indentation are its
 * business, not a regex's). An example is a fenced code block whose first line is a shell prompt
 * (`$ COMMAND`, a transcript: the lines after a command are its output) or a `livesim` /
 * `npx livesim` command (commands only: run, must exit 0, no output shown). A block that cannot
 * run (a template with placeholders) says so just before it: `<!-- docs-test: not run: WHY -->`.
 */
export interface Step {
  /** The command as typed, continuation lines (`\` at the end) joined with newlines. */
  readonly command: string;
  /** The output the docs show; null in a commands-only block. */
  readonly shown: readonly string[] | null;
}

export interface Example {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly steps: readonly Step[];
  /** Why the block is not run, from its `docs-test: not run` comment; null: it runs. */
  readonly notRun: string | null;
}

const NOT_RUN = /^<!--\s*docs-test:\s*not run:\s*(.+?)\s*-->\s*$/s;
const LIVESIM = /^(npx )?livesim( |$)/;

/** Reads a block's lines into steps; null if the block is not a shell example. */
export const parseBlock = (text: string): Step[] | null => {
  const lines = text.split('\n');
  const first = lines[0] ?? '';
  const transcript = first.startsWith('$ ');
  if (!transcript && !LIVESIM.test(first)) return null;
  const steps: { command: string; shown: string[] | null }[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    const isCommand = transcript ? line.startsWith('$ ') : line.trim() !== '';
    if (!isCommand) {
      const last = steps.at(-1);
      if (last?.shown !== null && last !== undefined) last.shown.push(line);
      i++;
      continue;
    }
    let command = transcript ? line.slice(2) : line;
    while (command.endsWith('\\') && i + 1 < lines.length) command += `\n${lines[++i]}`;
    steps.push({ command, shown: transcript ? [] : null });
    i++;
  }
  return steps;
};

/** Every shell example of a Markdown text, in document order. */
export const extractExamples = (file: string, markdown: string): Example[] => {
  const out: Example[] = [];
  let previous: Token | undefined;
  let from = 0;
  walkTokens(lexer(markdown), (t) => {
    if (t.type === 'space') return;
    if (t.type === 'code' && (t as Tokens.Code).codeBlockStyle !== 'indented') {
      // The fence line: a block nested in a list has its indentation in the file, not in `raw`.
      const at = markdown.indexOf(t.raw.split('\n')[0] as string, from);
      // Past the block (as many lines as its raw text: a list's indentation adds none), so the
      // next search cannot find this block's closing fence.
      if (at >= 0)
        from = markdown
          .split('\n')
          .slice(0, markdown.slice(0, at).split('\n').length - 1 + t.raw.trimEnd().split('\n').length)
          .join('\n').length;
      const line = markdown.slice(0, Math.max(0, at)).split('\n').length;
      const steps = parseBlock((t as Tokens.Code).text);
      const note = previous?.type === 'html' ? NOT_RUN.exec(previous.raw.trim()) : null;
      if (steps !== null) out.push({ file, line, steps, notRun: note?.[1] ?? null });
    }
    previous = t;
  });
  return out;
};

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The elision marker: a line of its own stands for one or more omitted lines; inside a line, for omitted text. */
export const ELISION = '…';

/** Lines without trailing blanks, without the blank lines at the end. */
const tidy = (lines: readonly string[]): string[] => {
  const t = lines.map((l) => l.trimEnd());
  while (t.length > 0 && t.at(-1) === '') t.pop();
  return t;
};

/**
 * Whether the output a command really printed is what the docs show: line for line, except
 * where the docs say `…` (on a line of its own: one or more lines left out; within a line: some
 * text left out). Nothing else may differ — no line silently dropped, no number changed.
 */
export const matchesShown = (shown: readonly string[], actual: string): boolean => {
  const pattern = tidy(shown)
    .map((l) => (l === ELISION ? '(?:[^\\n]*\\n)+' : `${l.split(ELISION).map(escapeRegExp).join('[^\\n]+')}\\n`))
    .join('');
  const text = tidy(actual.split('\n'))
    .map((l) => `${l}\n`)
    .join('');
  return new RegExp(`^${pattern}$`).test(text);
};
