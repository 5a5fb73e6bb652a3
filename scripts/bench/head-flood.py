#!/usr/bin/env python3
"""Memory under a flood of unfinished request heads (scripts/bench/head-flood).

Opens SOCKETS connections to contact-proxy, spread over CLIENTS loopback
source addresses (127.0.0.2, 127.0.0.3, ...: a per-client connection cap
would otherwise refuse most of them, and the point is the memory they can
make the server hold), each sending HEAD_BYTES of a request head that never
ends, just under the proxy's head bound. Prints the proxy's resident memory
before, while they are open, and at times after they are closed.

  head-flood.py PID HOST:PORT [SOCKETS] [HEAD_BYTES] [CLIENTS]
"""
import socket
import sys
import time


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main():
    pid, address = int(sys.argv[1]), sys.argv[2]
    sockets = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    head_bytes = int(sys.argv[4]) if len(sys.argv) > 4 else 30 * 1024
    clients = int(sys.argv[5]) if len(sys.argv) > 5 else 10
    host, port = address.rsplit(":", 1)
    head = (f"GET /healthz HTTP/1.1\r\nHost: {address}\r\nX-Filler: ").encode()
    head += b"x" * (head_bytes - len(head))
    print(f"rss before: {rss_mib(pid):.1f} MiB")
    open_sockets = []
    for index in range(sockets):
        connection = socket.socket()
        connection.bind((f"127.0.0.{2 + index % clients}", 0))
        connection.connect((host, int(port)))
        connection.sendall(head)
        open_sockets.append(connection)
    time.sleep(2)
    held = refused = 0
    for connection in open_sockets:
        connection.setblocking(False)
        try:
            answer = connection.recv(64)
            refused += answer.startswith(b"HTTP/1.1 503")
        except BlockingIOError:
            held += 1  # nothing said yet: the server still holds it
        except OSError:
            pass
    print(f"rss with {sockets} unfinished heads of {head_bytes // 1024} KiB sent "
          f"({held} held by the server, {refused} refused with 503): {rss_mib(pid):.1f} MiB")
    for connection in open_sockets:
        connection.close()
    closed = time.monotonic()
    for after in (1, 10, 30, 60):
        time.sleep(max(0, after - (time.monotonic() - closed)))
        print(f"rss {after:>2} s after they closed: {rss_mib(pid):.1f} MiB")


main()
