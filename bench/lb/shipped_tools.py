#!/usr/bin/env python3
"""Helpers for bench/lb/shipped.sh (stdlib only).

  ticks PID...                  CPU ticks (user+system) of each PID and all its descendants, summed
  start-lb LOG HOST PORT CMD... start CMD detached (stdout/stderr to LOG), then poll HOST:PORT with
                                an HTTP GET until "ok" comes back through it; prints "PID MS" (MS from
                                just before the exec to the first forwarded reply; -1 after 60 s)
  iperf-json MODE FILE          one number from iperf3 -J output: tcp -> Gbit/s received,
                                udp -> datagrams/s received (packets minus lost)
  wrk FILE                      requests/s from wrk's text output
"""
import json
import os
import re
import socket
import subprocess
import sys
import time


def descendants(pid):
    out = [pid]
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                for c in f.read().split():
                    out.extend(descendants(int(c)))
    except OSError:
        pass
    return out


def ticks_of(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            rest = f.read().rsplit(")", 1)[1].split()
        return int(rest[11]) + int(rest[12])  # utime, stime (fields 14, 15)
    except (OSError, IndexError):
        return 0


def ticks(pids):
    print(sum(ticks_of(p) for pid in pids for p in descendants(int(pid))))


def forwarded(host, port):
    try:
        with socket.create_connection((host, port), timeout=0.5) as s:
            s.sendall(b"GET / HTTP/1.0\r\nHost: bench\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data.startswith(b"HTTP/1.1 200") and data.endswith(b"ok")
    except OSError:
        return False


def start_lb(log, host, port, cmd):
    t0 = time.monotonic()
    with open(log, "ab") as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    ms = -1
    while time.monotonic() - t0 < 60 and p.poll() is None:
        if forwarded(host, int(port)):
            ms = round((time.monotonic() - t0) * 1000)
            break
        time.sleep(0.005)
    print(p.pid, ms)


def iperf_json(mode, path):
    with open(path) as f:
        end = json.load(f)["end"]
    if mode == "tcp":
        print(round(end["sum_received"]["bits_per_second"] / 1e9, 2))
    else:
        s = end["sum"]
        print(round((s["packets"] - s["lost_packets"]) / s["seconds"]))


def wrk(path):
    with open(path) as f:
        m = re.search(r"Requests/sec:\s+([\d.]+)", f.read())
    print(round(float(m.group(1))) if m else 0)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "ticks":
        ticks(args)
    elif cmd == "start-lb":
        start_lb(args[0], args[1], args[2], args[3:])
    elif cmd == "iperf-json":
        iperf_json(args[0], args[1])
    elif cmd == "wrk":
        wrk(args[0])
    else:
        sys.exit(f"unknown command {cmd}")
