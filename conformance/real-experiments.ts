/**
 * The real kernel's side of each case: peers in a namespace pair, driven step by step. Every
 * figure is a difference of two CLOCK_MONOTONIC stamps taken by the peers themselves (or the
 * runner, for the kill), so process start-up and command latency do not enter it.
 */
import { cutInto, type Pair, run, sysctl } from './netns.js';
import { monoMs, type PeerEvent, PeerProcess, SetupError } from './peer-process.js';

export { SetupError };

const PORT = 7000;
const GRPC_PORT = 9848; // the Nacos 2.x gRPC port, for recognisability only
const SETUP_MS = 20_000;
/** The margin a cut must keep from the event it must precede. */
const GUARD_MS = 100;
/** With idle 2 s and probes answered every 2 s, the first probe after `cutAfterMs` is due at the next multiple of 2 s. */
const KEEPALIVE_IDLE_MS = 2000;
const nextProbeMs = (lastMs: number, cutAfterMs: number): number => lastMs + (Math.floor(cutAfterMs / KEEPALIVE_IDLE_MS) + 1) * KEEPALIVE_IDLE_MS - GUARD_MS;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export type Figures = Readonly<Record<string, number | string>>;

interface Opened {
  readonly cp: PeerProcess;
  readonly sp: PeerProcess;
}

const withPeers = async <T>(pair: Pair, body: (o: Opened) => Promise<T>, clientSetup: Record<string, unknown>[] = []): Promise<T> => {
  const sp = new PeerProcess(pair.s, './real/peer.js', ['listen', String(PORT)]);
  let cp: PeerProcess | null = null;
  try {
    await sp.ready('listening', SETUP_MS);
    cp = new PeerProcess(pair.c, './real/peer.js', ['connect', pair.sAddr, String(PORT)]);
    await cp.ready('connect', SETUP_MS);
    await sp.ready('accept', SETUP_MS);
    for (const cmd of clientSetup) cp.send(cmd);
    // One exchange each way: both RTT estimators have a sample, as in livesim's run of the case.
    cp.send({ op: 'write', data: 'hello\n' });
    await sp.ready('data', SETUP_MS);
    sp.send({ op: 'write', data: 'ok\n' });
    await cp.ready('data', SETUP_MS);
    return await body({ cp, sp });
  } finally {
    cp?.stop();
    sp.stop();
  }
};

/**
 * The kernel's smoothed RTT of the client's connection (`ss -tin`: rtt:SRTT/RTTVAR ms), read
 * just before the cut: livesim runs the case over a path with that round trip, so that both
 * estimators start alike whatever the delay line's scheduling added.
 */
const srttMs = async (pair: Pair): Promise<number> => {
  const out = await run('ip', ['netns', 'exec', pair.c, 'ss', '-tinH', 'dst', pair.sAddr]);
  const m = /\brtt:([\d.]+)\//.exec(out);
  if (m === null) throw new Error(`no rtt in ss output: ${out.trim()}`);
  return Number(m[1]);
};

/**
 * A cut that must be in place before `deadline` (monotonic ms): the next keepalive probe or health
 * check. iptables serialises on one lock for every namespace, so on a loaded machine a cut can land
 * late; then the case did not run as stated, and the run is tried again (SetupError).
 */
const cutBefore = async (side: string, deadline: number, what: string): Promise<void> => {
  await cutInto(side);
  const late = monoMs() - deadline;
  if (late > 0) throw new SetupError(`the cut took effect ${late.toFixed(0)} ms after ${what}`);
};

