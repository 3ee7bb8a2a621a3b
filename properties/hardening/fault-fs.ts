import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A preload (`node --import`) that makes the file system fail as a full disk or a read-only
 * mount would, for paths that match a pattern — a test cannot fill a disk or remount one, and
 * livesim must answer both with one line and exit 3 (issue 20 item 7). LIVESIM_FAULT_FS is
 * `CODE:REGEX`: ENOSPC fails every write (writeSync, writeFileSync) to a matching file after
 * its first 200 bytes; EROFS fails every open for writing, mkdir, rename and unlink of one.
 */
const SOURCE = `
import fs from 'node:fs';
import { resolve } from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
const spec = process.env.LIVESIM_FAULT_FS ?? '';
const colon = spec.indexOf(':');
const code = spec.slice(0, colon);
const match = new RegExp(spec.slice(colon + 1));
const TEXT = { ENOSPC: ['no space left on device', -28], EROFS: ['read-only file system', -30] };
const fail = (syscall, path) => {
  const [text, errno] = TEXT[code];
  const e = new Error(code + ': ' + text + ', ' + syscall + (path === undefined ? '' : " '" + path + "'"));
  return Object.assign(e, { errno, code, syscall, ...(path === undefined ? {} : { path }) });
};
const hit = (p) => (typeof p === 'string' || p instanceof URL) && match.test(resolve(String(p)));
const C = fs.constants;
const WRITE = C.O_WRONLY | C.O_RDWR | C.O_APPEND | C.O_CREAT | C.O_TRUNC;
const writes = (flags) => (flags === undefined || flags === null ? false : typeof flags === 'number' ? (flags & WRITE) !== 0 : /[wa+]/.test(String(flags)));
const fds = new Map();
const orig = { openSync: fs.openSync, writeSync: fs.writeSync, closeSync: fs.closeSync, writeFileSync: fs.writeFileSync, mkdirSync: fs.mkdirSync, renameSync: fs.renameSync, unlinkSync: fs.unlinkSync };
fs.openSync = function (p, flags, ...rest) {
  if (code === 'EROFS' && hit(p) && writes(flags)) throw fail('open', String(p));
  const fd = orig.openSync.call(this, p, flags, ...rest);
  if (hit(p)) fds.set(fd, 0);
  return fd;
};
fs.closeSync = function (fd) {
  fds.delete(fd);
  return orig.closeSync.call(this, fd);
};
fs.writeSync = function (fd, buf, ...rest) {
  if (code === 'ENOSPC' && fds.has(fd)) {
    const n = fds.get(fd);
    if (n >= 200) throw fail('write');
    fds.set(fd, n + (typeof buf === 'string' ? Buffer.byteLength(buf) : buf.length));
  }
  return orig.writeSync.call(this, fd, buf, ...rest);
};
fs.writeFileSync = function (p, ...rest) {
  if (hit(p)) throw fail(code === 'ENOSPC' ? 'write' : 'open', String(p));
  return orig.writeFileSync.call(this, p, ...rest);
};
for (const [name, syscall] of [['mkdirSync', 'mkdir'], ['renameSync', 'rename'], ['unlinkSync', 'unlink']]) {
  fs[name] = function (p, ...rest) {
    if (code === 'EROFS' && hit(p)) throw fail(syscall, String(p));
    return orig[name].call(this, p, ...rest);
  };
}
syncBuiltinESMExports();
`;

export interface FaultFs {
  readonly nodeArgs: readonly string[];
  env(code: 'ENOSPC' | 'EROFS', pattern: RegExp): Record<string, string>;
}

export const faultFs = (): FaultFs => {
  const dir = mkdtempSync(join(tmpdir(), 'livesim-fault-fs-'));
  const module = join(dir, 'fault.mjs');
  writeFileSync(module, SOURCE);
  return { nodeArgs: ['--import', pathToFileURL(module).href], env: (code, pattern) => ({ LIVESIM_FAULT_FS: `${code}:${pattern.source}` }) };
};
