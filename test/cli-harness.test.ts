import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, runCliBatch } from './cli-harness.js';

/**
 * The batched runner (cli-harness.ts) must give what a real process gives, whatever path the CLI
 * writes by: `run --trace` streams with fs.writeSync on descriptor 1, past process.stdout. Before
 * the harness caught that, such a case's lines landed in front of the batch's results and the
 * suite waited forever (the deep fuzz run's stall).
 */
describe('batched CLI runner', () => {
  beforeAll(() => ensureBuilt());

  it('captures output written by any path, case by case, as a real process prints it', async () => {
    const cases = [
      ['run', '--model', 'nacos-v1', '--until', '40s', '--trace'],
      ['run', '--model', 'nacos-v1', '--until', '40s', '--json'],
      ['run', '--model', 'nacos-v2', '--until', '20s', '--trace', '--clients', '2'],
      ['run', '--model', 'nope'],
    ];
    const batched = await runCliBatch(cases, 1);
    const real = await Promise.all(cases.map((args) => runCli(args)));
    expect(batched.map((r) => ({ code: r.code, stdout: r.stdout, stderr: r.stderr }))).toEqual(
      real.map((r) => ({ code: r.code, stdout: r.stdout, stderr: r.stderr })),
    );
    // Not vacuous: the traces are there (several lines each), and the bad model was refused.
    expect(real.map((r) => r.stdout.split('\n').length > 10)).toEqual([true, false, true, false]);
    expect(real[3]?.code).toBe(2);
  });

  it('refuses, rather than waits, when a batch prints something besides its results', async () => {
    // Node's -e stands in for the harness: it prints something that is not the results and exits 0.
    const notHarness = { nodeArgs: ['-e', 'process.stdout.write("not json")', '--'] };
    await expect(runCliBatch([['--version']], 1, 30_000, notHarness)).rejects.toThrow(/besides its results/);
  });
});
