import { describe, expect, it } from 'vitest';
import { extractExamples, matchesShown, parseBlock } from './examples.js';

/** The docs test's own rules: what counts as an example, and what "the docs show the output" means. */
describe('docs examples › reading and matching', () => {
  it('a transcript: commands after `$ `, continuation lines joined, output lines after each', () => {
    expect(parseBlock('$ livesim run \\\n    --seed 2\nline 1\n$ echo $?\n0')).toEqual([
      { command: 'livesim run \\\n    --seed 2', shown: ['line 1'] },
      { command: 'echo $?', shown: ['0'] },
    ]);
    expect(parseBlock('npx livesim models\nlivesim schema')).toEqual([
      { command: 'npx livesim models', shown: null },
      { command: 'livesim schema', shown: null },
    ]);
    expect(parseBlock('{"json": 1}')).toBeNull();
    expect(parseBlock('npm test')).toBeNull();
  });

  it('finds blocks inside lists, with their line, and the not-run comment before a block', () => {
    const md = [
      '# t',
      '',
      '- item',
      '',
      '  ```',
      '  $ livesim models',
      '  x',
      '  ```',
      '',
      '<!-- docs-test: not run: a template -->',
      '```sh',
      'livesim sweep … --shard $I/8',
      '```',
      '',
    ].join('\n');
    const ex = extractExamples('t.md', md);
    expect(ex.map((e) => [e.line, e.notRun])).toEqual([
      [5, null],
      [11, 'a template'],
    ]);
  });

  it('every line must match; a changed number fails', () => {
    expect(matchesShown(['detection 30.003 s', 'stale 31.004 s'], 'detection 30.003 s\nstale 31.004 s\n')).toBe(true);
    expect(matchesShown(['detection 30.003 s', 'stale 31.004 s'], 'detection 30.002 s\nstale 31.004 s\n')).toBe(false);
    expect(matchesShown(['detection 30.003 s'], 'detection 30.003 s\nstale 31.004 s\n')).toBe(false);
  });

  it('… on its own line stands for one or more lines; within a line for some text', () => {
    expect(matchesShown(['a', '…', 'd'], 'a\nb\nc\nd\n')).toBe(true);
    expect(matchesShown(['a', '…', 'd'], 'a\nd\n')).toBe(false);
    expect(matchesShown(['a', '…'], 'a\nb\n')).toBe(true);
    expect(matchesShown(['{"model":"nacos-v1",…,"seed":1}'], '{"model":"nacos-v1","x":2,"seed":1}\n')).toBe(true);
    expect(matchesShown(['{"model":"nacos-v1",…,"seed":1}'], '{"model":"nacos-v1","x":2,"seed":2}\n')).toBe(false);
  });

  it('trailing blanks and blank lines at the end do not count', () => {
    expect(matchesShown(['a', ''], 'a   \n\n\n')).toBe(true);
  });
});
