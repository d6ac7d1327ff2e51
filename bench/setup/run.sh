#!/usr/bin/env bash
# Session set-up time through the simulated seed topology, against the round-trip minimum.
# Usage: bench/setup/run.sh [RUNS]   (default 10; each run is one `switchboard demo --json`)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-10}"
out="$(mktemp)"
for i in $(seq 1 "$runs"); do
  "$here/bin/switchboard" demo --json --controller-region us --target-region in 2>/dev/null >> "$out"
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
setup = sorted(r["setupMs"] for r in rows)
steps = {}
for r in rows:
    for s in r["steps"]:
        steps.setdefault(s["name"], []).append(s["ms"])
# Minimum from the round trips (docs/benchmarks.md): 7.5 + 85 + 7.5 + 170 (TCP) + 170 (TLS)
# + 170 (HELLO+ATTACH) + 92.5 (controller's first byte to the target) = 702.5 ms.
minimum = 702.5
med = statistics.median(setup)
print(f"runs={len(rows)} redirected={sum(r['redirected'] for r in rows)} selected={sorted(set(r['selectedBroker'] for r in rows))}")
print(f"setupMs min={setup[0]} median={med} max={setup[-1]}  minimum={minimum}  median/minimum={med/minimum:.2f}")
for name, v in steps.items():
    print(f"  step {name:<10} median {statistics.median(v):7.1f} ms")
lat = {}
for r in rows:
    for b, ms in r["latenciesMs"].items():
        lat.setdefault(b, []).append(ms)
for b, v in sorted(lat.items()):
    ok = [x for x in v if x is not None]
    print(f"  measured latency {b:<12} median {statistics.median(ok):6.1f} ms  (unreachable in {len(v) - len(ok)} runs)")
PY
rm -f "$out"
