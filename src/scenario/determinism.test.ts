import { describe, expect, it } from 'vitest';
import { formatTraceLine, type TraceEvent } from '../sim/trace.js';
import { checkDeterminism, compareRuns, END_OF_TRACE } from './determinism.js';
import { type RunOutput, resolveScenario, runScenario } from './run.js';

/**
 * `run --check-determinism`: two runs are compared event by event and the FIRST divergent event
 * is reported — its index and both canonical trace lines — not a later one, not just "differs".
 */
const ev = (t: number, kind: string, host = 's1', data?: TraceEvent['data']): TraceEvent => (data === undefined ? { t, kind, host } : { t, kind, host, data });

const base: TraceEvent[] = [
  ev(0, 'instance.register', 's1', { instance: 'c1' }),
  ev(5_000_000, 'beat.recv', 's1', { instance: 'c1' }),
  ev(10_000_000, 'beat.recv', 's1', { instance: 'c1' }),
  ev(15_000_000, 'beat.recv', 's1', { instance: 'c1' }),
  ev(20_000_000, 'beat.recv', 's1', { instance: 'c1' }),
];
const run = (trace: readonly TraceEvent[], traceHash = 'h') => ({ trace, traceHash });

describe('determinism › compareRuns: the first divergent event', () => {
  it('equal traces and hashes: deterministic, with the event count and the hash', () => {
    expect(compareRuns(run(base, 'abc'), run([...base], 'abc'))).toEqual({ ok: true, traceHash: 'abc', events: 5 });
  });

  it('reports the first of several differences, with both lines as the trace prints them', () => {
    const other = base.map((e, i) => (i >= 2 ? { ...e, t: e.t + 1 } : e)); // every event from index 2 on is 1 µs late
    other[4] = ev(99, 'instance.remove', 's1', { instance: 'c1' });
    const v = compareRuns(run(base), run(other));
    expect(v).toEqual({ ok: false, index: 2, first: formatTraceLine(base[2] as TraceEvent), second: formatTraceLine(other[2] as TraceEvent) });
    expect(v.ok === false && v.first).toBe('10000000 s1 beat.recv {"instance":"c1"}');
    expect(v.ok === false && v.second).toBe('10000001 s1 beat.recv {"instance":"c1"}');
  });

  it('a difference only in the data, the host or the kind counts', () => {
    const data = base.map((e, i) => (i === 3 ? { ...e, data: { instance: 'c2' } } : e));
    const host = base.map((e, i) => (i === 1 ? { ...e, host: 's2' } : e));
    const kind = base.map((e, i) => (i === 0 ? { ...e, kind: 'instance.remove' } : e));
    expect(compareRuns(run(base), run(data))).toMatchObject({ ok: false, index: 3 });
    expect(compareRuns(run(base), run(host))).toMatchObject({ ok: false, index: 1 });
    expect(compareRuns(run(kind), run(base))).toMatchObject({ ok: false, index: 0, first: '0 s1 instance.remove {"instance":"c1"}' });
  });

  it('one trace a prefix of the other: diverges where the shorter ends', () => {
    expect(compareRuns(run(base.slice(0, 3)), run(base))).toEqual({ ok: false, index: 3, first: END_OF_TRACE, second: formatTraceLine(base[3] as TraceEvent) });
    expect(compareRuns(run(base), run([]))).toEqual({ ok: false, index: 0, first: formatTraceLine(base[0] as TraceEvent), second: END_OF_TRACE });
  });

  it('equal kept events but different hashes (events not kept differ): reported after the last event', () => {
    expect(compareRuns(run(base, 'aaa'), run(base, 'bbb'))).toEqual({ ok: false, index: 5, first: 'aaa', second: 'bbb' });
  });
});

describe('determinism › checkDeterminism on a real scenario', () => {
  const sc = resolveScenario({ model: 'nacos-v1', seed: 7, until: '2m', faults: ['cut@60s'] });

  it('two runs of the simulator agree on every event', () => {
    const v = checkDeterminism(sc);
    const once = runScenario(sc);
    expect(v).toEqual({ ok: true, traceHash: once.result.traceHash, events: once.trace.length });
    // 2 minutes of 5 s beats: well over 24 beats' worth of events.
    expect(once.trace.length).toBeGreaterThan(24);
  });

  it('a second run that drifts from event k on is reported at k (a run made nondeterministic on purpose)', () => {
    const real = runScenario(sc);
    const k = Math.floor(real.trace.length / 2);
    let calls = 0;
    const flaky = (s: typeof sc): RunOutput => {
      const r = runScenario(s);
      if (calls++ === 0) return r;
      return { ...r, trace: r.trace.map((e, i) => (i >= k ? { ...e, t: e.t + 1 } : e)), result: { ...r.result, traceHash: 'drifted' } };
    };
    const v = checkDeterminism(sc, flaky);
    expect(calls).toBe(2);
    expect(v).toEqual({
      ok: false,
      index: k,
      first: formatTraceLine(real.trace[k] as TraceEvent),
      second: formatTraceLine({ ...(real.trace[k] as TraceEvent), t: (real.trace[k] as TraceEvent).t + 1 }),
    });
  });
});
