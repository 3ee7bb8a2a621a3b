import { createRequire } from 'node:module';
import { InputError } from '../src/scenario/input-error.js';

/**
 * What JSON.parse lets through silently in a scenario file (issue 20 item 8): a key given twice
 * (`"set": {"k": "10s", "k": "20s"}` kept the last) and a `__proto__` key (dropped by the object
 * it lands in, so `set.__proto__` vanished). Both are refused with their line. JSON.parse stays
 * the parser; jsonc-parser's visitor only walks the (already valid) text to see each object's
 * keys, which JSON.parse does not show. It is loaded through require, when a scenario file is
 * read: its package entry is a UMD module that the CLI bundle (scripts/build-cli.mjs) cannot
 * follow, and `run` without --scenario never needs it.
 */
export const checkJsonKeys = (text: string, what: string): void => {
  const { visit } = createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser');
  const stack: Set<string>[] = [];
  visit(text, {
    onObjectBegin: () => {
      stack.push(new Set());
    },
    onObjectEnd: () => {
      stack.pop();
    },
    onObjectProperty: (name, _offset, _length, startLine) => {
      const keys = stack[stack.length - 1];
      const line = startLine + 1;
      if (name === '__proto__') throw new InputError(`${what}:${line}: the key '__proto__' is not accepted (it names no setting)`);
      if (keys?.has(name) === true) throw new InputError(`${what}:${line}: the key '${name}' is given twice in one object (give it once)`);
      keys?.add(name);
    },
  });
};
