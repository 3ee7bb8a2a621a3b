import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-harness.js';

/**
 * Issue 20 item 8: what a scenario file or a file name can smuggle past the checks. Each case is
 * one line, exit 2, unless it is a report, which must render the name as it is.
 */
const dir = mkdtempSync(join(tmpdir(), 'livesim-harden-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: readonly string[]) => runCli(args, 120_000, { cwd: dir });
const scenario = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return name;
};
const refused = async (args: readonly string[], why: RegExp): Promise<string> => {
  const r = await cli(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(why);
  return r.stderr;
};

beforeAll(() => ensureBuilt());

describe('hardening › item 8: scenario files and names', () => {
  it('set.__proto__ in a scenario file is refused with its line, not dropped', async () => {
    const f = scenario('proto.json', '{\n  "model": "nacos-v1",\n  "set": {\n    "__proto__": {"preserved.ip.delete.timeout": "10s"}\n  }\n}\n');
    await refused(['run', '--scenario', f], /proto\.json:4: the key '__proto__' is not accepted/);
    await refused(['run', '--model', 'nacos-v1', '--set', '__proto__=1'], /'__proto__' is not a setting/);
  });

  it('a key given twice in a scenario file is refused with its line, not the last one silently kept', async () => {
    const f = scenario('dup.json', '{"model": "nacos-v1",\n "set": {"preserved.ip.delete.timeout": "10s",\n "preserved.ip.delete.timeout": "20s"}}\n');
    await refused(['run', '--scenario', f], /dup\.json:3: the key 'preserved\.ip\.delete\.timeout' is given twice/);
  });

  it('ESC sequences and newlines of a scenario file reach the terminal escaped, on one line', async () => {
    const f = scenario('esc.json', '{"model": "nacos-v1", "set": {"bad\\u001b[31mkey\\nline2": "1"}}');
    const stderr = await refused(['run', '--scenario', f], /unknown setting 'bad\\x1b\[31mkey\\nline2'/);
    expect(stderr).not.toContain('\x1b');
  });

  it('a file that is not JSON is refused without quoting its bytes', async () => {
    const f = scenario('secret.txt', 'root:x:0:0:root:/root:/bin/bash\n');
    const stderr = await refused(['run', '--scenario', f], /secret\.txt: not JSON/);
    expect(stderr).not.toContain('root:x');
  });

  it('a backtick in a sweep file name stays inside the code span of the report README', async () => {
    expect(
      (await cli(['sweep', '--model', 'nacos-v1', '--vary', 'clients=1,2', '--runs', '2', '--until', '30s', '--fault', 'cut', '--out', 's.jsonl', '-q'])).code,
    ).toBe(0);
    copyFileSync(join(dir, 's.jsonl'), join(dir, 'a`b.jsonl'));
    expect((await cli(['report', 'a`b.jsonl', '--out', 'rep'])).code).toBe(0);
    const html = await marked.parse(readFileSync(join(dir, 'rep', 'README.md'), 'utf8'));
    expect(html).toContain('<code>livesim report a`b.jsonl --out DIR</code>');
  }, 60_000);
});
