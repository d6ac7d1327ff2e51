#!/usr/bin/env python3
"""Medians (min-max) per variant and test from bench/lb/ab.sh raw lines, with CPU% and CPU per
unit of work (CPU-seconds per 1,000 connections or datagrams), in the order the variants ran."""
import re
import statistics
import sys
from collections import defaultdict

vals, cpus, order = defaultdict(list), defaultdict(list), []
loads = []
for line in open(sys.argv[1] if len(sys.argv) > 1 else "/tmp/lbab/raw.txt"):
    p = line.split()
    if line.startswith("#") or len(p) < 3:
        continue
    kv = dict(re.findall(r"(\w+)=([\d.]+)", line))
    vals[(p[0], p[1])].append(float(p[2]))
    cpus[(p[0], p[1])].append(float(kv.get("cpu", 0)))
    loads.append(float(kv.get("load1", 0)))
    if p[0] not in order:
        order.append(p[0])


def rng(v):
    return f"{statistics.median(v):.0f} ({min(v):.0f}-{max(v):.0f})"


print("| variant | test | median (range) | CPU % | CPU ms per 1k |")
print("| --- | --- | --- | --- | --- |")
for test in sorted({t for _, t in vals}, reverse=True):
    for lb in sorted(order):
        v, c = vals.get((lb, test)), cpus.get((lb, test))
        if not v:
            continue
        per = [10 * ci / vi * 1000 for ci, vi in zip(c, v) if vi]
        print(f"| {lb} | {test} | {rng(v)} | {statistics.median(c):.0f} | "
              f"{statistics.median(per):.1f} |" if per else f"| {lb} | {test} | {rng(v)} | | |")
if loads:
    print(f"load1 during runs: median {statistics.median(loads):.1f}, {min(loads)}-{max(loads)}")
