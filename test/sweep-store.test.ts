import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/scenario/input-error.js';
import type { SweepRequest } from '../src/sweep/plan.js';
import { partialPath } from '../src/sweep/store.js';
import { runSweep } from '../src/sweep/sweep.js';

const dir = mkdtempSync(join(tmpdir(), 'livesim-sweep-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const request: SweepRequest = { base: { model: 'nacos-v1', faults: ['cut'], until: '1m' }, vary: ['preserved.ip.delete.timeout=10s,20s'], runs: 3 };
const sweep = (out: string, more: { resume?: boolean; force?: boolean; request?: SweepRequest } = {}) =>
  runSweep({ request: more.request ?? request, out, workers: 1, resume: more.resume, force: more.force });
const lines = (path: string): string[] => readFileSync(path, 'utf8').trimEnd().split('\n');

describe('sweep › resumable JSON Lines store', () => {
  const out = join(dir, 'ref.jsonl');
  let reference = '';

  it('writes the header, one line per run in plan order, then one summary per point', async () => {
    const r = await sweep(out);
    expect(existsSync(partialPath(out))).toBe(false);
    reference = readFileSync(out, 'utf8');
    const [header, ...rest] = lines(out).map((l) => JSON.parse(l));
    expect(header).toMatchObject({ type: 'sweep', points: 2, runs: 3, total: 6 });
    expect(rest.filter((l) => l.type === 'run').map((l) => l.i)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rest.filter((l) => l.type === 'summary').map((l) => l.point)).toEqual([0, 1]);
    expect(r.summaries?.map((s) => s.runs)).toEqual([3, 3]);
  });

  it('never overwrites a finished file without --force, and --force gives the same bytes', async () => {
    await expect(sweep(out)).rejects.toThrow(/--resume|--force/);
    await expect(sweep(out)).rejects.toThrow(InputError);
    expect(readFileSync(out, 'utf8')).toBe(reference);
    await sweep(out, { force: true });
    expect(readFileSync(out, 'utf8')).toBe(reference);
  });

  it('--resume on a finished file runs nothing and changes nothing', async () => {
    const r = await sweep(out, { resume: true });
    expect([r.ran, r.skipped]).toEqual([0, 6]);
    expect(readFileSync(out, 'utf8')).toBe(reference);
  });

  it('--resume completes a killed sweep (a torn last line is cut off) to the same bytes', async () => {
    const killed = join(dir, 'killed.jsonl');
    const all = lines(out);
    // Header + 2 whole runs + half of the third, as a kill between write calls could leave it.
    writeFileSync(partialPath(killed), `${all.slice(0, 3).join('\n')}\n${all[3]?.slice(0, 40)}`);
    await expect(sweep(killed)).rejects.toThrow(/unfinished sweep/);
    const r = await sweep(killed, { resume: true });
    expect([r.ran, r.skipped]).toEqual([4, 2]);
    expect(readFileSync(killed, 'utf8')).toBe(reference);
    expect(existsSync(partialPath(killed))).toBe(false);
  });

  it('--resume also drops summary lines of an interrupted finish', async () => {
    const late = join(dir, 'late.jsonl');
    const all = lines(out);
    writeFileSync(partialPath(late), `${all.slice(0, 8).join('\n')}\n`); // header, 6 runs, 1 of 2 summaries
    const r = await sweep(late, { resume: true });
    expect(r.ran).toBe(0);
    expect(readFileSync(late, 'utf8')).toBe(reference);
  });

  it('refuses to resume a file of a different sweep', async () => {
    const other: SweepRequest = { ...request, runs: 4 };
    await expect(sweep(out, { resume: true, request: other })).rejects.toThrow(/different sweep/);
    expect(readFileSync(out, 'utf8')).toBe(reference);
  });
});
