#!/usr/bin/python3
"""The Nacos 1.x heartbeat model in SimPy 3, for the side-by-side benchmark (bench/simpy.ts).

Run with Debian's interpreter and package (python3-simpy3, SimPy 3.0.11):

    /usr/bin/python3 bench/simpy/heartbeat.py --clients 1000 --horizon-us 3600000000

Written the idiomatic SimPy way: one process per client that loops on `yield env.timeout(...)`
and one server process that sweeps. A beat is two kernel events: the client's timeout (send)
and a one-way-latency timeout whose callback is the server receiving it (sets lastBeat).
The receive is a plain event callback, not a process per message, which is the cheapest way
SimPy offers and keeps the event count equal to livesim's (bench/heartbeat.ts).

Time is in integer microseconds, as in livesim, so both sides see identical instants.
`env.run(until=H)` processes events strictly before H; livesim runs to H - 1 µs to match.

Prints one JSON object: events (kernel events processed, counted by SimPy's own event-id
counter, excluding the `until` marker), seconds (CPU time of building and running the model,
time.process_time, best of --rounds: on a shared machine other processes stretch wall time, not
CPU time; bench/heartbeat.ts measures the same), marks (healthy -> unhealthy transitions), checksum (sum of lastBeat).
"""
import argparse
import json
import time

import simpy


def build_and_run(clients, horizon_us, period_us, latency_us, timeout_us, crash_every, crash_at_us):
    env = simpy.Environment()
    last = [0] * clients
    healthy = [True] * clients
    marks = 0

    def receive(event):
        i = event.value
        last[i] = env.now
        if not healthy[i]:
            healthy[i] = True

    def client(i, phase, crashes):
        yield env.timeout(phase)
        while True:
            if crashes and env.now >= crash_at_us:
                yield env.event()  # the process is dead: wait for an event that never comes
            beat = env.timeout(latency_us, i)
            beat.callbacks.append(receive)
            yield env.timeout(period_us)

    def server():
        nonlocal marks
        while True:
            yield env.timeout(period_us)
            now = env.now
            for i in range(clients):
                if healthy[i] and now - last[i] > timeout_us:
                    healthy[i] = False
                    marks += 1

    env.process(server())
    for i in range(clients):
        # Phases spread over [1, period - 1] µs, the same formula as bench/heartbeat.ts.
        phase = 1 + (i * (period_us - 2)) // clients
        env.process(client(i, phase, crash_every > 0 and i % crash_every == 0))
    env.run(until=horizon_us)
    # Every scheduled event took one id from env._eid; those still queued did not run; one of
    # the processed ones is the `until` marker, which livesim has no counterpart for.
    scheduled = next(env._eid)
    events = scheduled - len(env._queue) - 1
    return events, marks, sum(last)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--clients', type=int, default=1000)
    p.add_argument('--horizon-us', type=int, default=3_600_000_000)
    p.add_argument('--period-us', type=int, default=5_000_000)
    p.add_argument('--latency-us', type=int, default=1_000)
    p.add_argument('--timeout-us', type=int, default=15_000_000)
    p.add_argument('--crash-every', type=int, default=10)
    p.add_argument('--crash-at-us', type=int, default=None, help='default: half the horizon')
    p.add_argument('--rounds', type=int, default=1)
    a = p.parse_args()
    crash_at = a.horizon_us // 2 if a.crash_at_us is None else a.crash_at_us
    best = float('inf')
    result = None
    for _ in range(a.rounds):
        t0 = time.process_time()
        result = build_and_run(a.clients, a.horizon_us, a.period_us, a.latency_us, a.timeout_us,
                               a.crash_every, crash_at)
        best = min(best, time.process_time() - t0)
    events, marks, checksum = result
    print(json.dumps({'events': events, 'seconds': best, 'marks': marks, 'checksum': checksum,
                      'simpy': simpy.__version__}))


if __name__ == '__main__':
    main()
