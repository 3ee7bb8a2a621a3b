#!/usr/bin/env python3
"""An idle TCP client with SO_KEEPALIVE and explicit per-socket TCP_KEEPIDLE / TCP_KEEPINTVL /
TCP_KEEPCNT (Node's socket.setKeepAlive sets only the idle time: libuv fixes the interval and
count itself), run inside a network namespace.

Usage: ka-client.py HOST PORT IDLE_S INTVL_S COUNT
Connects, sends one line, waits for it to come back (the server peer echoes), then reads until
the kernel gives up. Events go to stdout as JSON lines, `t` = CLOCK_MONOTONIC in ms, the clock the
runner and the Node peers use. Bounded: a 120 s socket timeout.
"""
import json
import socket
import sys
import time


def emit(ev, **extra):
    print(json.dumps({"t": time.monotonic() * 1000, "ev": ev, **extra}), flush=True)


def main():
    host, port, idle, intvl, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    s = socket.create_connection((host, port), timeout=10)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, intvl)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, count)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    emit("connect")
    s.sendall(b"hello\n")
    s.settimeout(120)
    got = s.recv(100)
    emit("data", data=got.decode())
    try:
        while s.recv(100):
            pass
        emit("fin")
    except OSError as e:
        emit("error", code={110: "ETIMEDOUT", 104: "ECONNRESET"}.get(e.errno, str(e)))


if __name__ == "__main__":
    main()
