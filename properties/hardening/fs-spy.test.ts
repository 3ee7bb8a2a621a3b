import { describe, expect, it } from 'vitest';
import { type FsEvent, within, writeProblems } from './fs-spy.js';

/** The rules the crash-safety suite applies to what the spy saw: they must catch what they are for. */
const ev = (op: FsEvent['op'], ...paths: string[]): FsEvent => ({ op, paths, argv: [], cwd: '/w' });
const inDir = (p: string) => within('/w', p);

describe('hardening › fs-spy rules', () => {
  it('a temporary name renamed to the final one is clean', () => {
    expect(writeProblems([ev('open', '/w/s.jsonl.partial'), ev('rename', '/w/s.jsonl.partial', '/w/s.jsonl')], ['/w/s.jsonl'], inDir)).toEqual([]);
  });

  it('writing the final name directly, renaming from elsewhere, never renaming, or writing outside: each is caught', () => {
    expect(writeProblems([ev('open', '/w/s.jsonl'), ev('rename', '/w/t', '/w/s.jsonl')], ['/w/s.jsonl'], inDir)).toEqual([
      'open of /w/s.jsonl under its final name',
    ]);
    expect(writeProblems([ev('write', '/w/r/README.md')], ['/w/r/README.md'], inDir)).toEqual([
      'write of /w/r/README.md under its final name',
      '/w/r/README.md was not created by a rename',
    ]);
    expect(writeProblems([ev('rename', '/tmp/x', '/w/s.jsonl')], ['/w/s.jsonl'], inDir)).toEqual([
      'rename outside the output: /tmp/x',
      'rename /tmp/x → /w/s.jsonl: not from a temporary name beside it',
    ]);
    expect(writeProblems([ev('mkdir', '/elsewhere'), ev('rename', '/w/a', '/w/b')], ['/w/b'], inDir)).toEqual(['mkdir outside the output: /elsewhere']);
  });

  it('within: the directory itself and what is below it, not its siblings or parents', () => {
    expect([within('/w/r', '/w/r'), within('/w/r', '/w/r/a/b'), within('/w/r', '/w/rx'), within('/w/r', '/w'), within('/w/r', '/w/r/../x')]).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
