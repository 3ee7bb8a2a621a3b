import { InputError } from '../src/scenario/input-error.js';

/**
 * The one way a livesim command fails (issue 20 item 7): one line on stderr, no stack trace.
 *   exit 2  bad input, or a path that cannot be used as given (missing, a directory, too long,
 *           not permitted, a link): the user changes the command;
 *   exit 3  the environment failed the command (disk full, read-only file system, I/O error, out
 *           of file descriptors): the command was right and can be run again;
 *   exit 1  a bug in livesim ("internal error … please report it"): anything else.
 * A failed write to stdout or stderr (`livesim models > /dev/full`) is an environment failure
 * of the stream it names; a closed pipe (`livesim models | head -1`) ends the command quietly,
 * as Unix tools do.
 */
const PATH_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'ELOOP', 'EACCES', 'EPERM', 'EEXIST', 'ENXIO', 'ENOTEMPTY', 'EINVAL', 'EBADF']);
const ENVIRONMENT_CODES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EROFS',
  'EIO',
  'EMFILE',
  'ENFILE',
  'ENOMEM',
  'EFBIG',
  'EAGAIN',
  'EBUSY',
  'ETXTBSY',
  'ESTALE',
  'EXDEV',
  'EMLINK',
  'ENODEV',
]);

interface SystemError {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly dest?: string;
  readonly message: string;
}

export const isSystemError = (e: unknown): e is SystemError =>
  e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && /^E[A-Z0-9]+$/.test((e as unknown as { code: string }).code);

/** Marks a failed write as one to stdout or stderr (cli/sync-writer.ts writes to the descriptors itself). */
export const onStream = (e: unknown, stream: 'stdout' | 'stderr'): unknown => {
  if (e instanceof Error) (e as { stream?: string }).stream = stream;
  return e;
};

/** `ENOSPC (no space left on device)`, from Node's `ENOSPC: no space left on device, write '…'`. */
const errnoText = (e: SystemError): string => {
  const m = /^[A-Z0-9]+: ([^,]+)/.exec(e.message);
  return m === null ? e.code : `${e.code} (${m[1]})`;
};

const VERB: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  rename: 'rename',
  unlink: 'remove',
  mkdir: 'create the directory',
  fsync: 'sync',
  ftruncate: 'truncate',
  scandir: 'list',
  close: 'close',
};

/** The exit code and the line for a failure (null: end quietly, exit 0). */
export const describeFailure = (e: unknown, given?: 'stdout' | 'stderr'): { code: number; line: string } | null => {
  const stream = given ?? (e as { stream?: 'stdout' | 'stderr' } | null)?.stream;
  // By name too: the bin (cli/main.ts) and the bundle it loads each have their own copy of the class.
  if (e instanceof InputError || (e instanceof Error && e.name === 'InputError')) return { code: 2, line: e.message.split('\n')[0] as string };
  if (isSystemError(e)) {
    if (stream !== undefined && e.code === 'EPIPE') return null;
    const code = ENVIRONMENT_CODES.has(e.code) ? 3 : PATH_CODES.has(e.code) ? 2 : stream !== undefined ? 3 : 1;
    const verb = VERB[e.syscall ?? ''] ?? e.syscall ?? 'use';
    const what = stream !== undefined ? ` to ${stream}` : e.path !== undefined ? ` ${e.path}${e.dest !== undefined ? ` → ${e.dest}` : ''}` : '';
    if (code !== 1) return { code, line: `cannot ${verb}${what}: ${errnoText(e)}` };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 1, line: `internal error: ${message.split('\n')[0]} (please report it with the command line)` };
};

let failing = false;

/** Prints the failure's line (if stderr still takes it) and exits with its code. */
export const exitFor = (e: unknown, stream?: 'stdout' | 'stderr'): never => {
  const d = describeFailure(e, stream);
  if (d !== null && !failing && stream !== 'stderr') {
    failing = true;
    try {
      process.stderr.write(`livesim: ${d.line}\n`);
    } catch {
      // stderr itself failed: the exit code still says what happened.
    }
  }
  process.exit(d?.code ?? 0);
};

/**
 * Routes errors that reach no `catch` — a failed write to stdout or stderr arrives as an 'error'
 * event, a worker's failure as an uncaught exception — to exitFor.
 */
const INSTALLED = Symbol.for('livesim.failureHandlers');

export const installFailureHandlers = (): void => {
  // Once per process (the test harness imports the bin afresh for each case in one process).
  const p = process as unknown as Record<symbol, boolean>;
  if (p[INSTALLED] === true) return;
  p[INSTALLED] = true;
  process.stdout.on('error', (e) => exitFor(e, 'stdout'));
  process.stderr.on('error', (e) => exitFor(e, 'stderr'));
  process.on('uncaughtException', (e) => exitFor(e));
  process.on('unhandledRejection', (e) => exitFor(e));
};
