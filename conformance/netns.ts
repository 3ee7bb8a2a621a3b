import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * Two network namespaces, a client side `c` and a server side `s`, joined either by a veth pair
 * (low RTT) or by a userspace TUN delay line (tun-relay.py: 25 ms each way; the kernel has no
 * sch_netem). Nothing is routed out of them: each has only its loopback and its end of the link,
 * so experiment traffic never leaves the pair. Every pair this process made is deleted on exit,
 * also on SIGINT/SIGTERM (see cleanupAll).
 */
export interface Pair {
  readonly c: string;
  readonly s: string;
  readonly cAddr: string;
  readonly sAddr: string;
  relay: ChildProcess | null;
}

const live = new Set<Pair>();
const RELAY = fileURLToPath(new URL('../../conformance/real/tun-relay.py', import.meta.url));

export const run = async (cmd: string, args: readonly string[]): Promise<string> => {
  try {
    return (await exec(cmd, [...args], { timeout: 20_000 })).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${(err.stderr ?? err.message).trim()}`);
  }
};

const ns = (name: string, ...args: string[]) => run('ip', ['-n', name, ...args]);

/** Sets sysctls inside a namespace (the TCP ones are per network namespace). */
export const sysctl = async (name: string, values: Readonly<Record<string, number>>): Promise<void> => {
  const pairs = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  if (pairs.length > 0) await run('ip', ['netns', 'exec', name, 'sysctl', '-q', '-w', ...pairs]);
};

/** Creates the pair number `index` (it picks the subnet 10.201.index.0/24). */
export const createPair = async (index: number, rttMs: 'low' | 50): Promise<Pair> => {
  // The runner's whole pid: removeStale() tells a live runner's pairs from a dead one's by it.
  const tag = `lsc${process.pid}x${index}`;
  const pair: Pair = { c: `${tag}c`, s: `${tag}s`, cAddr: `10.201.${index}.1`, sAddr: `10.201.${index}.2`, relay: null };
  live.add(pair);
  await run('ip', ['netns', 'add', pair.c]);
  await run('ip', ['netns', 'add', pair.s]);
  for (const side of [pair.c, pair.s]) await ns(side, 'link', 'set', 'lo', 'up');
  if (rttMs === 'low') {
    await run('ip', ['link', 'add', 'lsc0', 'netns', pair.c, 'type', 'veth', 'peer', 'name', 'lsc1', 'netns', pair.s]);
    await ns(pair.c, 'addr', 'add', `${pair.cAddr}/24`, 'dev', 'lsc0');
    await ns(pair.s, 'addr', 'add', `${pair.sAddr}/24`, 'dev', 'lsc1');
    await ns(pair.c, 'link', 'set', 'lsc0', 'up');
    await ns(pair.s, 'link', 'set', 'lsc1', 'up');
    return pair;
  }
  pair.relay = await startRelay(pair.c, pair.s, rttMs / 2);
  await ns(pair.c, 'addr', 'add', pair.cAddr, 'peer', pair.sAddr, 'dev', 'tunA');
  await ns(pair.s, 'addr', 'add', pair.sAddr, 'peer', pair.cAddr, 'dev', 'tunB');
  await ns(pair.c, 'link', 'set', 'tunA', 'up');
  await ns(pair.s, 'link', 'set', 'tunB', 'up');
  return pair;
};

/** Starts the delay line and waits for its "ready" (both TUN devices exist). */
const startRelay = (a: string, b: string, oneWayMs: number): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn('python3', [RELAY, a, b, String(oneWayMs)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`tun-relay.py exited ${code}: ${err.trim()}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      if (line === 'ready') resolve(child);
      else reject(new Error(`tun-relay.py: ${line}`));
    });
  });

/** The cut: every packet arriving in namespace `side` is dropped (an INPUT drop, as a real partition looks to the receiver). */
export const cutInto = (side: string): Promise<string> => run('ip', ['netns', 'exec', side, 'iptables', '-w', '-I', 'INPUT', '-j', 'DROP']);

export const destroyPair = async (pair: Pair): Promise<void> => {
  live.delete(pair);
  pair.relay?.stdin?.end();
  pair.relay?.kill('SIGKILL');
  for (const side of [pair.c, pair.s]) await run('ip', ['netns', 'del', side]).catch(() => undefined);
};

/** Deletes every pair still alive, synchronously enough for an exit handler. */
export const cleanupAll = async (): Promise<void> => {
  await Promise.all([...live].map(destroyPair));
};

/** Preflight: one line saying what this machine lacks, or null. */
export const missing = async (): Promise<string | null> => {
  if (process.getuid?.() !== 0) return 'the conformance suite must run as root (it creates network namespaces)';
  for (const [cmd, pkg] of [
    ['ip', 'iproute2'],
    ['iptables', 'iptables'],
    ['python3', 'python3'],
  ] as const) {
    try {
      await run('sh', ['-c', `command -v ${cmd}`]);
    } catch {
      return `${cmd} is missing (install Debian's ${pkg})`;
    }
  }
  const probe = `lscprobe${process.pid}`;
  try {
    await run('ip', ['netns', 'add', probe]);
    await run('ip', ['netns', 'exec', probe, 'iptables', '-w', '-L', 'INPUT', '-n']);
  } catch (e) {
    return `cannot create a network namespace with iptables in it: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    await run('ip', ['netns', 'del', probe]).catch(() => undefined);
  }
  return null;
};
