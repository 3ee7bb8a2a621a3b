import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, MAIN, runCli } from '../cli-harness.js';
import { missingEngines, type SlurmCluster, startSlurm, waitFor } from './slurm-cluster.js';

/**
 * Sweeps on real engines (issue 22 item 4): one sweep plan run as `sweep --shard I/4 --resume`
 * tasks by a Slurm array job on a single-node cluster (Debian's slurm-wlm and munge) and by
 * GNU parallel; in each, one task is SIGKILLed mid-run (after its first rows are in its
 * .partial) and run again (Slurm: `scontrol requeue`; parallel: `--retries`), and the merge of
 * the four shards must be byte-identical to the unsharded sweep, as docs/scaling.md promises.
 *
 * Knobs (environment; `npm run props:deep` sets larger ones): ENGINE_SEEDS seeds per point (2
 * points), ENGINE_CLIENTS clients a run, ENGINE_UNTIL each run's horizon. A run must be long
 * enough that the victim is still running when its first rows appear.
 */
const SEEDS = Number(process.env.ENGINE_SEEDS ?? 8);
const CLIENTS = Number(process.env.ENGINE_CLIENTS ?? 100);
const UNTIL = process.env.ENGINE_UNTIL ?? '1h';
const SHARDS = 4;
const VICTIM = 2;
const PLAN = [
  'sweep',
  '-q',
  '--model',
  'nacos-v1',
  '--clients',
  String(CLIENTS),
  '--until',
  UNTIL,
  '--fault',
  'cut',
  '--vary',
  'preserved.heart.beat.timeout=6s,15s',
  '--runs',
  String(SEEDS),
  '--workers',
  '1',
];

const lines = (file: string): number =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '').length
    : 0;
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

let dir = '';
let reference: Buffer;
const missing = missingEngines();

beforeAll(async () => {
  if (missing !== null) throw new Error(missing);
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'livesim-engines-'));
  const ref = join(dir, 'unsharded.jsonl');
  const r = await runCli([...PLAN, '--out', ref], 600_000);
  expect(r.code, r.stderr).toBe(0);
  reference = readFileSync(ref);
}, 900_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** `sweep merge` of the shard files; returns the merged bytes. */
const merge = async (files: readonly string[], out: string): Promise<Buffer> => {
  const r = await runCli(['sweep', 'merge', ...files, '--out', out, '-q'], 120_000);
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(out);
};

