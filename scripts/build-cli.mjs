#!/usr/bin/env node
/**
 * Bundles the CLI for start-up time (issue 8, docs/performance.md "Start-up"); `npm run build`
 * runs it after tsc. Node 20's module loader spends most of an unbundled start resolving,
 * reading and compiling ~250 files (yargs, zod, livesim); here esbuild emits
 * dist/cli/bundle/app.js (yargs and the command definitions) plus split chunks that load when a
 * command runs (its `await import()` of cli/handlers/*). The bin, tsc's dist/cli/main.js, runs
 * the bundle when it is at least as new as tsc's dist/cli/app.js (the same program, unbundled),
 * so a bare `tsc` never leaves a stale bundle in use. Everything else tsc emitted stays: the
 * sweep worker thread runs dist/src/sweep/worker.js; tests and benchmarks import dist/.
 *
 * Fidelity rules (the bundle must not change behaviour):
 * - `import.meta.url` in a livesim module is rewritten to the URL of tsc's emitted copy of that
 *   module, so paths resolved from it (the sweep worker beside src/sweep/pool.js) are unchanged.
 * - `import.meta.url` in a bundled package is rewritten to that file's URL in node_modules
 *   (found through `import.meta.resolve` at run time), so yargs still finds its locales and the
 *   package.json it reads for `--version`.
 * - CommonJS packages keep a real `require` (banner), as under Node's own loader.
 * - string-width (three copies: under yargs, cliui and wrap-ansi) is loaded on its first call
 *   that needs it, not at start: it builds a Unicode segmenter and emoji regexes when it loads
 *   (tens of ms). Each import of it gets a stand-in that answers printable-ASCII strings itself
 *   (width = length: the fast path string-width 8 takes first, and what 7.x computes for them)
 *   and hands anything else to the real module, bundled as an init-on-first-require function.
 *   `run` never measures text; `--help` measures flags and command names (ASCII) with yargs'
 *   copy and loads only the copies that meet a non-ASCII description.
 * - zod's translations of its own error messages (64 locale modules, 340 KB of the 760 KB that
 *   `run` compiles for zod, ≈ 15 ms) are left out: zod sets English at load, and livesim writes
 *   its own messages and never touches `z.locales` (the build fails if cli/ or src/ mention
 *   `locales`), so the bundle's `z.locales` holds `en` only.
 * - Packages that need their own files at run time, or are large and used by one command only,
 *   are not bundled: piscina (worker threads), vega and vega-lite (report), cli-progress.
 */
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'cli', 'bundle');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const EXTERNAL = ['piscina', 'vega', 'vega-lite', 'cli-progress'];
/** What `livesim --help` must not load (no static import path from the entry may reach it). */
const NOT_AT_START = ['node_modules/zod/', 'src/models/', 'src/sim/'];

const posix = (p) => p.split(sep).join('/');
const ZOD_LOCALES = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;

const rel = (from, to) => {
  const r = posix(relative(from, to));
  return r.startsWith('.') ? r : `./${r}`;
};

/** The name of the package that holds a file under node_modules. */
const packageOf = (file) => {
  const parts = file.split(sep);
  const i = parts.lastIndexOf('node_modules');
  return parts.slice(i + 1, i + 1 + (parts[i + 1]?.startsWith('@') ? 2 : 1)).join('/');
};

const moduleUrlPlugin = {
  name: 'livesim-module-url',
  setup(b) {
    b.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, async (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const loader = args.path.endsWith('.ts') ? 'ts' : 'js';
      let url;
      if (args.path.includes(`${sep}node_modules${sep}`)) {
        const pkg = packageOf(args.path);
        const entry = (await b.resolve(pkg, { kind: 'import-statement', resolveDir: ROOT })).path;
        url = `new URL(${JSON.stringify(rel(dirname(entry), args.path))}, import.meta.resolve(${JSON.stringify(pkg)})).href`;
      } else {
        const emitted = join(ROOT, 'dist', relative(ROOT, args.path)).replace(/\.ts$/, '.js');
        url = `new URL(${JSON.stringify(rel(OUT, emitted))}, import.meta.url).href`;
      }
      return { contents: text.replaceAll('import.meta.url', `(${url})`), loader };
    });
  },
};

const lazyStringWidth = {
  name: 'livesim-lazy-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'livesim-lazy' };
    });
    b.onLoad({ filter: /.*/, namespace: 'livesim-lazy' }, (args) => ({
      contents: [
        'let real;',
        'export default function stringWidth(...args) {',
        "  if (typeof args[0] === 'string' && /^[\\x20-\\x7e]*$/.test(args[0])) return args[0].length;",
        `  real ??= require(${JSON.stringify(args.path)}).default;`,
        '  return real(...args);',
        '}',
        '',
      ].join('\n'),
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

rmSync(OUT, { recursive: true, force: true });
const zodEnglishOnly = {
  name: 'livesim-zod-english-only',
  setup(b) {
    b.onLoad({ filter: ZOD_LOCALES }, () => ({ contents: "export { default as en } from './en.js';\n", loader: 'js' }));
  },
};

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { app: 'cli/app.ts' },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  external: EXTERNAL,
  chunkNames: '[name]-[hash]',
  banner: { js: "import { createRequire as __livesimRequire } from 'node:module'; const require = __livesimRequire(import.meta.url);" },
  plugins: [lazyStringWidth, zodEnglishOnly, moduleUrlPlugin],
  metafile: true,
  logLevel: 'warning',
});

const fail = (message) => {
  process.stderr.write(`build-cli: ${message}\n`);
  process.exit(1);
};

// The guards. What the entry loads before any handler runs must stay light.
const outputs = result.metafile.outputs;
const entryOut = Object.keys(outputs).find((o) => outputs[o].entryPoint === 'cli/app.ts');
const atStart = new Set();
const visit = (o) => {
  if (atStart.has(o)) return;
  atStart.add(o);
  for (const imp of outputs[o].imports) if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
};
visit(entryOut);
const heavy = [...atStart].flatMap((o) => Object.keys(outputs[o].inputs).filter((i) => NOT_AT_START.some((p) => i.includes(p))));
if (heavy.length > 0) {
  fail(
    `\`livesim --help\` would load ${heavy.slice(0, 5).join(', ')}${heavy.length > 5 ? ', …' : ''}: cli/commands/*.ts must import only types from the implementation (load it with \`await import()\` in the handler; see docs/performance.md "Start-up")`,
  );
}
// zod's locales are left out of the bundle: nothing of livesim's may use them.
const ours = Object.keys(result.metafile.inputs).filter((i) => /^(src|cli)\//.test(i));
const usesLocales = ours.filter((i) => readFileSync(join(ROOT, i), 'utf8').includes('locales'));
if (usesLocales.length > 0) fail(`${usesLocales.join(', ')} mention zod's locales, which the bundle leaves out: drop zodEnglishOnly in scripts/build-cli.mjs`);

// tsc writes the bin without the executable bit; `npx livesim` in a fresh clone runs the file itself.
chmodSync(BIN, 0o755);
