#!/usr/bin/env bash
# Single-stream throughput of a session as shipped, BEFORE (the jar of another tree: the commit
# before streams) and AFTER (this tree), interleaved rounds in one run; then memory per idle stream
# (this tree). One broker (this tree's; the broker did not change) relays every session.
#
#   controller --listen 127.0.0.1:PORT  ->  broker  ->  target --to 127.0.0.1:SINK
#   head -c BYTES /dev/zero | socat -t 60 - TCP:127.0.0.1:PORT   (timed until the sink's count
#   of bytes received comes back through the session)
#
# Usage (from the repo root, both trees built with ./mvnw -B -q package -DskipTests):
#   bench/mux/run.sh -B /work/wt-mux-base [-r ROUNDS] [-m MIB] [-i IDLE_STREAMS] [-o OUTDIR]
# Each round runs both builds once, the order alternating; a new session per measurement (the
# BEFORE controller carries one connection per session). Needs java 17, socat, python3.
set -euo pipefail
ROUNDS=5 MIB=2048 IDLE=1000 OUT=/tmp/muxbench BASE=""
while getopts "B:r:m:i:o:" opt; do
  case $opt in
    B) BASE=$OPTARG ;; r) ROUNDS=$OPTARG ;; m) MIB=$OPTARG ;; i) IDLE=$OPTARG ;; o) OUT=$OPTARG ;;
    *) sed -n '2,15p' "$0" >&2; exit 2 ;;
  esac
done
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
AFTER=$ROOT/cli/target/switchboard.jar
BEFORE=${BASE:+$BASE/cli/target/switchboard.jar}
for j in "$AFTER" ${BEFORE:+"$BEFORE"}; do [ -f "$j" ] || { echo "missing $j: build it" >&2; exit 3; }; done
TOOLS="python3 $ROOT/bench/mux/tools.py"
rm -rf "$OUT"; mkdir -p "$OUT"
export HOME=$OUT/home
PKI=$OUT/pki
BYTES=$((MIB * 1024 * 1024))
BROKER_PORT=7743 SINK_PORT=7744 LISTEN_PORT=7745 HOLD_PORT=7746
RESULTS=$OUT/results.txt
: > "$RESULTS"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
sb() { local jar=$1; shift; java -jar "$jar" "$@"; }
# In the background, so that $! is the JVM itself (signals must reach it, not a subshell).
sbg() { local jar=$1; shift; exec java -jar "$jar" "$@"; }
wait_for() { # file pattern seconds
  for _ in $(seq 1 $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}

sb "$AFTER" pki init --dir "$PKI" >/dev/null
sb "$AFTER" pki issue broker --dir "$PKI" --name broker-bench --dns localhost --ip 127.0.0.1 >/dev/null
sb "$AFTER" pki issue controller --dir "$PKI" --name alice >/dev/null
sb "$AFTER" pki issue target --dir "$PKI" --name t1 >/dev/null
cat > "$OUT/broker.yaml" <<YAML
id: broker-bench
hostname: localhost
listen: {client: 127.0.0.1:$BROKER_PORT, admin: 127.0.0.1:7747}
tls: {ca: pki/ca.pem, cert: pki/broker-bench.pem, key: pki/broker-bench-key.pem}
timeouts: {handshake: 10s, control: 60s, idle: 5m}
YAML
(sbg "$AFTER" broker --config "$OUT/broker.yaml") > "$OUT/broker.out" 2>&1 &
PIDS+=($!)
wait_for "$OUT/broker.out" "clients" 60
(exec python3 "$ROOT/bench/mux/tools.py" sink $SINK_PORT) & PIDS+=($!)

COMMON=(--broker localhost:$BROKER_PORT --pki "$PKI")
# One session: starts controller and target of $1, leaves their pids in CTL and TGT.
session() {
  local jar=$1 to=$2 tag=$3
  (sbg "$jar" controller "${COMMON[@]}" --name alice --listen 127.0.0.1:$LISTEN_PORT) \
    > "$OUT/$tag.ctl.out" 2> "$OUT/$tag.ctl.err" &
  CTL=$!
  wait_for "$OUT/$tag.ctl.out" "Connection code" 60
  local code
  code=$(sed -n 's/^Connection code: \([^ ]*\).*/\1/p' "$OUT/$tag.ctl.out")
  (sbg "$jar" target "${COMMON[@]}" --name t1 --code "$code" --to "$to") 2> "$OUT/$tag.tgt.err" &
  TGT=$!
  wait_for "$OUT/$tag.ctl.out" "listening on" 60
}
finish() { # ends a session: an AFTER controller runs until a signal, a BEFORE one ends by itself
  sleep 0.5
  kill -TERM "$CTL" 2>/dev/null || true
  wait "$CTL" 2>/dev/null || true
  wait "$TGT" 2>/dev/null || true
}

measure() { # jar name round
  local tag="$2-$3"
  session "$1" 127.0.0.1:$SINK_PORT "$tag"
  local t0 t1 got
  t0=$(date +%s.%N)
  got=$(head -c $BYTES /dev/zero | socat -t 60 - TCP:127.0.0.1:$LISTEN_PORT)
  t1=$(date +%s.%N)
  finish
  [ "$got" = "$BYTES" ] || { echo "$tag: sink counted '$got', sent $BYTES" >&2; exit 1; }
  python3 -c "import sys; s=$t1-$t0; print('round %s %-6s %d MiB %.2f s %.1f MB/s load %s' % ('$3','$2',$MIB,s,$BYTES/s/1e6, open('/proc/loadavg').read().split()[0]))" \
    | tee -a "$RESULTS"
}

for r in $(seq 1 "$ROUNDS"); do
  if [ -z "$BEFORE" ]; then measure "$AFTER" after "$r"; continue; fi
  if [ $((r % 2)) = 1 ]; then
    measure "$BEFORE" before "$r"; measure "$AFTER" after "$r"
  else
    measure "$AFTER" after "$r"; measure "$BEFORE" before "$r"
  fi
done

# Memory per idle stream (AFTER only): IDLE connections to --listen, each a stream to a service
# that holds it. RSS and threads of both clients, and their heap after a full GC, before and after.
(exec python3 "$ROOT/bench/mux/tools.py" hold-server $HOLD_PORT "$OUT/held") & PIDS+=($!)
session "$AFTER" 127.0.0.1:$HOLD_PORT idle
snapshot() { # label
  for who in CTL TGT; do
    local pid=${!who}
    jcmd "$pid" GC.run >/dev/null
    sleep 1
    local heap
    heap=$(jcmd "$pid" GC.heap_info | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -1)
    echo "$1 $who rss_kib/threads $($TOOLS proc "$pid") heap_used_kib $heap" | tee -a "$RESULTS"
  done
}
sleep 2
snapshot "idle-0"
(exec python3 "$ROOT/bench/mux/tools.py" hold-clients $LISTEN_PORT "$IDLE") > "$OUT/hold-clients.out" &
HC=$!; PIDS+=($HC)
for _ in $(seq 1 600); do [ "$(cat "$OUT/held" 2>/dev/null || echo 0)" -ge "$IDLE" ] && break; sleep 0.2; done
echo "streams held by the service: $(cat "$OUT/held")" | tee -a "$RESULTS"
sleep 2
snapshot "idle-$IDLE"
kill "$HC"
finish
echo "results in $RESULTS"
