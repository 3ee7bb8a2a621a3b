/**
 * `npm run conformance`: every case on the real kernel (≥ 3 repeats, in parallel, each in its own
 * namespace pair) and on livesim's transport; prints the table and exits 1 if any row is out of
 * tolerance. `--record` also writes results/conformance/README.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { CASES, type Case } from './cases.js';
import { cleanupAll, createPair, destroyPair, missing, run } from './netns.js';
import { killAllPeers } from './peer-process.js';
import { type Figures, SetupError } from './real-experiments.js';
import { judge, median, type Row, table } from './verdict.js';

const USAGE = `usage: npm run conformance -- [--repeats N] [--jobs N] [--only TEXT] [--record]

Runs each case on the real Linux kernel (network namespaces, iptables INPUT drops, a TUN delay
line for 50 ms RTT) and on livesim, and compares: a time passes within 5 % or 200 ms of the real
median. Needs root, iproute2, iptables and python3. LIVESIM_CONFORMANCE=skip skips it.

  --repeats N   real runs per case (default 3, at least 3)
  --jobs N      namespace pairs at once (default 32)
  --only TEXT   only the cases whose name contains TEXT
  --record      write the table to results/conformance/README.md`;

const fail = (msg: string, code = 2): never => {
  process.stderr.write(`conformance: ${msg}\n`);
  process.exit(code);
};

const options = (() => {
  try {
    return parseArgs({
      options: {
        repeats: { type: 'string', default: '3' },
        jobs: { type: 'string', default: '32' },
        only: { type: 'string' },
        record: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    return fail(`${(e as Error).message} (see --help)`);
  }
})();
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const repeats = Number(options.repeats);
const jobs = Number(options.jobs);
if (!Number.isInteger(repeats) || repeats < 3) fail(`--repeats: '${options.repeats}' is not an integer ≥ 3`);
if (!Number.isInteger(jobs) || jobs < 1 || jobs > 200) fail(`--jobs: '${options.jobs}' is not an integer in 1..200`);

const shutdown = (code: number) => async () => {
  killAllPeers();
  await cleanupAll();
  process.exit(code);
};
process.on('SIGINT', shutdown(130));
process.on('SIGTERM', shutdown(143));

/** Namespaces left by a runner that was killed with SIGKILL (its pid in the name is gone). */
const removeStale = async (): Promise<void> => {
  const names = (await run('ip', ['netns', 'list'])).split('\n').map((l) => l.split(' ')[0] ?? '');
  for (const name of names) {
    const m = /^lsc(\d+)x\d+[cs]$/.exec(name);
    if (m === null || Number(m[1]) === process.pid) continue;
    let alive = false;
    try {
      process.kill(Number(m[1]), 0);
      alive = true;
    } catch {}
    if (!alive) await run('ip', ['netns', 'del', name]).catch(() => undefined);
  }
};

const kernelHz = (): string => {
  try {
    const config = gunzipSync(readFileSync('/proc/config.gz')).toString();
    return /^CONFIG_HZ=(\d+)$/m.exec(config)?.[1] ?? 'unknown';
  } catch {
    return 'unknown (no /proc/config.gz)';
  }
};

const START_GAP_MS = 250;
const ATTEMPTS = 3;

interface Job {
  readonly c: Case;
  readonly repeat: number;
}

const runAll = async (selected: readonly Case[]): Promise<Map<Case, Figures[]>> => {
  const queue: Job[] = [...selected].sort((a, b) => b.expectS - a.expectS).flatMap((c) => Array.from({ length: repeats }, (_, repeat) => ({ c, repeat })));
  const results = new Map<Case, Figures[]>(selected.map((c) => [c, []]));
  let next = 0;
  let index = 0;
  // Jobs start at least START_GAP_MS apart: a burst of process start-ups would delay the delay
  // line and the peers, and an RTT sample taken then inflates the kernel's RTO for the whole case.
  let gate = Promise.resolve();
  const admitted = (): Promise<void> => {
    const mine = gate.then(() => new Promise<void>((r) => setTimeout(r, START_GAP_MS)));
    gate = mine;
    return mine;
  };
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const job = queue[next++] as Job;
      // A run whose set-up fails (a peer that never came up on a loaded machine) measured nothing:
      // it is tried again on a fresh pair, at most ATTEMPTS times; a measurement is never retried.
      for (let attempt = 1; ; attempt++) {
        await admitted();
        const pair = await createPair((index++ % 250) + 1, job.c.rtt);
        try {
          (results.get(job.c) as Figures[]).push(await job.c.real(pair));
          process.stderr.write('.');
          break;
        } catch (e) {
          const why = `${job.c.id} (run ${job.repeat + 1}, attempt ${attempt}): ${(e as Error).message}`;
          if (!(e instanceof SetupError) || attempt >= ATTEMPTS) throw new Error(why);
          process.stderr.write(`\nconformance: ${why}; trying again\n`);
        } finally {
          await destroyPair(pair);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, worker));
  process.stderr.write('\n');
  return results;
};

