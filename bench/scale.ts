import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Model scale (issue 8): `livesim run --model M --clients N --until H --json` through the compiled
 * CLI, exactly as a user types it, timed from spawn to exit; peak RSS comes from the probe
 * (bench/rss-probe.ts) inside the child. Targets: 100,000 clients × 1 h in ≤ 60 s and ≤ 2 GiB.
 */
export interface ScaleRow {
  readonly model: string;
  readonly clients: number;
  readonly until: string;
  readonly seconds: number;
  readonly events: number;
  readonly peakRssBytes: number;
}

const PROBE = fileURLToPath(new URL('./rss-probe.js', import.meta.url));
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export const benchScale = (model: string, clients: number, until: string): ScaleRow => {
  const argv = ['--import', PROBE, CLI, 'run', '--model', model, '--clients', String(clients), '--until', until, '--json'];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`livesim run --model ${model} --clients ${clients} --until ${until} failed: ${r.stderr.trim().split('\n').at(-1)}`);
  const probe = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('{"livesimPeakRssBytes"'))
    .at(-1);
  const peakRssBytes = probe === undefined ? Number.NaN : (JSON.parse(probe) as { livesimPeakRssBytes: number }).livesimPeakRssBytes;
  const result = JSON.parse(r.stdout) as { stop: { events: number } };
  return { model, clients, until, seconds, events: result.stop.events, peakRssBytes };
};

/**
 * The model-scale section of `npm run bench`: the issue's own commands, `livesim run --model M
 * --clients 100000 --until 1h`, through the CLI (`--quick`: 10,000 clients × 10 min). Quiet
 * clients (src/sim/quiet.ts) make the hour take seconds; events are the kernel events the run
 * stands for (`stop.events`, the same with quiet stepping off).
 */
export const scaleSection = (say: (line: string) => void, opts: { quick: boolean }): void => {
  const clients = opts.quick ? 10_000 : 100_000;
  const until = opts.quick ? '10m' : '1h';
  say('');
  say(`## Model scale: livesim run --clients ${clients.toLocaleString('en')} --until ${until}, through the CLI`);
  say('');
  say('| model | clients | simulated | wall (s) | events | M events/s | peak RSS (MiB) | target ≤ 60 s, ≤ 2 GiB |');
  say('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const model of ['nacos-v1', 'nacos-v2']) {
    const r = benchScale(model, clients, until);
    const met = r.seconds <= TARGET_SECONDS && r.peakRssBytes <= TARGET_RSS_BYTES;
    say(
      `| ${model} | ${clients.toLocaleString('en')} | ${until} | ${r.seconds.toFixed(1)} | ${r.events.toLocaleString('en')} | ${(r.events / r.seconds / 1e6).toFixed(2)} | ${(r.peakRssBytes / 2 ** 20).toFixed(0)} | ${opts.quick ? '(quick: not the target size)' : met ? 'met' : 'NOT met'} |`,
    );
  }
  say('');
  say(
    'Target (issue 8): 100,000 clients × 1 h in ≤ 60 s and ≤ 2 GiB on this 2-core machine. The clients nothing happens to are stepped outside the kernel with byte-identical results (src/sim/quiet.ts; test/quiet-v1.test.ts, test/quiet-v2.test.ts); docs/performance.md, "Model scale", has the profile.',
  );
};

/** Issue 8's targets for the 100,000-client hour. */
const TARGET_SECONDS = 60;
const TARGET_RSS_BYTES = 2 * 2 ** 30;
