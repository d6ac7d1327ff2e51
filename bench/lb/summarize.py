#!/usr/bin/env python3
"""Turns bench/lb/run.sh raw lines into a markdown table of medians (and ranges) per balancer."""
import re
import statistics
import sys
from collections import defaultdict

vals = defaultdict(list)
for line in open(sys.argv[1] if len(sys.argv) > 1 else "/tmp/lbbench/raw.txt"):
    parts = line.split(None, 2)
    if len(parts) < 3:
        continue
    lb, metric, rest = parts
    if "=" not in rest:
        vals[(lb, metric)].append(float(rest))
        continue
    for k, v in re.findall(r"(\w+)=([\d.]+)", rest):
        if k in ("sent", "requests", "errors", "samples"):
            continue
        vals[(lb, f"{metric}.{k}")].append(float(v))

lbs = [l for l in ["direct", "switchboard", "haproxy", "nginx"] if any(k[0] == l for k in vals)]
metrics = sorted({k[1] for k in vals})
print("| metric | " + " | ".join(lbs) + " |")
print("| --- |" + " --- |" * len(lbs))
for m in metrics:
    row = []
    for l in lbs:
        v = vals.get((l, m))
        if not v:
            row.append("n/a")
        else:
            med = statistics.median(v)
            row.append(f"{med:g} ({min(v):g}–{max(v):g})" if len(v) > 1 else f"{med:g}")
    print(f"| {m} | " + " | ".join(row) + " |")
