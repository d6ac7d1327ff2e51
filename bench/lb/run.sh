#!/usr/bin/env bash
# Benchmarks the Switchboard lb against HAProxy (TCP mode, splice) and nginx stream on loopback.
# Usage: bench/lb/run.sh [ROUNDS] [WARMUP_SECONDS]   (run from the repository root; root for apt-get)
# Not run by CI. Results: a markdown table on stdout and raw lines in $OUT/raw.txt.
# Warm-up load runs first and is discarded, for every balancer alike (WARMUP_SECONDS, default 5,
# scales it: 3x of latency, 2x of UDP, 1x of connections each): the JVM balancer's JIT needs
# ~15 s of load to settle. Failover runs per balancer in turn; everything else interleaved with
# all balancers up (see below). Env: LBS (which), PARTS (any of: failover throughput latency udp),
# CYCLES and SHORT (iperf/connrate runs per round and seconds each), AB_SECS and SLICE_MS (latency/UDP).
set -euo pipefail
ROUNDS=${1:-2}
WARMUP=${2:-5}
PARTS=${PARTS:-failover throughput latency udp}
want() { case " $PARTS " in *" $1 "*) return 0;; *) return 1;; esac; }
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

# ---- per balancer in turn (a fresh process each round): failover ----
# It needs its own backends and a balancer that has not seen them die before.
for round in $(seq 1 "$ROUNDS"); do
  for lb in ${LBS:-direct switchboard haproxy nginx}; do
    want failover || continue
    [ "$lb" = switchboard ] || [ "$lb" = haproxy ] || continue
    echo "== failover round $round: $lb" >&2
    start_lb "$lb"
    r=$($BENCH failover "$(ip_of "$lb")" 7004); rec "$lb" failover "$r"
    stop_lb
  done
done

# ---- interleaved: everything else, with every balancer up at once ----
# Latency and UDP: time is cut into SLICE_MS slices that rotate over the targets (the order
# shifts every cycle), AB_SECS per measurement (the first second is discarded), split evenly
# between the targets. Throughput and connection rate: CYCLES short runs per target, the target
# order rotating each cycle. Either way load drift and noise on the shared cores hit every
# balancer alike, which back-to-back runs of one balancer after another do not.
AB_SECS=${AB_SECS:-31}
SLICE_MS=${SLICE_MS:-200}
CYCLES=${CYCLES:-3}
SHORT=${SHORT:-3}
NAMES=(); TCP_T=(); UDP_T=(); AB_PIDS=()
for lb in ${LBS:-direct switchboard haproxy nginx}; do
  ip=$(ip_of "$lb")
  NAMES+=("$lb")
  if [ "$lb" = direct ]; then TCP_T+=("direct=$ip:9000"); UDP_T+=("direct=$ip:9001"); continue; fi
  start_lb "$lb"; AB_PIDS+=("$LBPID"); PIDS+=("$LBPID")
  TCP_T+=("$lb=$ip:7002")
  [ "$lb" != haproxy ] && UDP_T+=("$lb=$ip:7003")   # HAProxy 2.6 has no UDP proxying
done
echo "== interleaved warm-up" >&2
$BENCH latency-ab 8 "$SLICE_MS" $((WARMUP * 3)) "${TCP_T[@]}" >/dev/null
$BENCH udp-ab 8 "$SLICE_MS" $((WARMUP * 2)) "${UDP_T[@]}" >/dev/null
for lb in "${NAMES[@]}"; do
  p2=7002; [ "$lb" = direct ] && p2=9000
  $BENCH connrate "$(ip_of "$lb")" $p2 8 "$WARMUP" >/dev/null
done
ab_rec() { while read -r name rest; do rec "$name" "$1" "$rest"; done; }
for round in $(seq 1 "$ROUNDS"); do
  echo "== interleaved round $round" >&2
  n=${#NAMES[@]}
  want throughput && for c in $(seq 0 $((CYCLES - 1))); do
    for i in $(seq 0 $((n - 1))); do
      lb=${NAMES[$(((i + c + round) % n))]}
      ip=$(ip_of "$lb"); p1=7001; p2=7002
      [ "$lb" = direct ] && { p1=5201; p2=9000; }
      rec "$lb" load1 "$(cut -d' ' -f1 /proc/loadavg)"
      SECS=$SHORT iperf "$lb" "$ip" $p1 1
      SECS=$SHORT iperf "$lb" "$ip" $p1 8
      r=$($BENCH connrate "$ip" $p2 8 $((SHORT + 1))); rec "$lb" connrate "$r"
    done
  done
  if want latency; then
    $BENCH latency-ab 1 "$SLICE_MS" "$AB_SECS" "${TCP_T[@]}" | ab_rec latency_c1
    $BENCH latency-ab 32 "$SLICE_MS" "$AB_SECS" "${TCP_T[@]}" | ab_rec latency_c32
  fi
  if want udp && [ ${#UDP_T[@]} -gt 1 ]; then
    $BENCH udp-ab 8 "$SLICE_MS" "$AB_SECS" "${UDP_T[@]}" | ab_rec udp
  fi
done
for p in "${AB_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
echo "raw results: $RAW" >&2
