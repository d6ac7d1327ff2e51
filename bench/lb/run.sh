#!/usr/bin/env bash
# Benchmarks the Switchboard lb against HAProxy (TCP mode, splice) and nginx stream on loopback.
# Usage: bench/lb/run.sh [ROUNDS] [SECONDS]   (run from the repository root; needs root for apt-get)
# Not run by CI. Results: a markdown table on stdout and raw lines in $OUT/raw.txt.
# WARMUP (default 5) seconds of each load (latency, connrate, udp) run first and are discarded,
# for every balancer alike: the JVM balancer's JIT needs ~15 s of load to settle.
set -euo pipefail
ROUNDS=${1:-2}
SECS=${2:-6}
WARMUP=${WARMUP:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-/tmp/lbbench}
mkdir -p "$OUT"
RAW="$OUT/raw.txt"
: > "$RAW"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

if ! command -v haproxy >/dev/null || ! command -v nginx >/dev/null || ! command -v iperf3 >/dev/null \
   || [ ! -e /usr/lib/nginx/modules/ngx_stream_module.so ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y haproxy nginx libnginx-mod-stream iperf3
fi

(cd "$ROOT" && ./mvnw -q -B -pl lb install -DskipTests \
  && ./mvnw -q -B -pl lb dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" >/dev/null)
CP="$(ls "$ROOT"/lb/target/switchboard-lb-*.jar | head -1):$(cat "$OUT/cp.txt")"
javac -d "$OUT/classes" -cp "$CP" "$ROOT/bench/lb/LbServer.java" "$ROOT/bench/lb/LbBench.java"
BENCH="java -Xmx512m -cp $OUT/classes LbBench"

# ---- backends (127.0.60.x) ----
iperf3 -s -B 127.0.60.1 -p 5201 >/dev/null 2>&1 & PIDS+=($!)
$BENCH tcp-echo 127.0.60.1 9000 & PIDS+=($!)
$BENCH udp-echo 127.0.60.1 9001 & PIDS+=($!)

# ---- configs: same topology for the three balancers ----
cat > "$OUT/switchboard.yaml" <<YAML
admin: {address: 127.0.0.1, port: 0}
frontends: [{name: fe, ip: 127.0.70.1}]
pools:
  - {name: one, backends: [{ip: 127.0.60.1}]}
  - {name: fo, backends: [{ip: 127.0.60.1}, {ip: 127.0.60.2}]}
probes:
  - {name: fo, protocol: tcp, port: 9101, interval: 1s, threshold: 2}
rules:
  - {name: iperf, frontend: fe, frontendPort: 7001, pool: one, backendPort: 5201}
  - {name: echo, frontend: fe, frontendPort: 7002, pool: one, backendPort: 9000}
  - {name: udp, frontend: fe, frontendPort: 7003, protocol: udp, pool: one, backendPort: 9001}
  - {name: fo, frontend: fe, frontendPort: 7004, pool: fo, backendPort: 9100, probe: fo}
YAML
cat > "$OUT/haproxy.cfg" <<CFG
global
  maxconn 4000
  nbthread 2
defaults
  mode tcp
  option splice-auto
  timeout connect 2s
  timeout client 4m
  timeout server 4m
listen iperf
  bind 127.0.70.2:7001
  server s1 127.0.60.1:5201
listen echo
  bind 127.0.70.2:7002
  server s1 127.0.60.1:9000
listen fo
  bind 127.0.70.2:7004
  server a 127.0.60.1:9100 check port 9101 inter 1s fall 2 rise 2
  server b 127.0.60.2:9100 check port 9101 inter 1s fall 2 rise 2
CFG
cat > "$OUT/nginx.conf" <<CFG
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
worker_processes 2;
daemon off;
pid $OUT/nginx.pid;
error_log $OUT/nginx.err;
events { worker_connections 20000; }
stream {
  server { listen 127.0.70.3:7001; proxy_pass 127.0.60.1:5201; }
  server { listen 127.0.70.3:7002; proxy_pass 127.0.60.1:9000; }
  server { listen 127.0.70.3:7003 udp reuseport; proxy_pass 127.0.60.1:9001; proxy_timeout 10s; }
  upstream fo { server 127.0.60.1:9100 max_fails=1 fail_timeout=10s;
                server 127.0.60.2:9100 max_fails=1 fail_timeout=10s; }
  server { listen 127.0.70.4:7004; proxy_pass fo; }
}
CFG

start_lb() {
  case $1 in
    switchboard) java -Xmx1g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled -cp "$OUT/classes:$CP" \
                   LbServer "$OUT/switchboard.yaml" 2 > "$OUT/switchboard.log" 2>&1 & ;;
    haproxy) haproxy -db -f "$OUT/haproxy.cfg" > "$OUT/haproxy.log" 2>&1 & ;;
    nginx) nginx -c "$OUT/nginx.conf" > "$OUT/nginx.log" 2>&1 & ;;
  esac
  LBPID=$!
  sleep 3
}
stop_lb() { kill "$LBPID" 2>/dev/null || true; wait "$LBPID" 2>/dev/null || true; sleep 1; }
ip_of() { case $1 in switchboard) echo 127.0.70.1;; haproxy) echo 127.0.70.2;; nginx) echo 127.0.70.3;; direct) echo 127.0.60.1;; esac; }
rec() { echo "$1 $2 $3" | tee -a "$RAW"; }

iperf() { # name host port streams
  local bps
  bps=$(iperf3 -c "$2" -p "$3" -P "$4" -t "$SECS" -J | python3 -c \
    'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])')
  rec "$1" "iperf_P$4_gbps" "$(python3 -c "print(round($bps/1e9,2))")"
}

for round in $(seq 1 "$ROUNDS"); do
  for lb in ${LBS:-direct switchboard haproxy nginx}; do
    echo "== round $round: $lb" >&2
    [ "$lb" != direct ] && start_lb "$lb"
    ip=$(ip_of "$lb"); p1=7001; p2=7002; p3=7003
    if [ "$lb" = direct ]; then p1=5201; p2=9000; p3=9001; fi
    rec "$lb" load1 "$(cut -d' ' -f1 /proc/loadavg)"
    $BENCH latency "$ip" $p2 8 "$WARMUP" >/dev/null   # warm-up (JIT for the JVM balancer), discarded
    $BENCH connrate "$ip" $p2 8 "$WARMUP" >/dev/null
    $BENCH udp "$ip" $p3 8 "$WARMUP" >/dev/null 2>&1 || true
    iperf "$lb" "$ip" $p1 1
    iperf "$lb" "$ip" $p1 8
    r=$($BENCH latency "$ip" $p2 1 "$SECS");  rec "$lb" latency_c1 "$r"
    r=$($BENCH latency "$ip" $p2 32 "$SECS"); rec "$lb" latency_c32 "$r"
    r=$($BENCH connrate "$ip" $p2 8 "$SECS"); rec "$lb" connrate "$r"
    if [ "$lb" != haproxy ]; then
      r=$($BENCH udp "$ip" $p3 8 "$SECS"); rec "$lb" udp "$r"
    fi
    if [ "$lb" = switchboard ] || [ "$lb" = haproxy ]; then
      r=$($BENCH failover "$ip" 7004); rec "$lb" failover "$r"
    fi
    [ "$lb" != direct ] && stop_lb
  done
done
echo "raw results: $RAW" >&2