describe(`sweeps on real engines: ${SHARDS} shards of ${2 * SEEDS} runs (nacos-v1, ${CLIENTS} clients, ${UNTIL}), task ${VICTIM} killed and run again`, () => {
  it('a Slurm array job: kill a task mid-run, requeue it, merge = the unsharded sweep, byte for byte', async () => {
    const t0 = Date.now();
    const at = (): string => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
    const cluster: SlurmCluster = await startSlurm(mkdtempSync(join(dir, 'cluster-')), SHARDS);
    try {
      const script = join(dir, 'slurm-task.sh');
      const shard = (i: number | string): string => join(dir, `slurm-shard-${i}.jsonl`);
      writeFileSync(
        script,
        `#!/bin/sh\n# One array task: shard $SLURM_ARRAY_TASK_ID of ${SHARDS}; --resume continues a requeued task's .partial.\nexec ${q(process.execPath)} ${q(MAIN)} ${PLAN.map(q).join(' ')} --shard "$SLURM_ARRAY_TASK_ID/${SHARDS}" --resume --out ${q(join(dir, 'slurm-shard-'))}"$SLURM_ARRAY_TASK_ID.jsonl"\n`,
        { mode: 0o755 },
      );
      const started = at();
      const job = cluster
        .run('sbatch', ['--parsable', `--array=1-${SHARDS}`, '--cpus-per-task=1', '--open-mode=append', `--output=${dir}/slurm-task-%a.log`, script])
        .trim();
      const task = `${job}_${VICTIM}`;
      const state = (t: string): string => /JobState=(\S+)/.exec(cluster.run('scontrol', ['show', 'job', t]))?.[1] ?? 'unknown';
      const partial = `${shard(VICTIM)}.partial`;
      await waitFor(`task ${task}'s first rows`, () => lines(partial) >= 2 || existsSync(shard(VICTIM)), 300_000);
      if (existsSync(shard(VICTIM))) throw new Error(`task ${task} finished before it could be killed: make the runs longer (ENGINE_UNTIL, ENGINE_CLIENTS)`);
      cluster.run('scancel', ['--signal=KILL', '--full', task]);
      await waitFor(`task ${task} to stop`, () => !['RUNNING', 'COMPLETING'].includes(state(task)), 60_000);
      const killedState = state(task);
      const killedAt = at();
      const rowsAtKill = lines(partial) - 1;
      expect(existsSync(shard(VICTIM)), 'a killed shard has no finished file').toBe(false);
      cluster.run('scontrol', ['requeue', task]);
      // A requeued job waits two minutes (its begin time) once it is pending again; start it now.
      await waitFor(`task ${task} to be pending again`, () => state(task) === 'PENDING', 60_000);
      cluster.run('scontrol', ['update', `JobId=${task}`, 'StartTime=now']);
      const ids = Array.from({ length: SHARDS }, (_, k) => `${job}_${k + 1}`);
      await waitFor(`array job ${job} to complete`, () => ids.every((t) => state(t) === 'COMPLETED'), 600_000);
      const doneAt = at();
      const restarts = /Restarts=(\d+)/.exec(cluster.run('scontrol', ['show', 'job', task]))?.[1];
      expect(restarts).toBe('1');
      const merged = await merge(
        ids.map((_, k) => shard(k + 1)),
        join(dir, 'slurm-merged.jsonl'),
      );
      const identical = merged.equals(reference);
      console.log(
        `slurm: array job ${job}, task ${task} SIGKILLed with ${rowsAtKill} of ${(SEEDS * 2) / SHARDS} runs in its .partial (state ${killedState}), requeued (Restarts=${restarts}), resumed and COMPLETED (cluster up ${started}, killed ${killedAt}, all done ${doneAt}); sweep merge of ${SHARDS} shards vs the unsharded sweep (${reference.length} bytes): ${identical ? 'byte-identical' : 'DIFFERENT'}`,
      );
      expect(identical).toBe(true);
    } finally {
      await cluster.stop();
    }
  }, 900_000);

  it('GNU parallel: kill a task mid-run, parallel --retries runs it again, merge = the unsharded sweep, byte for byte', async () => {
    const shard = (i: number): string => join(dir, `parallel-shard-${i}.jsonl`);
    const joblog = join(dir, 'parallel.joblog');
    const attemptsLog = join(dir, 'parallel-attempts.log');
    // Each attempt notes its shard first: parallel's joblog keeps only a job's last attempt.
    const command = `echo {} >> ${q(attemptsLog)}; exec ${q(process.execPath)} ${q(MAIN)} ${PLAN.map(q).join(' ')} --shard {}/${SHARDS} --resume --out ${q(join(dir, 'parallel-shard-'))}{}.jsonl`;
    const shards = Array.from({ length: SHARDS }, (_, k) => String(k + 1));
    const child: ChildProcess = spawn('parallel', ['--will-cite', '--jobs', String(SHARDS), '--retries', '2', '--joblog', joblog, command, ':::', ...shards], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const partial = `${shard(VICTIM)}.partial`;
      await waitFor(`parallel shard ${VICTIM}'s first rows`, () => lines(partial) >= 2 || existsSync(shard(VICTIM)), 300_000);
      if (existsSync(shard(VICTIM))) throw new Error(`shard ${VICTIM} finished before it could be killed: make the runs longer (ENGINE_UNTIL, ENGINE_CLIENTS)`);
      // The victim: the process whose command line writes that shard (this test's own directory).
      const victim = readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .find((p) => {
          try {
            const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
            return argv.includes('sweep') && argv.includes(shard(VICTIM));
          } catch {
            return false;
          }
        });
      if (victim === undefined) throw new Error(`no process writes ${shard(VICTIM)}`);
      const rowsAtKill = lines(partial) - 1;
      process.kill(Number(victim), 'SIGKILL');
      const code = await exited;
      expect(code, stderr).toBe(0);
      // Joblog: Seq Host Starttime JobRuntime Send Receive Exitval Signal Command, each job's last attempt.
      const last = readFileSync(joblog, 'utf8')
        .split('\n')
        .slice(1)
        .filter((l) => l !== '')
        .map((l) => l.split('\t'));
      expect(last.map((a) => [a[6], a[7]])).toEqual(shards.map(() => ['0', '0']));
      const attempts = readFileSync(attemptsLog, 'utf8')
        .split('\n')
        .filter((l) => l === String(VICTIM)).length;
      expect(attempts).toBe(2);
      const merged = await merge(
        shards.map((i) => shard(Number(i))),
        join(dir, 'parallel-merged.jsonl'),
      );
      const identical = merged.equals(reference);
      console.log(
        `parallel: shard ${VICTIM} SIGKILLed with ${rowsAtKill} of ${(SEEDS * 2) / SHARDS} runs in its .partial, run again by --retries (${attempts} attempts, the last exit 0); sweep merge of ${SHARDS} shards vs the unsharded sweep (${reference.length} bytes): ${identical ? 'byte-identical' : 'DIFFERENT'}`,
      );
      expect(identical).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    }
  }, 900_000);
});
