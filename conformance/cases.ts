/**
 * The conformance cases (issue 15 item 3; real-tcp.md §1-§5): each runs once on livesim's transport
 * and ≥ 3 times on the real kernel, with the same sysctls. A case reports named figures; each
 * figure becomes one row of the table.
 */
import * as sim from './livesim-figures.js';
import type { Pair } from './netns.js';
import * as real from './real-experiments.js';
import { median } from './verdict.js';

export type Rtt = 'low' | 50;
export type Unit = 's' | 'ms' | 'count' | 'kind';

export interface Figure {
  readonly key: string;
  readonly label: string;
  readonly unit: Unit;
}

export interface Case {
  readonly id: string;
  readonly rtt: Rtt;
  readonly figures: readonly Figure[];
  /** Rough real duration, to start the longest first. */
  readonly expectS: number;
  readonly real: (pair: Pair) => Promise<real.Figures>;
  /** livesim's figures; `runs` are the real ones, for cases that take the measured path RTT (srttMs). */
  readonly livesim: (runs: readonly real.Figures[]) => real.Figures;
}

/** livesim's one-way latency for each RTT: veth measured 0.13-1.2 ms round trip; the relay adds 25 ms each way. */
export const ONE_WAY_US: Readonly<Record<Rtt, number>> = { low: 100, 50: 25_000 };
/** Half the median of the kernel's srtt over the real runs, in µs (whole µs: the simulation clock's unit). */
const measuredOneWayUs = (runs: readonly real.Figures[]): number => Math.round((median(runs.map((r) => Number(r.srttMs))) * 1000) / 2);
const rttName = (rtt: Rtt): string => (rtt === 'low' ? 'low RTT' : '50 ms RTT');
const seconds = (key: string, label: string): Figure => ({ key, label, unit: 's' });

const RETRIES2 = [3, 5, 8] as const;
/** What Node's setKeepAlive(true, 2000) leaves on the socket: libuv's own interval and count (measured, §2b). */
const LIBUV_KEEPALIVE = { idleMs: 2000, intvlMs: 1000, probes: 10 } as const;
const RTTS: readonly Rtt[] = ['low', 50];
// Grows ×2 per RTO from ~0.2 s; rounded up generously.
const RTX_EXPECT_S: Readonly<Record<number, number>> = { 3: 8, 5: 18, 8: 140 };

const cases: Case[] = [];
for (const rtt of RTTS) {
  const d = ONE_WAY_US[rtt];
  for (const r of RETRIES2) {
    cases.push({
      id: `unacked write, cut, tcp_retries2=${r}, ${rttName(rtt)}`,
      rtt,
      figures: [seconds('giveUpS', 'write → ETIMEDOUT')],
      expectS: RTX_EXPECT_S[r] ?? 200,
      real: real.unackedWrite(r),
      livesim: (runs) => ({ giveUpS: sim.unackedWriteGiveUp(r, measuredOneWayUs(runs)) }),
    });
  }
  for (const cutAfterMs of [500, 3000]) {
    cases.push({
      id: `keepalive 2 s/1 s/3, cut ${cutAfterMs / 1000} s after the last data, ${rttName(rtt)}`,
      rtt,
      figures: [seconds('giveUpS', 'last data → ETIMEDOUT')],
      expectS: 8,
      real: real.keepalive(cutAfterMs),
      livesim: () => ({ giveUpS: sim.keepaliveGiveUp(cutAfterMs, d) }),
    });
  }
  if (rtt === 'low') {
    cases.push({
      id: 'Node setKeepAlive(true, 2 s) (libuv: interval 1 s, 10 probes), cut 0.5 s after the last data, low RTT',
      rtt,
      figures: [seconds('giveUpS', 'last data → ETIMEDOUT')],
      expectS: 15,
      real: real.nodeKeepalive(500),
      livesim: () => ({ giveUpS: sim.keepaliveGiveUp(500, d, LIBUV_KEEPALIVE) }),
    });
  }
  cases.push({
    id: `one-way drop server→client, 5 lines 1 s apart, tcp_retries2=5, ${rttName(rtt)}`,
    rtt,
    figures: [
      { key: 'delivered', label: 'lines the server read', unit: 'count' },
      seconds('clientGiveUpS', 'client: first line → ETIMEDOUT'),
      seconds('serverGiveUpS', 'server: first line read → ETIMEDOUT'),
    ],
    expectS: 20,
    real: real.onewayS2c(5, 5),
    livesim: (runs) => {
      const o = sim.onewayServerToClient(5, measuredOneWayUs(runs), 5);
      return { delivered: o.delivered, clientGiveUpS: o.clientGiveUpS, serverGiveUpS: o.serverGiveUpS };
    },
  });
  for (const unread of [false, true]) {
    cases.push({
      id: `kill -9 ${unread ? 'with' : 'without'} unread data, ${rttName(rtt)}`,
      rtt,
      figures: [
        { key: 'kind', label: 'the peer sees', unit: 'kind' },
        { key: 'afterMs', label: 'kill → peer sees it', unit: 'ms' },
      ],
      expectS: 2,
      real: real.kill9(unread),
      livesim: () => sim.kill9(unread, d),
    });
  }
  cases.push({
    id: `grpc-js, Nacos health loop 5 s/3 s/3 retries, cut, ${rttName(rtt)}`,
    rtt,
    figures: [seconds('unhealthyS', 'last good check → unhealthy')],
    expectS: 30,
    real: real.grpcHealth(5000, 3000, 3),
    livesim: () => ({ unhealthyS: sim.grpcHealth(5000, 3000, 3, d) }),
  });
}
for (const n of [2, 3]) {
  cases.push({
    id: `connect under a cut, tcp_syn_retries=${n}, low RTT`,
    rtt: 'low',
    figures: [seconds('giveUpS', 'connect → ETIMEDOUT')],
    expectS: 20,
    real: real.synRetries(n),
    livesim: () => ({ giveUpS: sim.synGiveUp(n, ONE_WAY_US.low) }),
  });
}

export const CASES: readonly Case[] = cases;
