import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-harness.js';
import { referenceFingerprint } from './fingerprint-reference.js';

/**
 * `run --trace` streams the canonical lines while the run goes (memory stays flat); the trace hash
 * is defined as the fingerprint of exactly those lines (docs/trace-format.md), so fingerprinting
 * the output must give the `traceHash` that `run --json` reports for the same scenario. `--trace`
 * runs every event through the kernel, while `--json` steps clients c2…c50 quietly
 * (src/sim/quiet.ts): the test also shows the two paths recorded the same history. A reader that goes away early (`| head`) ends
 * the run quietly: exit 0, nothing on stderr.
 */
const CLI = 'dist/cli/main.js';
const scenario = (model: string): string[] => ['run', '--model', model, '--clients', '50', '--until', '3m', '--fault', 'cut@60s'];
const SCENARIO = scenario('nacos-v2');

beforeAll(() => ensureBuilt());

describe('run --trace', () => {
  for (const model of ['nacos-v1', 'nacos-v2']) {
    it(`${model}: the fingerprint of the streamed lines is the run’s traceHash`, () => {
      const trace = spawnSync(process.execPath, [CLI, ...scenario(model), '--trace'], { maxBuffer: 256 * 2 ** 20 });
      expect(trace.status).toBe(0);
      expect(trace.stdout.length).toBeGreaterThan(1 << 17); // several write chunks
      const json = spawnSync(process.execPath, [CLI, ...scenario(model), '--json'], { encoding: 'utf8' });
      expect(json.status).toBe(0);
      const lines = trace.stdout.toString('utf8').split('\n').slice(0, -1);
      expect(referenceFingerprint(lines)).toBe((JSON.parse(json.stdout) as { traceHash: string }).traceHash);
    });
  }

  it('stops quietly when the reader closes the pipe', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" ${CLI} ${SCENARIO.join(' ')} --trace | head -n 1`], { encoding: 'utf8' });
    expect(r.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
