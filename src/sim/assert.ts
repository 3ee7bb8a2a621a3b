/**
 * Invariant checks that stay on in every run (TigerBeetle's rule: an assertion is a
 * specification that the program checks as it runs). A failure is a bug in livesim, never in
 * the user's input, so it throws an InvariantError that the CLI reports as an internal error.
 * Keep each check O(1): they sit on the connection's hot paths.
 */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

export function assert(condition: boolean, what: string): asserts condition {
  if (!condition) throw new InvariantError(`invariant violated: ${what}`);
}
