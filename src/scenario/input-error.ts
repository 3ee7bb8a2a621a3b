/**
 * Bad input from the user: a flag, a value, a fault, a scenario file. The CLI prints the
 * message as one line on stderr and exits 2, never with a stack trace. Messages say what was
 * wrong and what is accepted.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}