const errorOf = (p: PeerProcess, timeoutMs: number, after = 0): Promise<PeerEvent> => p.on('error', timeoutMs, after);
const seconds = (from: number, to: number): number => (to - from) / 1000;
const expectCode = (e: PeerEvent, code: string): void => {
  if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}`);
};

/** §1: an unacknowledged write over a cut path; s from the write until ETIMEDOUT. */
export const unackedWrite =
  (retries2: number) =>
  async (pair: Pair): Promise<Figures> => {
    await sysctl(pair.c, { 'net.ipv4.tcp_retries2': retries2 });
    return withPeers(pair, async ({ cp }) => {
      const rtt = await srttMs(pair);
      await cutInto(pair.s);
      await sleep(200);
      const mark = cp.events.length;
      cp.send({ op: 'write', data: 'x'.repeat(100) });
      const wrote = await cp.on('wrote', SETUP_MS, mark);
      const err = await errorOf(cp, 250_000, mark);
      expectCode(err, 'ETIMEDOUT');
      return { giveUpS: seconds(wrote.t, err.t), srttMs: rtt };
    });
  };

/** The keepalive cases' common end: cut `cutAfterMs` after the last data, before the next probe; s until ETIMEDOUT. */
const idleCutGiveUp = async (pair: Pair, cp: PeerProcess, last: PeerEvent, cutAfterMs: number): Promise<Figures> => {
  await sleep(Math.max(0, last.t + cutAfterMs - monoMs()));
  await cutBefore(pair.s, nextProbeMs(last.t, cutAfterMs), 'the next keepalive probe');
  const err = await errorOf(cp, 60_000);
  expectCode(err, 'ETIMEDOUT');
  return { giveUpS: seconds(last.t, err.t) };
};

/**
 * §2: idle keepalive 2 s / 1 s / 3 (per-socket TCP_KEEPIDLE/INTVL/CNT, set by ka-client.py), cut
 * `cutAfterMs` after the last data; s from the last data until ETIMEDOUT.
 */
export const keepalive =
  (cutAfterMs: number) =>
  async (pair: Pair): Promise<Figures> => {
    const sp = new PeerProcess(pair.s, './real/peer.js', ['listen', String(PORT)]);
    let cp: PeerProcess | null = null;
    try {
      sp.send({ op: 'echo' });
      await sp.ready('listening', SETUP_MS);
      cp = new PeerProcess(pair.c, '../../conformance/real/ka-client.py', [pair.sAddr, String(PORT), '2', '1', '3']);
      const last = await cp.ready('data', SETUP_MS);
      return await idleCutGiveUp(pair, cp, last, cutAfterMs);
    } finally {
      cp?.stop();
      sp.stop();
    }
  };

/**
 * §2b: the same through Node's socket.setKeepAlive(true, 2000), which a Node.js SDK would use: it
 * sets only the idle time; libuv (1.46, Node 20) sets the interval and count on the socket itself,
 * overriding the namespace's sysctls (measured: 2 s + 10 × 1 s).
 */
export const nodeKeepalive =
  (cutAfterMs: number) =>
  async (pair: Pair): Promise<Figures> => {
    await sysctl(pair.c, { 'net.ipv4.tcp_keepalive_intvl': 75, 'net.ipv4.tcp_keepalive_probes': 9 });
    return withPeers(
      pair,
      async ({ cp }) => {
        const last = cp.events.filter((e) => e.ev === 'data').at(-1) as PeerEvent;
        return idleCutGiveUp(pair, cp, last, cutAfterMs);
      },
      [{ op: 'keepalive', idleMs: 2000 }],
    );
  };

/**
 * §1c: server → client dropped (INPUT drop in the client's namespace); the client writes one line
 * a second, the server echoes each line it reads. Lines that reach the server; each side's give-up.
 */
export const onewayS2c =
  (retries2: number, lines: number) =>
  async (pair: Pair): Promise<Figures> => {
    for (const side of [pair.c, pair.s]) await sysctl(side, { 'net.ipv4.tcp_retries2': retries2 });
    return withPeers(pair, async ({ cp, sp }) => {
      sp.send({ op: 'echo' });
      await sp.next('echo on', (e) => e.ev === 'done' && e.op === 'echo', SETUP_MS);
      const rtt = await srttMs(pair);
      await cutInto(pair.c);
      await sleep(200);
      const cMark = cp.events.length;
      const sMark = sp.events.length;
      for (let i = 0; i < lines; i++) {
        cp.send({ op: 'write', data: `m${i}\n` });
        await sleep(1000);
      }
      const first = await cp.on('wrote', SETUP_MS, cMark);
      const [cErr, sErr] = await Promise.all([errorOf(cp, 250_000, cMark), errorOf(sp, 250_000, sMark)]);
      expectCode(cErr, 'ETIMEDOUT');
      expectCode(sErr, 'ETIMEDOUT');
      const reads = sp.events.slice(sMark).filter((e) => e.ev === 'data');
      const delivered =
        reads
          .map((e) => e.data ?? '')
          .join('')
          .split('\n').length - 1;
      return { delivered, clientGiveUpS: seconds(first.t, cErr.t), serverGiveUpS: seconds((reads[0] as PeerEvent).t, sErr.t), srttMs: rtt };
    });
  };

/** §4: kill -9 of the client, with or without data it never read; what the server sees, ms after the kill. */
export const kill9 =
  (unread: boolean) =>
  async (pair: Pair): Promise<Figures> =>
    withPeers(pair, async ({ cp, sp }) => {
      if (unread) {
        cp.send({ op: 'pause' });
        await cp.next('pause', (e) => e.ev === 'done' && e.op === 'pause', SETUP_MS);
      }
      const mark = cp.events.length;
      sp.send({ op: 'write', data: unread ? 'unread\n' : 'read\n' });
      if (!unread) await cp.on('data', SETUP_MS, mark);
      await sleep(500);
      const sMark = sp.events.length;
      const killedAt = cp.kill9();
      const seen = await sp.next('fin or reset', (e) => e.ev === 'fin' || e.ev === 'error', SETUP_MS, sMark);
      if (seen.ev === 'error') expectCode(seen, 'ECONNRESET');
      return { kind: seen.ev === 'fin' ? 'fin' : 'rst', afterMs: seen.t - killedAt };
    });

/** §1b: connect() under a cut with tcp_syn_retries = n; s until ETIMEDOUT. */
export const synRetries =
  (n: number) =>
  async (pair: Pair): Promise<Figures> => {
    await sysctl(pair.c, { 'net.ipv4.tcp_syn_retries': n });
    const sp = new PeerProcess(pair.s, './real/peer.js', ['listen', String(PORT)]);
    let cp: PeerProcess | null = null;
    try {
      await sp.ready('listening', SETUP_MS);
      await cutInto(pair.s);
      cp = new PeerProcess(pair.c, './real/peer.js', ['connect', pair.sAddr, String(PORT)]);
      const start = await cp.on('connecting', SETUP_MS);
      const err = await errorOf(cp, 120_000);
      expectCode(err, 'ETIMEDOUT');
      return { giveUpS: seconds(start.t, err.t) };
    } finally {
      cp?.stop();
      sp.stop();
    }
  };

/** §5: grpc-js with the Nacos health loop (keep-alive 5 s, timeout 3 s, retry 3); s from the last good check until unhealthy. */
export const grpcHealth =
  (keepAliveMs: number, timeoutMs: number, retry: number) =>
  async (pair: Pair): Promise<Figures> => {
    const sp = new PeerProcess(pair.s, './real/grpc-peer.js', ['server', String(GRPC_PORT)]);
    let cp: PeerProcess | null = null;
    try {
      await sp.ready('listening', SETUP_MS);
      cp = new PeerProcess(pair.c, './real/grpc-peer.js', ['client', pair.sAddr, String(GRPC_PORT), String(keepAliveMs), String(timeoutMs), String(retry)]);
      const firstOk = await cp.ready('check-ok', SETUP_MS);
      const secondOk = await cp.next('a second good check', (e) => e.ev === 'check-ok' && e.t > firstOk.t, keepAliveMs + SETUP_MS);
      await sleep(1000);
      await cutBefore(pair.s, secondOk.t + keepAliveMs - GUARD_MS, 'the next health check');
      const bad = await cp.on('unhealthy', keepAliveMs + (retry + 2) * timeoutMs + SETUP_MS);
      const lastOk = cp.events.filter((e) => e.ev === 'check-ok').at(-1) as PeerEvent;
      if (lastOk.t < secondOk.t) throw new Error('no good check before the cut');
      return { unhealthyS: seconds(lastOk.t, bad.t) };
    } finally {
      cp?.stop();
      sp.stop();
    }
  };
