import { describe, expect, it } from 'vitest';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import { rtoMs } from '../src/sim/tcp-defaults.js';

/**
 * nacos-v1 › beats over a kept HTTP connection › a cut that heals. The 1.4.8 client's JDK
 * HttpURLConnection keeps the beat connection (Tomcat answers `Keep-Alive: timeout=60`, more than
 * the 5 s beat; defaults.ts, HTTP rows), so a beat written during a cut is not a new connect that
 * fails in 3 s but a request that TCP retransmits 200 ms · 2^k apart until the path heals or the
 * 50 s read timeout discards the connection. Times below come from those constants on a 1 ms link:
 * the register opens the connection (SYN 0, SYN-ACK 1, request heard at 3 ms, answer at 4 ms); the
 * first beat leaves 5000 ms after start on the kept connection, and each beat after an answer
 * 5000 ms later (one round trip of 2 ms each), so beat k leaves at 5000 + (k − 1)·5002 ms.
 */
const run = (fault: string) => runScenario(resolveScenario({ model: 'nacos-v1', until: '3m', faults: [fault], set: { 'net.latency': 'fixed:1ms' } })).trace;
const beatSentMs = (k: number): number => 5000 + (k - 1) * 5002;
const firstBeatInCut = (cutMs: number): number => {
  let k = 1;
  while (beatSentMs(k) < cutMs) k++;
  return k;
};
const ms = (t: number): number => t / 1000;

describe('nacos-v1 › beats over a kept HTTP connection', () => {
  it('steady state: one connection for the register and every beat after it (one SYN, beats one round trip apart from their send)', () => {
    const trace = runScenario(resolveScenario({ model: 'nacos-v1', until: '2m', set: { 'net.latency': 'fixed:1ms' } })).trace;
    const syns = trace.filter((e) => e.kind === 'net.send' && e.host === 'c1' && e.data?.kind === 'tcp.syn');
    expect(syns.map((e) => ms(e.t))).toEqual([0]);
    const heard = trace.filter((e) => e.kind === 'beat.recv').map((e) => ms(e.t));
    expect(heard.slice(0, 3)).toEqual([beatSentMs(1) + 1, beatSentMs(2) + 1, beatSentMs(3) + 1]);
  });

  it('cut@60s-80s: the beat written at the cut is heard at its first retransmission after the heal, on the same connection', () => {
    const trace = run('cut@60s-80s');
    const k = firstBeatInCut(60_000);
    let at = beatSentMs(k);
    for (let i = 0; at < 80_000; i++) at += rtoMs(i);
    expect(at).toBe(beatSentMs(k) + 25_400); // 200 + 400 + … + 12 800 ms: the 7th retransmission
    const heard = trace.filter((e) => e.kind === 'beat.recv').map((e) => ms(e.t));
    expect(heard.filter((t) => t > 55_000 && t < 91_000)).toEqual([beatSentMs(k - 1) + 1, at + 1, at + 2 + 5000 + 1]);
    // No new connection: the kept one survived the cut.
    expect(trace.some((e) => e.kind === 'net.send' && e.host === 'c1' && e.data?.kind === 'tcp.syn' && e.t > 0)).toBe(false);
    // The server went 30.4 s without a beat: unhealthy (check grid 3 ms + 5 s·j), not removed (the check at 85 003 ms saw 29 982 ms).
    const marks = trace.filter((e) => e.kind === 'instance.unhealthy' || e.kind === 'instance.remove').map((e) => [ms(e.t), e.kind]);
    expect(marks).toEqual([[75_003, 'instance.unhealthy']]);
  });

  it('cut@60s-2m: the read timeout discards the kept connection; after the failed tries the next beat opens a new one', () => {
    const trace = run('cut@60s-2m');
    const k = firstBeatInCut(60_000);
    const readTimeoutAt = beatSentMs(k) + 50_000; // com.alibaba.nacos.client.naming.rtimeout
    const syns = trace.filter((e) => e.kind === 'net.send' && e.host === 'c1' && e.data?.kind === 'tcp.syn' && e.t > 0).map((e) => ms(e.t));
    expect(syns[0]).toBe(readTimeoutAt);
    // The read timeout ended try 1 of reqApi's 3; tries 2 and 3 fail at their 3 s connect timeout;
    // the next beat, 5 s later and after the heal, connects.
    const nextBeat = readTimeoutAt + 2 * 3000 + 5000;
    const heard = trace.filter((e) => e.kind === 'beat.recv' && e.t > 60_000_000).map((e) => ms(e.t));
    expect(heard[0]).toBe(nextBeat + 3); // SYN, SYN-ACK, request: 1 ms each
  });
});
