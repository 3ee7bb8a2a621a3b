/**
 * Bad input from the user: a flag, a value, a fault, a scenario file. The CLI prints the
 * message as one line on stderr and exits 2, never with a stack trace. Messages say what was
 * wrong and what is accepted.
 *
 * A message often quotes what the user gave (a key of a scenario file, a fault, a path), which
 * may hold control characters: an ESC sequence would reach the terminal and act there (recolour,
 * move the cursor, retitle the window), a newline would cut the one line in two (issue 20 item
 * 8). Every control character is shown as an escape instead (`\x1b`, `\n`).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export const escapeControls = (text: string): string =>
  text.replace(CONTROL, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });

export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(message: string) {
    super(escapeControls(message));
  }
}
