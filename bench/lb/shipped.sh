#!/usr/bin/env bash
# Measures the lb as users run it (`bin/switchboard lb run --config FILE`) side by side with
# HAProxy (TCP mode, nbthread 2) and nginx stream (2 workers), same backends, interleaved rounds.
#
# Usage (as root, from anywhere; installs haproxy nginx iperf3 wrk with apt-get if absent):
#   bench/lb/shipped.sh [-r ROUNDS] [-t SECONDS] [-w WARMUP_SECONDS] [-o OUTDIR] [-d]
#     -r  rounds (default 3); every round runs every test once per proxy, order rotating
#     -t  seconds per test run (default 10)
#     -w  warm-up load per proxy and test before the rounds, discarded (default 5; 0 = none)
#     -o  output directory (default /tmp/lbshipped); raw lines in OUTDIR/raw.txt
#     -d  also measure "direct" (clients straight to the backends) as a reference row
#   python3 bench/lb/summarize_shipped.py OUTDIR/raw.txt    # medians and ranges
#
# Tests: iperf3 TCP 1 and 8 streams; iperf3 -u -l 64 -b 0 through a TCP+UDP rule (HAProxy 2.6
# has no UDP); wrk -t2 -c50 -H 'Connection: close' to an nginx "ok" backend (new connections/s);
# the closed-loop UDP echo of bench/lb/LbBench.java (4 sockets x 32 outstanding, 64 B). CPU% of
# each proxy's process tree is read from /proc around every run; the 1-minute load average is
# recorded with every run. Startup of `lb run` (exec to first forwarded HTTP reply) is measured
# on STARTS (default 3) cold starts plus the long-lived instance. Only 127.0.0.0/8 is used.
set -euo pipefail
ROUNDS=3 SECS=10 WARMUP=5 OUT=/tmp/lbshipped DIRECT=""
while getopts "r:t:w:o:d" opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;; t) SECS=$OPTARG ;; w) WARMUP=$OPTARG ;; o) OUT=$OPTARG ;; d) DIRECT=1 ;;
    *) sed -n '5,11p' "$0" >&2; exit 2 ;;
  esac