const main = async (): Promise<void> => {
  if (process.env.LIVESIM_CONFORMANCE === 'skip') {
    process.stdout.write('conformance: skipped (LIVESIM_CONFORMANCE=skip)\n');
    return;
  }
  const lack = await missing();
  if (lack !== null) fail(`${lack}; set LIVESIM_CONFORMANCE=skip to skip the suite explicitly`, 1);
  await removeStale();
  const selected = CASES.filter((c) => options.only === undefined || c.id.includes(options.only));
  if (selected.length === 0) fail(`--only: no case name contains '${options.only}'`);
  const started = Date.now();
  process.stderr.write(`conformance: ${selected.length} cases × ${repeats} real runs, ${Math.min(jobs, selected.length * repeats)} at once\n`);
  const real = await runAll(selected);
  const rows: Row[] = [];
  for (const c of selected) {
    const runs = real.get(c) as Figures[];
    const sim = c.livesim(runs);
    const srtt = runs.some((r) => r.srttMs !== undefined)
      ? ` (livesim over the kernel's srtt, ${median(runs.map((r) => Number(r.srttMs))).toFixed(2)} ms)`
      : '';
    for (const f of c.figures)
      rows.push(
        judge(
          `${c.id}${srtt}`,
          f,
          runs.map((r) => r[f.key] as number | string),
          sim[f.key] as number | string,
        ),
      );
  }
  const hz = kernelHz();
  const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const header = `Linux ${release()}, CONFIG_HZ=${hz}, ${machine}, ${new Date().toISOString().slice(0, 10)}, ${repeats} real runs per case, ${((Date.now() - started) / 1000).toFixed(0)} s`;
  const text = `${header}\n\n${table(rows)}\n`;
  process.stdout.write(text);
  const failed = rows.filter((r) => !r.pass);
  if (options.record) writeFileSync(new URL('../../results/conformance/README.md', import.meta.url), record(header, text));
  process.stdout.write(
    failed.length === 0 ? `conformance: all ${rows.length} rows within tolerance\n` : `conformance: ${failed.length} of ${rows.length} rows out of tolerance\n`,
  );
  if (failed.length > 0) process.exitCode = 1;
};

const record = (header: string, text: string): string =>
  `# Conformance: livesim's transport against the real Linux kernel

Written by \`npm run conformance -- --record\` (conformance/main.ts). ${header.split(',')[0]}.
Each case runs on the real kernel between two network namespaces (veth for low RTT; a userspace TUN
delay line, conformance/real/tun-relay.py, for 25 ms each way, since the kernel has no sch_netem), the cut
an iptables \`INPUT -j DROP\` in the receiving namespace, with Node's \`net\` sockets or grpc-js; and on
livesim's transport (src/sim) with the same sysctls (conformance/livesim-figures.ts), over a fixed one-way
latency of 0.1 ms or 25 ms, or, where the case says so, half the kernel's own srtt read with \`ss -ti\` just
before the cut (the delay line's scheduling adds a few ms, which the kernel's RTO then carries). A time passes when
livesim lies within 5 % or 200 ms (whichever is larger) of the real median; a count or an outcome must match.

${text}`;

main()
  .catch(async (e) => {
    process.stderr.write(`\nconformance: ${(e as Error).message}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    killAllPeers();
    await cleanupAll();
  });
