#!/usr/bin/env bash
# A/B of lb variants (jars and JVM options) on the two connection- and packet-bound rows of
# shipped.sh (wrk new connections/s, closed-loop UDP echo), with HAProxy and nginx in the same
# interleaved rounds as the yardstick. Every variant runs as `java <launcher flags> OPTS -jar JAR lb
# run` (the flags bin/switchboard gives `lb run`), all at once on their own frontend address; only
# the one being measured is loaded.
#
# Usage (as root; needs what shipped.sh installs):
#   bench/lb/ab.sh [-r ROUNDS] [-t SECONDS] [-o OUTDIR] [-T "wrk udpecho"] NAME=JAR[,OPTS]...
#   e.g. bench/lb/ab.sh -r 4 -t 5 reuse=/tmp/a.jar shared=/tmp/a.jar,-Dswitchboard.lb.reusePort=false
#   python3 bench/lb/summarize_ab.py OUTDIR/raw.txt
set -euo pipefail
ROUNDS=3 SECS=5 OUT=/tmp/lbab TESTS="wrk udpecho"
while getopts "r:t:o:T:" opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;; t) SECS=$OPTARG ;; o) OUT=$OPTARG ;; T) TESTS=$OPTARG ;;
    *) sed -n '8,11p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { sed -n '8,11p' "$0" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TOOLS="python3 $ROOT/bench/lb/shipped_tools.py"
mkdir -p "$OUT"
RAW="$OUT/raw.txt"
: > "$RAW"
BE=127.0.62.1 P_HTTP=7002 P_UDP=7003
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
javac -d "$OUT/classes" "$ROOT/bench/lb/LbBench.java"
BENCH="java -Xmx256m -XX:+UseSerialGC -cp $OUT/classes LbBench"
rec() { echo "$*" | tee -a "$RAW"; }
rec "# $(date -u +%FT%TZ) ab.sh -r $ROUNDS -t $SECS -T '$TESTS' $*"
rec "# machine: $(nproc) cpus, Linux $(uname -r); java: $(java -version 2>&1 | head -2 | tail -1)"

cat > "$OUT/backend-nginx.conf" <<CFG
worker_processes 2;
daemon off;
pid $OUT/backend-nginx.pid;
error_log $OUT/backend-nginx.err;
events { worker_connections 8000; }
http {
  access_log off;
  server { listen $BE:8080 backlog=4096; location / { return 200 "ok"; } }
}
CFG
nginx -c "$OUT/backend-nginx.conf" > "$OUT/backend-nginx.log" 2>&1 & PIDS+=($!)
$BENCH udp-echo $BE 9001 > "$OUT/udp-echo.log" 2>&1 & PIDS+=($!)

declare -A FE PID_OF
FE[haproxy]=127.0.72.200 FE[nginx]=127.0.72.201
cat > "$OUT/haproxy.cfg" <<CFG
global
  maxconn 8000
  nbthread 2
defaults
  mode tcp
  timeout connect 2s
  timeout client 1m
  timeout server 1m
listen http
  bind ${FE[haproxy]}:$P_HTTP
  server s1 $BE:8080
CFG
cat > "$OUT/nginx.conf" <<CFG
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
worker_processes 2;
daemon off;
pid $OUT/nginx.pid;
error_log $OUT/nginx.err;
events { worker_connections 8000; }
stream {
  server { listen ${FE[nginx]}:$P_HTTP backlog=4096; proxy_pass $BE:8080; }
  server { listen ${FE[nginx]}:$P_UDP udp reuseport; proxy_pass $BE:9001; proxy_timeout 10s; }
}
CFG
haproxy -db -f "$OUT/haproxy.cfg" > "$OUT/haproxy.log" 2>&1 & PID_OF[haproxy]=$!
PIDS+=(${PID_OF[haproxy]})
nginx -c "$OUT/nginx.conf" > "$OUT/nginx.log" 2>&1 & PID_OF[nginx]=$!
PIDS+=(${PID_OF[nginx]})

LBS=()
i=0
for v in "$@"; do
  name=${v%%=*} spec=${v#*=}
  jar=${spec%%,*} opts=""
  [ "$spec" != "$jar" ] && opts=${spec#*,}
  i=$((i + 1))
  FE[$name]=127.0.72.$i
  cat > "$OUT/$name.yaml" <<YAML
admin: {address: 127.0.0.1, port: 0}
frontends: [{name: fe, ip: ${FE[$name]}}]
pools: [{name: be, backends: [{ip: $BE}]}]
rules:
  - {name: http, frontend: fe, frontendPort: $P_HTTP, pool: be, backendPort: 8080}
  - {name: udp, frontend: fe, frontendPort: $P_UDP, protocol: udp, pool: be, backendPort: 9001}
YAML
  # shellcheck disable=SC2086
  read -r pid ms < <($TOOLS start-lb "$OUT/$name.log" "${FE[$name]}" $P_HTTP java \
    -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled $opts -jar "$jar" \
    lb run --config "$OUT/$name.yaml")
  PIDS+=("$pid")
  PID_OF[$name]=$pid
  rec "# variant $name: $jar $opts (startup_ms $ms)"
  LBS+=("$name")
done
LBS+=(haproxy nginx)
sleep 1

run_test() { # proxy test seconds -> prints the value
  local host=${FE[$1]} secs=$3 f="$OUT/last.out"
  case $2 in
    wrk) wrk -t2 -c50 -d"${secs}s" -H 'Connection: close' "http://$host:$P_HTTP/" > "$f" \
      && $TOOLS wrk "$f" ;;
    udpecho) $BENCH udp "$host" $P_UDP 4 "$((secs + 1))" \
      | sed 's/.*datagrams_per_s=\([0-9]*\).*/\1/' ;;
  esac
}
measure() { # proxy test seconds round
  local pid=${PID_OF[$1]} t0 t1 c0 c1 v load hz cpu
  hz=$(getconf CLK_TCK)
  load=$(cut -d' ' -f1 /proc/loadavg)
  c0=$($TOOLS ticks "$pid"); t0=$(date +%s%N)
  v=$(run_test "$1" "$2" "$3" || echo 0)
  t1=$(date +%s%N); c1=$($TOOLS ticks "$pid")
  cpu=$(python3 -c "print(round(100 * ($c1 - $c0) / $hz / (($t1 - $t0) / 1e9)))")
  rec "$1 $2 ${v:-0} cpu=$cpu load1=$load round=$4"
}
# 2 s of each test per proxy first, discarded (JIT warm-up).
for t in $TESTS; do
  for lb in "${LBS[@]}"; do
    [ "$lb" = haproxy ] && [ "$t" = udpecho ] && continue
    run_test "$lb" "$t" 2 >/dev/null 2>&1 || true
  done
done
n=${#LBS[@]}
for round in $(seq 1 "$ROUNDS"); do
  for t in $TESTS; do
    for k in $(seq 0 $((n - 1))); do
      lb=${LBS[$(((k + round) % n))]}
      [ "$lb" = haproxy ] && [ "$t" = udpecho ] && continue
      measure "$lb" "$t" "$SECS" "$round"
    done
  done
done
python3 "$ROOT/bench/lb/summarize_ab.py" "$RAW"
