#!/usr/bin/env python3
"""Summarises a bench/chain/run.sh results file as markdown tables: median and range per row.

  summarize.py RESULTS.txt
"""
import statistics
import sys
from collections import defaultdict

ROLES = {
    "standard": ("socat-client", "haproxy", "socat-server"),
    "direct": ("socat-client", "-", "socat-server"),
}
SB_ROLES = ("controller", "broker", "target")
GIB = 1 << 30


def parse(path):
    rows = []
    for line in open(path):
        if not line.startswith("row="):
            continue
        rows.append(dict(kv.split("=", 1) for kv in line.split()))
    return rows


def med_range(xs, fmt="%.0f"):
    if not xs:
        return "-"
    return (fmt + " (" + fmt + "–" + fmt + ")") % (statistics.median(xs), min(xs), max(xs))


def main(path):
    rows = parse(path)
    groups = defaultdict(list)
    for r in rows:
        if r["round"] == "profile":
            continue
        groups[(r["row"], r["place"], r["chain"])].append(r)
    chains = sorted({k[2] for k in groups}, key=lambda c: (not c.startswith("switchboard"), c))
    loads = [float(r["load"]) for r in rows if "load" in r]
    if loads:
        print("load average (1 min) during the rounds: %s\n" % med_range(loads, "%.1f"))
    for place in ("shared", "pinned"):
        print("### Placement: %s\n" % place)
        print("| row | " + " | ".join(chains) + " | switchboard / standard |")
        print("| --- |" + " --- |" * (len(chains) + 1))
        for row, unit in (("bulk1", "MB/s"), ("bidi", "MB/s both ways"), ("multi8", "MB/s")):
            cells, meds = [], {}
            for c in chains:
                g = groups.get((row, place, c), [])
                xs = [int(r["bytes"]) * (2 if row == "bidi" else 1) / float(r["secs"]) / 1e6 for r in g]
                cells.append(med_range(xs))
                meds[c] = statistics.median(xs) if xs else None
            ratio = "-"
            if meds.get("switchboard") and meds.get("standard"):
                ratio = "%.2f×" % (meds["switchboard"] / meds["standard"])
            print("| %s (%s) | %s | %s |" % (row, unit, " | ".join(cells), ratio))
        for q in ("p50_us", "p99_us"):
            cells, meds = [], {}
            for c in chains:
                xs = [float(r[q]) for r in groups.get(("rt", place, c), []) if r.get(q)]
                cells.append(med_range(xs, "%.1f"))
                meds[c] = statistics.median(xs) if xs else None
            ratio = "-"
            if meds.get("switchboard") and meds.get("standard"):
                ratio = "%.2f× (lower is better)" % (meds["switchboard"] / meds["standard"])
            print("| 64 B round trip %s (µs) | %s | %s |" % (q[:3], " | ".join(cells), ratio))
        print()
        print("CPU seconds per GiB moved (median over rounds; bidi counts both directions):\n")
        print("| row | chain | process: s/GiB |")
        print("| --- | --- | --- |")
        for row in ("bulk1", "bidi"):
            for c in chains:
                g = groups.get((row, place, c), [])
                if not g:
                    continue
                names = ROLES.get(c, SB_ROLES)
                per = []
                for r in g:
                    moved = int(r["bytes"]) * (2 if row == "bidi" else 1) / GIB
                    per.append([float(x) / moved for x in r["cpu"].split(",")])
                cols = []
                for i, n in enumerate(names):
                    if n == "-":
                        continue
                    cols.append("%s %.2f" % (n, statistics.median(p[i] for p in per)))
                total = statistics.median(sum(x for x in p if x == x) for p in per)
                print("| %s | %s | %s; sum %.2f |" % (row, c, ", ".join(cols), total))
        print()


if __name__ == "__main__":
    main(sys.argv[1])
