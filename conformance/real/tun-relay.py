#!/usr/bin/env python3
"""A delay line between two network namespaces, for a round-trip time the kernel cannot give
without sch_netem (not built on the machines measured: CONFIG_NET_SCH_NETEM is not set).

Usage: tun-relay.py NS_A NS_B DELAY_MS
Creates a TUN device `tunA` in namespace NS_A and `tunB` in NS_B (setns(2) before each
TUNSETIFF, so each device is born in its namespace), prints "ready", then copies every IP
packet read from one device to the other DELAY_MS later, in order. The caller addresses the
devices (ip addr add ... peer ...). Traffic never leaves the two namespaces.

Bounded: exits when stdin closes (the runner died or is done) or after MAX_LIFETIME_S.
"""
import ctypes
import fcntl
import os
import select
import struct
import sys
import time
from collections import deque

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
MAX_LIFETIME_S = 600
MAX_QUEUED = 4096  # packets per direction; a full queue drops (the delay line is a link, not a buffer)

libc = ctypes.CDLL(None, use_errno=True)


def enter(ns):
    fd = os.open(f"/var/run/netns/{ns}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {ns}")
    finally:
        os.close(fd)


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    ns_a, ns_b, delay_ms = sys.argv[1], sys.argv[2], float(sys.argv[3])
    delay = delay_ms / 1000.0
    enter(ns_a)
    fd_a = open_tun("tunA")
    enter(ns_b)
    fd_b = open_tun("tunB")
    print("ready", flush=True)
    # One FIFO per direction: a fixed delay keeps order, so the head is always the next due.
    lines = {fd_a: (deque(), fd_b), fd_b: (deque(), fd_a)}
    stdin = sys.stdin.fileno()
    deadline = time.monotonic() + MAX_LIFETIME_S
    while True:
        now = time.monotonic()
        if now >= deadline:
            return
        due = [q[0][0] for q, _ in lines.values() if q]
        timeout = max(0.0, min(due) - now) if due else 1.0
        readable, _, _ = select.select([fd_a, fd_b, stdin], [], [], timeout)
        now = time.monotonic()
        for fd in readable:
            if fd == stdin:
                if not os.read(stdin, 4096):
                    return
                continue
            queue, _ = lines[fd]
            while True:
                try:
                    packet = os.read(fd, 65536)
                except BlockingIOError:
                    break
                if len(queue) < MAX_QUEUED:
                    queue.append((now + delay, packet))
        for queue, out in lines.values():
            while queue and queue[0][0] <= now:
                _, packet = queue.popleft()
                try:
                    os.write(out, packet)
                except OSError:
                    pass  # the device is gone (namespace deleted): nothing to deliver to


if __name__ == "__main__":
    main()
