"""The machine's floor under a CloudCall: two Python processes bouncing a 40-byte message over
a Unix socketpair, blocking (as the runtime and the host do), with optional busy polling on
either side. No .NET, no protobuf, no sandbox: what is left is the kernel's wake-ups.

Usage: /usr/bin/python3 bench/sandbox/pingpong.py [ROUNDS]
Run it under `taskset -c 0` too: both processes on one core need no cross-core wake-up.
"""

import os
import socket
import sys
import time


def receive(sock, spin):
    if spin:
        while True:
            try:
                return sock.recv(4096, socket.MSG_DONTWAIT)
            except BlockingIOError:
                pass
    return sock.recv(4096)


def measure(rounds, caller_spins, echo_spins):
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    child = os.fork()
    if child == 0:
        a.close()
        while True:
            data = receive(b, echo_spins)
            if not data:
                os._exit(0)
            b.sendall(data)
    b.close()
    message = b"x" * 40
    start = time.perf_counter_ns()
    for _ in range(rounds):
        a.sendall(message)
        receive(a, caller_spins)
    elapsed = time.perf_counter_ns() - start
    a.close()
    os.waitpid(child, 0)
    return elapsed / rounds / 1000


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    for caller, echo, name in [(False, False, "both block"), (True, False, "caller spins"), (False, True, "echo spins"), (True, True, "both spin")]:
        print(f"{name:>13}: {measure(rounds, caller, echo):6.1f} us per round trip")


if __name__ == "__main__":
    main()
