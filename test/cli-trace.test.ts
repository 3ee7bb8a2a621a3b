import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-harness.js';

/**
 * `run --trace` streams the canonical lines while the run goes (memory stays flat); the trace hash
 * is defined as the SHA-256 of exactly those lines, so hashing the output must give the `traceHash`
 * that `run --json` reports for the same scenario. A reader that goes away early (`| head`) ends
 * the run quietly: exit 0, nothing on stderr.
 */
const CLI = 'dist/cli/main.js';
const SCENARIO = ['run', '--model', 'nacos-v2', '--clients', '50', '--until', '3m', '--fault', 'cut@60s'];

beforeAll(() => ensureBuilt());

describe('run --trace', () => {
  it('the SHA-256 of the streamed lines is the run’s traceHash', () => {
    const trace = spawnSync(process.execPath, [CLI, ...SCENARIO, '--trace'], { maxBuffer: 256 * 2 ** 20 });
    expect(trace.status).toBe(0);
    expect(trace.stdout.length).toBeGreaterThan(1 << 17); // several write chunks
    const json = spawnSync(process.execPath, [CLI, ...SCENARIO, '--json'], { encoding: 'utf8' });
    expect(json.status).toBe(0);
    const hash = createHash('sha256').update(trace.stdout).digest('hex');
    expect(hash).toBe((JSON.parse(json.stdout) as { traceHash: string }).traceHash);
  });

  it('stops quietly when the reader closes the pipe', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" ${CLI} ${SCENARIO.join(' ')} --trace | head -n 1`], { encoding: 'utf8' });
    expect(r.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
