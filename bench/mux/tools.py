#!/usr/bin/env python3
"""Helpers for bench/mux/run.sh (loopback only).

  tools.py sink PORT            accept connections one at a time; read to EOF, answer the count
  tools.py hold-server PORT F   accept and hold connections; write the count held to file F
  tools.py hold-clients PORT N  open N connections that send nothing; hold until killed
  tools.py proc PID             print 'rss_kib threads' of a process
"""
import os
import socket
import sys
import threading
import time


def sink(port):
    srv = socket.create_server(("127.0.0.1", port), backlog=16)
    while True:
        c, _ = srv.accept()
        n = 0
        buf = bytearray(1 << 20)
        while True:
            k = c.recv_into(buf)
            if k == 0:
                break
            n += k
        c.sendall(b"%d\n" % n)
        c.close()


def hold_server(port, path):
    srv = socket.create_server(("127.0.0.1", port), backlog=1024)
    held = []
    while True:
        c, _ = srv.accept()
        held.append(c)
        with open(path + ".tmp", "w") as f:
            f.write("%d\n" % len(held))
        os.replace(path + ".tmp", path)


def hold_clients(port, n):
    held = []
    for _ in range(n):
        held.append(socket.create_connection(("127.0.0.1", port)))
    print("connected %d" % n, flush=True)
    while True:
        time.sleep(3600)


def proc(pid):
    rss = threads = 0
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    print(rss, threads)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "sink":
        sink(int(sys.argv[2]))
    elif cmd == "hold-server":
        hold_server(int(sys.argv[2]), sys.argv[3])
    elif cmd == "hold-clients":
        hold_clients(int(sys.argv[2]), int(sys.argv[3]))
    elif cmd == "proc":
        proc(sys.argv[2])
    else:
        sys.exit(__doc__)
