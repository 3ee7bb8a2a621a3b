import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expectedHeartbeat, type HeartbeatOutcome, heartbeatParams, runHeartbeat } from './heartbeat.js';

/**
 * livesim's kernel against SimPy 3 on the same Nacos 1.x heartbeat model (bench/heartbeat.ts and
 * bench/simpy/heartbeat.py), side by side in one run: rounds alternate between the two so that
 * drift in machine load hits both alike, and the best round of each is compared (livesim after a
 * JIT warm-up; SimPy as the better of two runs per interpreter, the first being slower while
 * Python's allocator warms up). Both sides must execute the same number of kernel events, make
 * the same unhealthy marks and end with the same lastBeat checksum, all equal to the closed-form
 * expectation; otherwise this throws.
 */
export const SIMPY_PYTHON = '/usr/bin/python3';

/** Load averages read when this module is first imported, i.e. before bench/run.ts measures anything. */
export const LOAD_AT_START: readonly number[] = loadavg();

/** The Python script, whether this module runs from dist/bench/ or from bench/ (tsx). */
const simpyScript = (): string => {
  for (const rel of ['./simpy/heartbeat.py', '../../bench/simpy/heartbeat.py']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('bench/simpy/heartbeat.py not found');
};

const SIMPY_PACKAGE = 'python3-simpy3';

/** SimPy's version under SIMPY_PYTHON, or null when it cannot import simpy. */
const importedSimpy = (): string | null => {
  const r = spawnSync(SIMPY_PYTHON, ['-c', 'import simpy; print(simpy.__version__)'], { encoding: 'utf8' });
  return r.error !== undefined || r.status !== 0 ? null : r.stdout.trim();
};

/** Runs apt-get with `args`; true if it exited 0. Its output goes to stderr, so the tables stay clean. */
const aptGet = (args: readonly string[]): boolean =>
  spawnSync('apt-get', args, { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;

/**
 * SimPy 3's version, installing Debian's python3-simpy3 first when SIMPY_PYTHON cannot import
 * simpy and this process may (root, apt-get present), as .ci/run installs what the suites need.
 * Otherwise throws an Error whose message is one line saying what to install: `npm run bench`
 * does not skip the pairing on a machine that lacks SimPy.
 */
export const ensureSimpy = (log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): string => {
  let version = importedSimpy();
  if (version === null && process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0) {
    log(`bench: ${SIMPY_PYTHON} cannot import simpy; installing Debian's ${SIMPY_PACKAGE} (apt-get install -y ${SIMPY_PACKAGE})`);
    const install = ['install', '-y', '-qq', '--no-install-recommends', SIMPY_PACKAGE];
    if (!aptGet(install)) aptGet(['update', '-qq']) && aptGet(install);
    version = importedSimpy();
  }
  if (version === null) {
    throw new Error(`the SimPy pairing needs Debian's ${SIMPY_PACKAGE} for ${SIMPY_PYTHON}: run apt-get install -y ${SIMPY_PACKAGE} as root`);
  }
  if (!version.startsWith('3.')) {
    throw new Error(`the SimPy pairing needs SimPy 3 (Debian's ${SIMPY_PACKAGE}); ${SIMPY_PYTHON} has SimPy ${version}`);
  }
  return version;
};

export interface SimpyRow {
  readonly clients: number;
  readonly horizonS: number;
  readonly events: number;
  readonly marks: number;
  readonly livesimEventsPerSec: number;
  readonly simpyEventsPerSec: number;
  /** livesim events/s ÷ SimPy events/s. */
  readonly ratio: number;
}

const same = (a: HeartbeatOutcome, b: HeartbeatOutcome): boolean => a.events === b.events && a.marks === b.marks && a.checksum === b.checksum;

const runSimpy = (clients: number, horizonUs: number): HeartbeatOutcome & { seconds: number } => {
  const r = spawnSync(SIMPY_PYTHON, [simpyScript(), '--clients', String(clients), '--horizon-us', String(horizonUs), '--rounds', '2'], {
    encoding: 'utf8',
  });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`SimPy heartbeat failed: ${r.error?.message ?? r.stderr.trim()}`);
  }
  return JSON.parse(r.stdout) as HeartbeatOutcome & { seconds: number };
};

export const benchSimpy = (clients: number, horizonS: number, rounds: number): SimpyRow => {
  const p = heartbeatParams(clients, horizonS);
  const want = expectedHeartbeat(p);
  // V8 re-optimises the model's callbacks during the first full-size runs (a run is ~0.1 s, SimPy's
  // several seconds): two warm-up runs, then the best of three livesim runs per SimPy run. SimPy's
  // interpreter has no JIT to warm up; each side reports its best run.
  for (let w = 0; w < 2; w++) runHeartbeat(p);
  let bestLivesim = Number.POSITIVE_INFINITY;
  let bestSimpy = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const tries = [runHeartbeat(p), runHeartbeat(p), runHeartbeat(p)];
    const l = tries.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    if (tries.some((t) => !same(t, want))) throw new Error(`livesim heartbeat runs disagree with the closed form (N=${clients}, ${horizonS} s)`);
    const s = runSimpy(clients, p.horizonUs);
    const show = (o: HeartbeatOutcome): string => `events ${o.events}, marks ${o.marks}, checksum ${o.checksum}`;
    if (!same(l, want) || !same(s, want)) {
      throw new Error(`heartbeat models disagree (N=${clients}, ${horizonS} s): expected ${show(want)}; livesim ${show(l)}; SimPy ${show(s)}`);
    }
    bestLivesim = Math.min(bestLivesim, l.seconds);
    bestSimpy = Math.min(bestSimpy, s.seconds);
  }
  const livesimEventsPerSec = want.events / bestLivesim;
  const simpyEventsPerSec = want.events / bestSimpy;
  return {
    clients,
    horizonS,
    events: want.events,
    marks: want.marks,
    livesimEventsPerSec,
    simpyEventsPerSec,
    ratio: livesimEventsPerSec / simpyEventsPerSec,
  };
};

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  // `node dist/bench/simpy.js [clients] [horizon-s] [rounds]`
  const [clients = 1_000, horizonS = 3_600, rounds = 3] = process.argv.slice(2).map(Number);
  const version = ensureSimpy();
  process.stdout.write(`${JSON.stringify({ simpy: version, ...benchSimpy(clients, horizonS, rounds) })}\n`);
}
