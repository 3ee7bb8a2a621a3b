import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * A single-node Slurm cluster for one test, from Debian's packages (slurm-wlm, munge): its own
 * munged (own key and socket), slurmctld and slurmd in the foreground as children of the test,
 * on free ports, with every file in `dir`; nothing under /etc or /run is read or changed
 * (SLURM_CONF points the client commands at this cluster's slurm.conf).
 */
export interface SlurmCluster {
  /** Environment for sbatch, squeue, scontrol, scancel: SLURM_CONF set. */
  readonly env: NodeJS.ProcessEnv;
  /** Runs a Slurm client command; returns its stdout (throws on a non-zero exit). */
  run(cmd: string, args: readonly string[]): string;
  stop(): Promise<void>;
}

/** The commands the engine tests need, each with the Debian package that has it. */
export const ENGINE_TOOLS: readonly (readonly [string, string])[] = [
  ['munged', 'munge'],
  ['slurmctld', 'slurm-wlm'],
  ['slurmd', 'slurm-wlm'],
  ['sbatch', 'slurm-wlm'],
  ['scontrol', 'slurm-wlm'],
  ['squeue', 'slurm-wlm'],
  ['scancel', 'slurm-wlm'],
  ['sinfo', 'slurm-wlm'],
  ['parallel', 'parallel'],
];

/** null when every tool is on PATH; else one line saying what to install. */
export const missingEngines = (): string | null => {
  const missing = ENGINE_TOOLS.filter(([cmd]) => {
    try {
      execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return null;
  const pkgs = [...new Set(missing.map(([, p]) => p))].join(' ');
  return `the sweep-engine tests need ${missing.map(([c]) => c).join(', ')}: apt-get install -y ${pkgs} (as root; .ci/run installs them)`;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 200 ms until it returns true; throws `what` after `timeoutMs`. */
export const waitFor = async (what: string, probe: () => boolean, timeoutMs: number): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(200);
  }
};

const stopChild = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
};

export const startSlurm = async (dir: string, cpus: number): Promise<SlurmCluster> => {
  // munged checks that its key is private and that its socket's directory can be searched.
  chmodSync(dir, 0o711);
  const key = join(dir, 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o600 });
  const socket = join(dir, 'munge.socket');
  const children: ChildProcess[] = [];
  const daemon = (cmd: string, args: readonly string[]): void => {
    children.push(spawn(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'] }));
  };
  // -f: munged refuses to run as root, or with a key outside /etc/munge, without it.
  daemon('munged', [
    '-F',
    '-f',
    `--socket=${socket}`,
    `--key-file=${key}`,
    `--log-file=${dir}/munged.log`,
    `--pid-file=${dir}/munged.pid`,
    `--seed-file=${dir}/munged.seed`,
  ]);
  await waitFor(
    'munged',
    () => {
      try {
        execFileSync('munge', ['-n', '-S', socket], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    },
    20_000,
  );
  const host = hostname().split('.')[0] as string;
  for (const sub of ['state', 'spool']) mkdirSync(join(dir, sub));
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=livesimtest',
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmctldPort=${await freePort()}`,
      `SlurmdPort=${await freePort()}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/slurmctld.log`,
      `SlurmdLogFile=${dir}/slurmd.log`,
      // No cgroups in a test: processes are tracked by parentage, tasks are not bound.
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'MpiDefault=none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'SchedulerType=sched/backfill',
      // Schedule every 2 s, not every 60: a released requeued task should start at once.
      'SchedulerParameters=sched_interval=2,bf_interval=1',
      'ReturnToService=2',
      'JobRequeue=1',
      // Keep finished jobs' records for an hour (the default MinJobAge is 300 s): on a loaded machine
      // the first shard finishes minutes before the requeued one, and the test reads every task's state.
      'MinJobAge=3600',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      'MailProg=/bin/true',
      // The node's CPUs as configured (all array tasks at once), not as detected.
      'SlurmdParameters=config_overrides',
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=4000 State=UNKNOWN`,
      'PartitionName=sweeps Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  daemon('slurmctld', ['-D', '-f', conf]);
  daemon('slurmd', ['-D', '-f', conf]);
  const env = { ...process.env, SLURM_CONF: conf };
  const run = (cmd: string, args: readonly string[]): string => execFileSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  await waitFor(
    'the Slurm node to be idle',
    () => {
      try {
        return run('sinfo', ['-h', '-o', '%t']).trim() === 'idle';
      } catch {
        return false;
      }
    },
    60_000,
  );
  return {
    env,
    run,
    stop: async () => {
      for (const c of children.reverse()) await stopChild(c);
    },
  };
};
