import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A preload (`node --import`) that logs every file-system write a livesim process makes —
 * opens for writing, writeFile/appendFile/streams/copies, renames, mkdir, removals, sync and
 * async, in the main thread and in worker threads (they inherit the preload) — to a JSON Lines
 * file, with the process's arguments and working directory. The suites read it to check that
 * outputs are written under a temporary name and renamed, and that nothing is written outside
 * `--out`.
 */
const SOURCE = `
import fs from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syncBuiltinESMExports } from 'node:module';
const LOG = process.env.LIVESIM_FS_SPY;
const append = fs.appendFileSync;
let busy = false;
const pathOf = (p) => (p instanceof URL ? fileURLToPath(p) : String(p));
const isPath = (p) => typeof p === 'string' || p instanceof URL || Buffer.isBuffer(p);
const note = (op, ...paths) => {
  if (busy || !LOG) return;
  busy = true;
  try {
    append(LOG, JSON.stringify({ op, paths: paths.map((p) => resolve(pathOf(p))), argv: process.argv.slice(2), cwd: process.cwd() }) + '\\n');
  } finally {
    busy = false;
  }
};
const C = fs.constants;
const WRITE = C.O_WRONLY | C.O_RDWR | C.O_APPEND | C.O_CREAT | C.O_TRUNC;
const writes = (flags) => (flags === undefined || flags === null ? false : typeof flags === 'number' ? (flags & WRITE) !== 0 : /[wa+]/.test(String(flags)));
const wrap = (obj, name, check) => {
  const orig = obj[name];
  if (typeof orig !== 'function') return;
  obj[name] = function (...a) {
    check(...a);
    return orig.apply(this, a);
  };
};
const P = fs.promises;
for (const o of [fs, P]) {
  for (const n of ['openSync', 'open']) wrap(o, n, (p, flags) => { if (isPath(p) && writes(flags)) note('open', p); });
  for (const n of ['writeFileSync', 'writeFile', 'appendFileSync', 'appendFile', 'truncateSync', 'truncate']) wrap(o, n, (p) => { if (isPath(p)) note('write', p); });
  for (const n of ['createWriteStream']) wrap(o, n, (p) => { if (isPath(p)) note('write', p); });
  for (const n of ['copyFileSync', 'copyFile', 'cpSync', 'cp', 'linkSync', 'link', 'symlinkSync', 'symlink']) wrap(o, n, (a, b) => note('write', b));
  for (const n of ['renameSync', 'rename']) wrap(o, n, (a, b) => note('rename', a, b));
  for (const n of ['mkdirSync', 'mkdir', 'mkdtempSync', 'mkdtemp']) wrap(o, n, (p) => note('mkdir', p));
  for (const n of ['rmSync', 'rm', 'unlinkSync', 'unlink', 'rmdirSync', 'rmdir']) wrap(o, n, (p) => note('remove', p));
}
syncBuiltinESMExports();
`;

export interface FsEvent {
  readonly op: 'open' | 'write' | 'rename' | 'mkdir' | 'remove';
  /** Absolute; a rename has [from, to]. */
  readonly paths: readonly string[];
  readonly argv: readonly string[];
  readonly cwd: string;
}

export interface FsSpy {
  /** Node arguments that load the spy. */
  readonly nodeArgs: readonly string[];
  /** The environment that names its log. */
  readonly env: Readonly<Record<string, string>>;
  /** Every event logged since the last `take`, and clears the log. */
  take(): FsEvent[];
}

export const fsSpy = (): FsSpy => {
  const dir = mkdtempSync(join(tmpdir(), 'livesim-fs-spy-'));
  const module = join(dir, 'spy.mjs');
  const log = join(dir, 'fs.jsonl');
  writeFileSync(module, SOURCE);
  return {
    nodeArgs: ['--import', pathToFileURL(module).href],
    env: { LIVESIM_FS_SPY: log },
    take: () => {
      if (!existsSync(log)) return [];
      const text = readFileSync(log, 'utf8');
      writeFileSync(log, '');
      return text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as FsEvent);
    },
  };
};

/** `path` is `root` or inside it. */
export const within = (root: string, path: string): boolean => {
  const r = relative(root, path);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !r.startsWith(sep));
};

/**
 * What is wrong with how a command wrote its outputs, or [] — the rules of issue 8:
 * - every path it touched is one of `allowed` (a final output, its temporary names, or inside
 *   an output directory);
 * - a final output file is never opened or written under its own name: it only ever appears as
 *   the target of a rename from another name in the same directory.
 */
export const writeProblems = (events: readonly FsEvent[], finals: readonly string[], allowed: (path: string) => boolean): string[] => {
  const problems: string[] = [];
  for (const e of events) {
    for (const p of e.paths) if (!allowed(p)) problems.push(`${e.op} outside the output: ${p}`);
    if ((e.op === 'open' || e.op === 'write') && finals.includes(e.paths[0] as string)) problems.push(`${e.op} of ${e.paths[0]} under its final name`);
    if (e.op === 'rename' && finals.includes(e.paths[1] as string)) {
      const [from, to] = e.paths as [string, string];
      if (from === to || dirname(from) !== dirname(to)) problems.push(`rename ${from} → ${to}: not from a temporary name beside it`);
    }
  }
  for (const f of finals) {
    if (!events.some((e) => e.op === 'rename' && e.paths[1] === f)) problems.push(`${f} was not created by a rename`);
  }
  return problems;
};