done
STARTS=${STARTS:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TOOLS="python3 $ROOT/bench/lb/shipped_tools.py"
mkdir -p "$OUT"
RAW="$OUT/raw.txt"
: > "$RAW"

# Backends on 127.0.61.1, frontends: switchboard .71.1, haproxy .71.2, nginx .71.3.
BE=127.0.61.1
declare -A FE=([switchboard]=127.0.71.1 [haproxy]=127.0.71.2 [nginx]=127.0.71.3 [direct]=$BE)
P_IPERF=7001 P_HTTP=7002 P_UDP=7003

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
trap 'exit 130' INT TERM

need=""
for c in haproxy nginx iperf3 wrk; do command -v $c >/dev/null || need=1; done
[ -e /usr/lib/nginx/modules/ngx_stream_module.so ] || need=1
if [ -n "$need" ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y haproxy nginx libnginx-mod-stream iperf3 wrk
fi
# The Debian packages start system services when allowed to; this benchmark starts its own.
for s in haproxy nginx; do
  if command -v systemctl >/dev/null && systemctl is-active -q "$s" 2>/dev/null; then
    echo "note: system $s service is running; it is left alone" >&2
  fi
done

"$ROOT/bin/switchboard" --version >/dev/null # builds cli/target/switchboard.jar if stale
javac -d "$OUT/classes" "$ROOT/bench/lb/LbBench.java"
BENCH="java -Xmx256m -XX:+UseSerialGC -cp $OUT/classes LbBench"

rec() { echo "$*" | tee -a "$RAW"; }
rec "# $(date -u +%FT%TZ) shipped.sh -r $ROUNDS -t $SECS -w $WARMUP ${DIRECT:+-d}"
rec "# machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(awk '/MemTotal/ {print int($2/1024) " MiB"}' /proc/meminfo), Linux $(uname -r)"
rec "# java: $(java -version 2>&1 | head -2 | tail -1)"
rec "# switchboard: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')" \
  "$(cd "$ROOT" && git diff --quiet 2>/dev/null || echo '(dirty)')"
rec "# haproxy: $(haproxy -v | head -1)"
rec "# nginx: $(nginx -v 2>&1)"
rec "# iperf3: $(iperf3 -v | head -1); wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"

# ---- backends ----
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
iperf3 -s -B $BE -p 5201 > "$OUT/iperf3-server.log" 2>&1 & PIDS+=($!)
$BENCH udp-echo $BE 9001 > "$OUT/udp-echo.log" 2>&1 & PIDS+=($!)

# ---- proxy configs: the same three services on each ----
cat > "$OUT/switchboard.yaml" <<YAML
admin: {address: 127.0.0.1, port: 0}
frontends: [{name: fe, ip: ${FE[switchboard]}}]
pools: [{name: be, backends: [{ip: $BE}]}]
rules:
  - {name: iperf, frontend: fe, frontendPort: $P_IPERF, protocol: all, pool: be, backendPort: 5201}
  - {name: http, frontend: fe, frontendPort: $P_HTTP, pool: be, backendPort: 8080}
  - {name: udp, frontend: fe, frontendPort: $P_UDP, protocol: udp, pool: be, backendPort: 9001}
YAML
cat > "$OUT/haproxy.cfg" <<CFG
global
  maxconn 8000
  nbthread 2
defaults
  mode tcp
  timeout connect 2s
  timeout client 1m
  timeout server 1m
listen iperf
  bind ${FE[haproxy]}:$P_IPERF
  server s1 $BE:5201
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
  server { listen ${FE[nginx]}:$P_IPERF; listen ${FE[nginx]}:$P_IPERF udp reuseport;
           proxy_pass $BE:5201; proxy_timeout 1m; }
  server { listen ${FE[nginx]}:$P_HTTP backlog=4096; proxy_pass $BE:8080; }
  server { listen ${FE[nginx]}:$P_UDP udp reuseport; proxy_pass $BE:9001; proxy_timeout 10s; }
}
CFG

LB_CMD=("$ROOT/bin/switchboard" lb run --config "$OUT/switchboard.yaml")
rec "# command: ${LB_CMD[*]}"
sleep 1
# ---- startup of lb run: exec to the first reply forwarded through it ----
for i in $(seq 1 "$STARTS"); do
  read -r pid ms < <($TOOLS start-lb "$OUT/switchboard.log" "${FE[switchboard]}" $P_HTTP "${LB_CMD[@]}")
  PIDS+=("$pid")
  rec "switchboard startup_ms $ms load1=$(cut -d' ' -f1 /proc/loadavg)"
  kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
done
read -r SB_PID ms < <($TOOLS start-lb "$OUT/switchboard.log" "${FE[switchboard]}" $P_HTTP "${LB_CMD[@]}")
PIDS+=("$SB_PID")
rec "switchboard startup_ms $ms load1=$(cut -d' ' -f1 /proc/loadavg)"
haproxy -db -f "$OUT/haproxy.cfg" > "$OUT/haproxy.log" 2>&1 & HA_PID=$!; PIDS+=($HA_PID)
nginx -c "$OUT/nginx.conf" > "$OUT/nginx.log" 2>&1 & NG_PID=$!; PIDS+=($NG_PID)
declare -A PID_OF=([switchboard]=$SB_PID [haproxy]=$HA_PID [nginx]=$NG_PID [direct]=0)
sleep 2
for lb in switchboard haproxy nginx; do
  kill -0 "${PID_OF[$lb]}" 2>/dev/null || { echo "$lb did not start; see $OUT/$lb.log" >&2; exit 1; }
done

# ---- one measurement: run a test against one proxy, record value, CPU% and load ----
port_of() { # proxy test
  if [ "$1" = direct ]; then
    case $2 in iperf*) echo 5201 ;; wrk) echo 8080 ;; udpecho) echo 9001 ;; esac
  else
    case $2 in iperf*) echo $P_IPERF ;; wrk) echo $P_HTTP ;; udpecho) echo $P_UDP ;; esac
  fi
}
run_test() { # proxy test seconds -> prints the value
  local host=${FE[$1]} port secs=$3 f="$OUT/last.out"
  port=$(port_of "$1" "$2")
  case $2 in
    iperf1) iperf3 -c "$host" -p "$port" -P 1 -t "$secs" -J > "$f" && $TOOLS iperf-json tcp "$f" ;;
    iperf8) iperf3 -c "$host" -p "$port" -P 8 -t "$secs" -J > "$f" && $TOOLS iperf-json tcp "$f" ;;
    iperfudp) iperf3 -c "$host" -p "$port" -u -l 64 -b 0 -t "$secs" -J > "$f" \
      && $TOOLS iperf-json udp "$f" ;;
    wrk) wrk -t2 -c50 -d"${secs}s" -H 'Connection: close' "http://$host:$port/" > "$f" \
      && $TOOLS wrk "$f" ;;
    udpecho) $BENCH udp "$host" "$port" 4 "$((secs + 1))" | sed 's/.*datagrams_per_s=\([0-9]*\).*/\1/' ;;
  esac
}
measure() { # proxy test seconds round
  local lb=$1 pid=${PID_OF[$1]} t0 t1 c0 c1 v load hz cpu
  hz=$(getconf CLK_TCK)
  load=$(cut -d' ' -f1 /proc/loadavg)
  c0=$($TOOLS ticks "$pid"); t0=$(date +%s%N)
  v=$(run_test "$lb" "$2" "$3" || echo 0)
  t1=$(date +%s%N); c1=$($TOOLS ticks "$pid")
  cpu=$(python3 -c "print(round(100 * ($c1 - $c0) / $hz / (($t1 - $t0) / 1e9)))")
  [ "$lb" = direct ] && cpu=0
  rec "$lb $2 ${v:-0} cpu=$cpu load1=$load round=$4"
}

TESTS="iperf1 iperf8 iperfudp wrk udpecho"
LBS=(switchboard haproxy nginx); [ -n "$DIRECT" ] && LBS+=(direct)
supports() { # HAProxy 2.6 has no UDP proxying
  [ "$1" != haproxy ] || { [ "$2" != iperfudp ] && [ "$2" != udpecho ]; }
}
if [ "$WARMUP" -gt 0 ]; then
  echo "== warm-up ($WARMUP s per proxy and test, discarded)" >&2
  for t in $TESTS; do
    for lb in "${LBS[@]}"; do
      supports "$lb" "$t" && run_test "$lb" "$t" "$WARMUP" >/dev/null 2>&1 || true
    done
  done
fi
n=${#LBS[@]}
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round of $ROUNDS" >&2
  for t in $TESTS; do
    for i in $(seq 0 $((n - 1))); do
      lb=${LBS[$(((i + round) % n))]} # the order rotates every round
      supports "$lb" "$t" && measure "$lb" "$t" "$SECS" "$round"
    done
  done
done
echo "raw results: $RAW; summary: python3 $ROOT/bench/lb/summarize_shipped.py $RAW" >&2
python3 "$ROOT/bench/lb/summarize_shipped.py" "$RAW"
