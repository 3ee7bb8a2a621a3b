import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every protocol constant in src/models comes from its model's table of defaults. This scans the
 * model logic (every file but the tables themselves) for numeric literals other than 0 and 1,
 * after stripping comments and strings. Two kinds of literal are not protocol constants and pass:
 * the base of a binary shift (`2 ** n`, Java's `x << n`), and a line that says why with
 * `// literal-ok: <reason>`.
 */
const MODELS_DIR = 'src/models';
const TABLES = /(^|\/)(defaults|knob|network-knobs|version)\.ts$/;

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });

/** Blanks out comments, strings and template literals, keeping line structure. */
const codeOnly = (src: string): string =>
  src
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\/\/.*$/gm, '');

const strayLiterals = (src: string): string[] => {
  const raw = src.split('\n');
  return codeOnly(src)
    .split('\n')
    .flatMap((line, i) => {
      if ((raw[i] ?? '').includes('literal-ok:')) return [];
      const hits = [...line.replace(/\b2\s*\*\*/g, '').matchAll(/(?<![\w.$])(\d[\d_]*(?:\.\d+)?(?:e\d+)?)(?![\w$])/g)];
      return hits
        .map((m) => m[1] as string)
        .filter((n) => n !== '0' && n !== '1')
        .map((n) => `line ${i + 1}: ${n}`);
    });
};

describe('model constants', () => {
  it('the scanner sees a stray literal and ignores comments, strings, shifts and justified lines', () => {
    expect(strayLiterals('const t = 5000;')).toEqual(['line 1: 5000']);
    expect(strayLiterals("// 5000\nconst s = '15s'; /* 30 */ const x = 2 ** n;\nf(3); // literal-ok: why")).toEqual([]);
  });

  const logic = files(MODELS_DIR).filter((f) => !TABLES.test(f));
  for (const f of logic) {
    it(`${f} takes every protocol constant from its table of defaults`, () => {
      expect(strayLiterals(readFileSync(f, 'utf8'))).toEqual([]);
    });
  }
});
