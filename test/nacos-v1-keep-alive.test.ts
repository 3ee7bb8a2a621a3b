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

describe('nacos-v1 › kept connection against a new one per beat', () => {
  it('cut@60s-80s, client 1.1.4: a new connection per beat, heard 3 ms after the first try that starts after the heal', () => {
    const trace = runScenario(
      resolveScenario({ model: 'nacos-v1', clientVersion: '1.1.4', until: '2m', faults: ['cut@60s-80s'], set: { 'net.latency': 'fixed:1ms' } }),
    ).trace;
    // Cycle P + 4 legs = 5004 ms: beat k's SYN at 5000 + (k − 1)·5004 ms; beat 12's (60 044 ms) is the first in the cut.
    const synMs = (k: number): number => 5000 + (k - 1) * 5004;
    expect(synMs(11)).toBeLessThan(60_000);
    // Each try: SYN at 0 and at the 1 s SYN RTO, connect timeout 3 s; reqApi's 3 tries, then the next beat P0 = 5 s later.
    const tryStarts = [synMs(12), synMs(12) + 3000, synMs(12) + 6000, synMs(12) + 9000 + 5000, synMs(12) + 12_000 + 5000, synMs(12) + 15_000 + 5000];
    const firstAfterHeal = tryStarts.find((t) => t >= 80_000) as number;
    expect(firstAfterHeal).toBe(80_044);
    const heard = trace.filter((e) => e.kind === 'beat.recv' && e.t > 56_000_000).map((e) => ms(e.t));
    expect(heard[0]).toBe(firstAfterHeal + 3);
  });

  it('flap:2s/8s (up 2 s, down 8 s): every retransmission of the kept beat falls into an outage; removed at the check after 30 s', () => {
    const trace = run('flap:2s/8s@60s-400s');
    const k = firstBeatInCut(60_000);
    const sent = beatSentMs(k);
    // Transmissions until the 50 s read timeout: 0, 0.2, 0.6, 1.4, 3.0, 6.2, 12.6, 25.4 s after the send.
    const offsets = [0];
    for (let i = 0, at = rtoMs(0); at < 50_000; i++, at += rtoMs(i)) offsets.push(at);
    expect(offsets).toEqual([0, 200, 600, 1400, 3000, 6200, 12_600, 25_400]);
    const inOutage = (t: number): boolean => (t - 60_000) % 10_000 < 8_000;
    expect(offsets.every((o) => inOutage(sent + o))).toBe(true);
    const lastHeard = beatSentMs(k - 1) + 1;
    // Checks on the grid 3 ms + 5 s·j (the service starts with the register); the first that sees
    // more than the 30 s delete timeout deletes, through an HTTP DELETE that lands 1 ms later.
    let check = 3;
    while (check - lastHeard <= 30_000) check += 5000;
    const removals = trace.filter((e) => e.kind === 'instance.remove').map((e) => ms(e.t));
    expect(removals[0]).toBe(check + 1);
    expect(trace.some((e) => e.kind === 'beat.recv' && ms(e.t) > lastHeard && ms(e.t) <= check)).toBe(false);
  });

  it('beat-error@0s, client 1.4.8: the beat after the error leaves P0 after the errored answer, P0 + 2 legs after the last heard, over a 5001 ms delete timeout', () => {
    const d = 0.501;
    const P0 = 5000;
    const trace = runScenario(
      resolveScenario({
        model: 'nacos-v1',
        seed: 0,
        until: '15s',
        faults: ['beat-error@0s'],
        set: {
          'preserved.heart.beat.timeout': '5001',
          'preserved.ip.delete.timeout': '5001',
          lightBeatEnabled: 'false',
          clientBeatInterval: '200',
          'net.latency': 'fixed:501us',
        },
      }),
    );
    // Register heard at 3d (the check grid starts there); beat 1 on the kept connection heard at
    // P0 + d; its answer (read at P0 + 2d) raises the error, and BeatReactor's finally schedules the
    // next beat after the beat's own period P0 (not the reply's 200 ms): heard at 2·P0 + 3d.
    const beat2 = 2 * P0 + 3 * d;
    expect(
      trace.trace
        .filter((e) => e.kind === 'beat.recv')
        .map((e) => ms(e.t))
        .slice(0, 2),
    ).toEqual([P0 + d, beat2]);
    // The check at 3d + 2·5000 ms runs at that same instant, before the beat (armed earlier), and
    // sees P0 + 2d = 5001.002 ms > 5001 ms: marked and deleted (the DELETE lands 1 ms later).
    const checkMs = 3 * d + 2 * 5000;
    expect(checkMs).toBeCloseTo(beat2, 9);
    expect(trace.trace.find((e) => e.kind === 'instance.remove')?.t).toBe(Math.round((checkMs + 1) * 1000));
    expect(trace.result.bounds?.removedFromFault.kind).toBe('no-bound');
  });
});
