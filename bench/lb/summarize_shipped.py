#!/usr/bin/env python3
"""Medians (min–max) per proxy and test from bench/lb/shipped.sh raw lines, with the ratios the
targets of issue 13 are stated in: TCP against HAProxy, UDP against nginx."""
import re
import statistics
import sys
from collections import defaultdict

LBS = ["switchboard", "haproxy", "nginx", "direct"]
TESTS = [
    ("iperf1", "iperf3 TCP, 1 stream, Gbit/s", "haproxy"),
    ("iperf8", "iperf3 TCP, 8 streams, Gbit/s", "haproxy"),
    ("wrk", "new connections/s (wrk -t2 -c50, Connection: close)", "haproxy"),
    ("iperfudp", "iperf3 UDP -l 64 -b 0, datagrams/s received", "nginx"),
    ("udpecho", "UDP echo, 4 sockets x 32 outstanding, 64 B, datagrams/s", "nginx"),
]
vals = defaultdict(list)
cpus = defaultdict(list)
loads = []
startup = []
for line in open(sys.argv[1] if len(sys.argv) > 1 else "/tmp/lbshipped/raw.txt"):
    if line.startswith("#"):
        continue
    parts = line.split()
    if len(parts) < 3:
        continue
    lb, test, v = parts[0], parts[1], float(parts[2])
    kv = dict(re.findall(r"(\w+)=([\d.]+)", line))
    if test == "startup_ms":
        startup.append(v)
        continue
    vals[(lb, test)].append(v)
    if "cpu" in kv:
        cpus[(lb, test)].append(float(kv["cpu"]))
    if "load1" in kv:
        loads.append(float(kv["load1"]))


def fmt(v, scale=1.0, suffix=""):
    if not v:
        return "n/a"
    v = [x * scale for x in v]
    med = statistics.median(v)
    g = lambda x: f"{x:.3g}" if abs(x) < 1000 else f"{x / 1000:.1f}k"
    return f"{g(med)}{suffix} ({g(min(v))}–{g(max(v))})" if len(v) > 1 else g(med) + suffix


present = [l for l in LBS if any(k[0] == l for k in vals)]
print("| test | " + " | ".join(present) + " | ratio (median, range of per-round ratios) |")
print("| --- |" + " --- |" * (len(present) + 1))
for test, label, ref in TESTS:
    row = [fmt(vals.get((l, test))) for l in present]
    sb, rf = vals.get(("switchboard", test)), vals.get((ref, test))
    ratio = "n/a"
    if sb and rf:
        per = [a / b for a, b in zip(sb, rf) if b]
        ratio = f"{statistics.median(sb) / statistics.median(rf):.2f}x {ref} " + (
            f"({min(per):.2f}–{max(per):.2f})" if per else "")
    print(f"| {label} | " + " | ".join(row) + f" | {ratio} |")
    crow = [fmt(cpus.get((l, test)), suffix=" %") if l != "direct" else "" for l in present]
    print(f"| — CPU % of the proxy | " + " | ".join(crow) + " | |")
# CPU time per new connection: CPU% / 100 / (connections/s), in microseconds.
per_conn = {}
for l in present:
    c, v = cpus.get((l, "wrk")), vals.get((l, "wrk"))
    if c and v and l != "direct":
        per_conn[l] = [cc / 100 / vv * 1e6 for cc, vv in zip(c, v) if vv]
if per_conn:
    row = [fmt(per_conn.get(l)) + " µs" if per_conn.get(l) else "" for l in present]
    r = "n/a"
    if per_conn.get("switchboard") and per_conn.get("haproxy"):
        r = f"{statistics.median(per_conn['switchboard']) / statistics.median(per_conn['haproxy']):.2f}x haproxy"
    print("| CPU time per new connection | " + " | ".join(row) + f" | {r} |")
if startup:
    print(f"\nstartup of lb run (exec to first forwarded reply): median {statistics.median(startup):.0f} ms "
          f"({min(startup):.0f}–{max(startup):.0f}, {len(startup)} starts)")
if loads:
    print(f"load average (1 min) at the start of the runs: {min(loads):.1f}–{max(loads):.1f}, "
          f"median {statistics.median(loads):.1f}")
