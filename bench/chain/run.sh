#!/usr/bin/env bash
# Issue 17: the relayed session as shipped against the same chain built from standard tools, and
# direct TLS, interleaved rounds in one run on this machine (loopback; ports 7800-7899).
#
#   switchboard: client -> controller --listen -> broker -> target --to -> sink   (bin/switchboard)
#   standard:    client -> socat plain->TLS -> HAProxy TLS->TLS (mTLS both sides) -> socat TLS->plain -> sink
#   direct:      client -> socat plain->TLS -> socat TLS->plain -> sink
#
# Rows: bulk one session one direction (bulk1), both directions (bidi), eight sessions at once
# (multi8), 64-byte ping-pong p50/p99 (sockperf, rt), CPU seconds per GiB per process (bulk rows);
# each in two placements: shared (every process on both cores) and pinned (broker resp. HAProxy on
# core 1, everything else on core 0). Sessions/connections are set up before a transfer is timed.
#
# Usage (from the repo root; jar built with ./mvnw -B -q package -DskipTests -pl cli -am):
#   bench/chain/run.sh [-r ROUNDS] [-m MIB] [-l RT_ROUNDS] [-t RT_SECONDS] [-o OUTDIR]
#                      [-J OTHER_TREE]... [-p] [-q]
#   -J  also run the switchboard chain of another tree (its bin/switchboard and jar): A/B rows
#   -p  profile: one more bulk transfer with JFR on controller, broker and target; top frames
#   -q  quick smoke run (1 round, 64 MiB, short ping-pongs)
# Needs java 17, socat, haproxy, sockperf (installed with apt-get if missing), openssl, python3.
set -euo pipefail
ROUNDS=3 MIB=1024 RTR=5 RTT=1 OUT=/tmp/chainbench PROFILE="" TREES=()
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TREES=("$ROOT")
while getopts "r:m:l:t:o:J:pq" opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;; m) MIB=$OPTARG ;; l) RTR=$OPTARG ;; t) RTT=$OPTARG ;; o) OUT=$OPTARG ;;
    J) TREES+=("$(cd "$OPTARG" && pwd)") ;; p) PROFILE=1 ;; q) ROUNDS=1 MIB=64 RTR=2 RTT=1 ;;
    *) sed -n '2,21p' "$0" >&2; exit 2 ;;
  esac
done
CMDLINE="bench/chain/run.sh $*"
for t in "${TREES[@]}"; do
  [ -f "$t/cli/target/switchboard.jar" ] || { echo "missing $t/cli/target/switchboard.jar" >&2; exit 3; }
done
command -v sockperf >/dev/null || apt-get install -y -q sockperf >/dev/null
for c in socat haproxy sockperf openssl python3 jcmd taskset; do
  command -v $c >/dev/null || { echo "needs $c" >&2; exit 3; }
done
TOOLS="python3 $ROOT/bench/chain/tools.py"
if ss -ltn | grep -q '127.0.0.1:78[0-9][0-9] '; then
  echo "ports 7800-7899 in use (an earlier run still ending?):" >&2; ss -ltnp | grep ':78[0-9][0-9] ' >&2; exit 3
fi
rm -rf "$OUT"; mkdir -p "$OUT"
export HOME=$OUT/home
PKI=$OUT/pki
BYTES=$((MIB * 1024 * 1024))
M8=$((BYTES / 8)) # bytes per session in the eight-session row (MIB in all)
SINK=7800 SPERF=7801 HA_BULK=7802 SS_BULK=7803 HA_RT=7804 SS_RT=7805 DS_BULK=7806 DS_RT=7807
SC_BULK=7808 DC_BULK=7809 SC_RT=7810 DC_RT=7811 SC_MULTI=7812 # 7812-7819
tbase() { echo $((7830 + 20 * $1)); } # tree k: broker +0, admin +1, rt pair +2, pairs +3..+10
RESULTS=$OUT/results.txt
: > "$RESULTS"
log() { echo "$*" | tee -a "$RESULTS"; }

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  local c # children of this script, and the socat processes under run-cpu wrappers
  for c in $(pgrep -P $$ || true); do pkill -P "$c" 2>/dev/null || true; kill "$c" 2>/dev/null || true; done
}
trap cleanup EXIT
wait_for() { # file pattern seconds
  for _ in $(seq 1 $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}
load() { cut -d' ' -f1 /proc/loadavg; }

# --- certificates (EC P-256 from switchboard pki), PEMs for the OpenSSL tools ---
SBJ="java -jar $ROOT/cli/target/switchboard.jar"
$SBJ pki init --dir "$PKI" >/dev/null
$SBJ pki issue broker --dir "$PKI" --name broker-bench --dns localhost --ip 127.0.0.1 >/dev/null
$SBJ pki issue broker --dir "$PKI" --name tls-server --dns localhost --ip 127.0.0.1 >/dev/null
$SBJ pki issue controller --dir "$PKI" --name alice >/dev/null
$SBJ pki issue target --dir "$PKI" --name t1 >/dev/null
cat "$PKI/broker-bench.pem" "$PKI/broker-bench-key.pem" > "$PKI/haproxy.pem"

# --- TLS 1.3 suite: whatever the switchboard chain negotiates, forced on every OpenSSL hop ---
SUITE=""
probe_suite() { # a controller with handshake debugging; reads the ServerHello's suite
  local b; b=$(tbase 0)
  local dbg="-Djavax.net.debug=ssl:handshake"
  dbg="$dbg -Dorg.slf4j.simpleLogger.log.dev.switchboard.client.internal.tls=debug"
  (SWITCHBOARD_JAVA_OPTS="$dbg" exec "$ROOT/bin/switchboard" \
    controller --broker localhost:$b --pki "$PKI" --name alice --listen 127.0.0.1:$((b + 19))) \
    > "$OUT/probe.out" 2>&1 &
  local p=$!
  wait_for "$OUT/probe.out" "Connection code" 60
  kill "$p"; wait "$p" 2>/dev/null || true
  SUITE=$( (grep -A12 '"ServerHello"' "$OUT/probe.out" || true) | sed -n 's/.*"cipher suite" *: *"\([A-Z0-9_]*\).*/\1/p' | head -1)
  if [ -z "$SUITE" ]; then # clients on BoringSSL (EngineSocket): its debug line names the suite
    SUITE=$(sed -n 's/.*TLS handshake with .*: TLSv1.3 \([A-Z0-9_]*\).*/\1/p' "$OUT/probe.out" | head -1)
  fi
  if [ -z "$SUITE" ]; then # neither: ask the broker with OpenSSL's offer
    SUITE=$(openssl s_client -connect 127.0.0.1:$b -tls1_3 -cert "$PKI/alice.pem" \
      -key "$PKI/alice-key.pem" -CAfile "$PKI/ca.pem" < /dev/null 2>/dev/null \
      | sed -n 's/.*Ciphersuite: *\([A-Z0-9_]*\).*/\1/p' | head -1)
    echo "# suite read with openssl s_client (no JDK handshake log): $SUITE" >> "$RESULTS"
  fi
  [ -n "$SUITE" ] || { echo "could not read the negotiated suite" >&2; exit 1; }
}

# --- switchboard: one broker and ten sessions (rt pair + 8 bulk pairs; pair 1 also does bulk1/bidi) per tree ---
declare -A BROKER CTL TGT
start_tree() { # k
  local k=$1 t=${TREES[$1]} b; b=$(tbase "$1")
  cat > "$OUT/broker$k.yaml" <<YAML
id: broker-bench
hostname: localhost
listen: {client: 127.0.0.1:$b, admin: 127.0.0.1:$((b + 1))}
tls: {ca: pki/ca.pem, cert: pki/broker-bench.pem, key: pki/broker-bench-key.pem}
# Ten sessions' JVMs start at once on two loaded cores: their first handshakes can take > 10 s.
timeouts: {handshake: 60s, control: 60s, idle: 30m}
codes: {joinsInFlightPerSource: 64}
YAML
  (exec "$t/bin/switchboard" broker --config "$OUT/broker$k.yaml") > "$OUT/broker$k.out" 2>&1 &
  BROKER[$k]=$!; PIDS+=($!)
  wait_for "$OUT/broker$k.out" "clients" 90
}
start_pairs() { # k
  local k=$1 t=${TREES[$1]} b i; b=$(tbase "$1")
  for i in 0 1 2 3 4 5 6 7 8; do
    (exec "$t/bin/switchboard" controller --broker localhost:$b --pki "$PKI" --name alice \
      --listen 127.0.0.1:$((b + 2 + i))) > "$OUT/ctl$k-$i.out" 2> "$OUT/ctl$k-$i.err" &
    CTL[$k-$i]=$!; PIDS+=($!)
    [ $((i % 3)) = 2 ] && wait_for "$OUT/ctl$k-$i.out" "Connection code" 120 # three JVMs at a time
  done
  for i in 0 1 2 3 4 5 6 7 8; do
    wait_for "$OUT/ctl$k-$i.out" "Connection code" 120
    local code to=127.0.0.1:$SINK
    [ $i = 0 ] && to=127.0.0.1:$SPERF
    code=$(sed -n 's/^Connection code: \([^ ]*\).*/\1/p' "$OUT/ctl$k-$i.out")
    (exec "$t/bin/switchboard" target --broker localhost:$b --pki "$PKI" --name t1 --code "$code" \
      --to "$to") > "$OUT/tgt$k-$i.out" 2>&1 &
    TGT[$k-$i]=$!; PIDS+=($!)
  done
  for i in 0 1 2 3 4 5 6 7 8; do wait_for "$OUT/ctl$k-$i.out" "listening on" 120; done
  # A session can end right after it starts (seen: "controller sent a malformed relay frame:
  # message type 0x3 not allowed while relaying", a PING racing the start under load): say so
  # in the results and start that pair again.
  sleep 3
  for i in 0 1 2 3 4 5 6 7 8; do
    for try in 1 2 3; do
      if kill -0 "${CTL[$k-$i]}" 2>/dev/null && ! grep -q "session ended" "$OUT/ctl$k-$i.err"; then break; fi
      log "# tree $k pair $i ended at start ($(grep -h "session ended" "$OUT/ctl$k-$i.err" | head -1)); started again"
      kill "${CTL[$k-$i]}" "${TGT[$k-$i]}" 2>/dev/null || true
      wait "${CTL[$k-$i]}" "${TGT[$k-$i]}" 2>/dev/null || true
      mv "$OUT/ctl$k-$i.err" "$OUT/ctl$k-$i.err.$try"
      start_pair "$k" "$i"
      sleep 3
    done
  done
}
start_pair() { # k i: one controller and its target, sequentially
  local k=$1 i=$2 t=${TREES[$1]} b code to=127.0.0.1:$SINK; b=$(tbase "$1")
  [ "$i" = 0 ] && to=127.0.0.1:$SPERF
  (exec "$t/bin/switchboard" controller --broker localhost:$b --pki "$PKI" --name alice \
    --listen 127.0.0.1:$((b + 2 + i))) > "$OUT/ctl$k-$i.out" 2> "$OUT/ctl$k-$i.err" &
  CTL[$k-$i]=$!; PIDS+=($!)
  wait_for "$OUT/ctl$k-$i.out" "Connection code" 120
  code=$(sed -n 's/^Connection code: \([^ ]*\).*/\1/p' "$OUT/ctl$k-$i.out")
  (exec "$t/bin/switchboard" target --broker localhost:$b --pki "$PKI" --name t1 --code "$code" \
    --to "$to") > "$OUT/tgt$k-$i.out" 2>&1 &
  TGT[$k-$i]=$!; PIDS+=($!)
  wait_for "$OUT/ctl$k-$i.out" "listening on" 120
}
chain_name() { if [ "$1" = 0 ]; then echo switchboard; else echo "switchboard@$(basename "${TREES[$1]}")"; fi; }

# --- standard tools ---
export OPENSSL_CONF=$OUT/openssl.cnf # socat: TLS 1.3 only, the one suite
write_tls_conf() {
  cat > "$OPENSSL_CONF" <<CNF
openssl_conf = default_conf
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1.3
Ciphersuites = $SUITE
CNF
  cat > "$OUT/haproxy.cfg" <<CFG
global
  nbthread 2
  ssl-default-bind-options ssl-min-ver TLSv1.3
  ssl-default-server-options ssl-min-ver TLSv1.3
  ssl-default-bind-ciphersuites $SUITE
  ssl-default-server-ciphersuites $SUITE
defaults
  mode tcp
  timeout connect 5s
  timeout client 30m
  timeout server 30m
frontend bulk
  bind 127.0.0.1:$HA_BULK ssl crt $PKI/haproxy.pem ca-file $PKI/ca.pem verify required
  default_backend bulk
backend bulk
  server s 127.0.0.1:$SS_BULK ssl crt $PKI/haproxy.pem ca-file $PKI/ca.pem verify required
frontend rt
  bind 127.0.0.1:$HA_RT ssl crt $PKI/haproxy.pem ca-file $PKI/ca.pem verify required
  default_backend rt
backend rt
  server s 127.0.0.1:$SS_RT ssl crt $PKI/haproxy.pem ca-file $PKI/ca.pem verify required
CFG
}
CLI_TLS="cert=$PKI/alice.pem,key=$PKI/alice-key.pem,cafile=$PKI/ca.pem"
SRV_TLS="cert=$PKI/tls-server.pem,key=$PKI/tls-server-key.pem,cafile=$PKI/ca.pem,verify=1"
# socat ends as users run them (default 8 KiB transfer blocks), except -t 60: after one direction's
# EOF socat waits only 0.5 s for the other by default, less than the sink's count may take to come
# back on a loaded machine. The client end opens its TLS
# connection first and only then listens, so the chain is set up before the transfer is timed.
socat_client() { # cpus listen_port tls_port tag: one connection, CPU time to tag.cpu
  taskset -c "$1" $TOOLS run-cpu "$OUT/$4.cpu" socat -d -d -t 60 "OPENSSL:127.0.0.1:$3,$CLI_TLS" \
    "TCP-LISTEN:$2,bind=127.0.0.1,reuseaddr" 2> "$OUT/$4.log" &
}
socat_client_fork() { # cpus listen_port tls_port tag: a TLS connection per accepted one
  taskset -c "$1" socat -d -d -t 60 "TCP-LISTEN:$2,bind=127.0.0.1,reuseaddr,fork" \
    "OPENSSL:127.0.0.1:$3,$CLI_TLS" 2> "$OUT/$4.log" &
}
socat_server() { # cpus tls_port to_port tag [fork]: one connection (CPU time to tag.cpu) or many
  local a=("OPENSSL-LISTEN:$2,bind=127.0.0.1,reuseaddr,$SRV_TLS" "TCP:127.0.0.1:$3")
  if [ -n "${5:-}" ]; then
    taskset -c "$1" socat -d -d -t 60 "${a[0]},fork" "${a[1]}" 2> "$OUT/$4.log" &
  else
    taskset -c "$1" $TOOLS run-cpu "$OUT/$4.cpu" socat -d -d -t 60 "${a[@]}" 2> "$OUT/$4.log" &
  fi
}

# --- placement ---
RELAY_CPUS=0,1 REST_CPUS=0,1
place() { # shared|pinned: moves every long-lived process (all threads)
  if [ "$1" = shared ]; then RELAY_CPUS=0,1 REST_CPUS=0,1; else RELAY_CPUS=1 REST_CPUS=0; fi
  local p
  for p in "${BROKER[@]}" "$HAPROXY"; do taskset -a -p -c $RELAY_CPUS "$p" >/dev/null; done
  for p in "${CTL[@]}" "${TGT[@]}" $SINK_PID $SPERF_PID $(pgrep -P $$ socat || true); do
    taskset -a -p -c $REST_CPUS "$p" >/dev/null 2>&1 || true
  done
}

cpu() { $TOOLS cpu "$@"; }
sub() { python3 -c "import sys; a=sys.argv[1].split(); b=sys.argv[2].split(); print(' '.join('%.2f' % (float(y)-float(x)) for x, y in zip(a, b)))" "$1" "$2"; }

# row: bulk1|bidi; sends $BYTES (both ways for bidi) through one session
bulk_sb() { # k row place round
  local k=$1 ctl=${CTL[$1-1]} tgt=${TGT[$1-1]} br=${BROKER[$1]} port=$(($(tbase "$1") + 3))
  local mode=push; [ "$2" = bidi ] && mode=bidi
  local c0 c1 s ld; ld=$(load)
  c0=$(cpu "$ctl" "$br" "$tgt")
  s=$(taskset -c $REST_CPUS $TOOLS $mode $port $BYTES)
  c1=$(cpu "$ctl" "$br" "$tgt")
  log "row=$2 place=$3 chain=$(chain_name "$k") round=$4 bytes=$BYTES secs=$s cpu=$(sub "$c0" "$c1" | tr ' ' ,) load=$ld"
}
bulk_std() { # direct|standard row place round
  local mode=push; [ "$2" = bidi ] && mode=bidi
  local tag="$1-$2-$4-$3" c0="0" c1="0" s ld
  if [ "$1" = standard ]; then
    socat_server $REST_CPUS $SS_BULK $SINK "$tag.srv"
    wait_for "$OUT/$tag.srv.log" "listening on" 30
    socat_client $REST_CPUS $SC_BULK $HA_BULK "$tag.cli"
    wait_for "$OUT/$tag.cli.log" "listening on" 30
    ld=$(load); c0=$(cpu "$HAPROXY")
    s=$(taskset -c $REST_CPUS $TOOLS $mode $SC_BULK $BYTES)
    c1=$(cpu "$HAPROXY")
  else
    socat_server $REST_CPUS $DS_BULK $SINK "$tag.srv"
    wait_for "$OUT/$tag.srv.log" "listening on" 30
    socat_client $REST_CPUS $DC_BULK $DS_BULK "$tag.cli"
    wait_for "$OUT/$tag.cli.log" "listening on" 30
    ld=$(load)
    s=$(taskset -c $REST_CPUS $TOOLS $mode $DC_BULK $BYTES)
  fi
  for _ in $(seq 1 100); do [ -s "$OUT/$tag.cli.cpu" ] && [ -s "$OUT/$tag.srv.cpu" ] && break; sleep 0.1; done
  local relay; relay=$(sub "$c0" "$c1")
  log "row=$2 place=$3 chain=$1 round=$4 bytes=$BYTES secs=$s cpu=$(cat "$OUT/$tag.cli.cpu"),$relay,$(cat "$OUT/$tag.srv.cpu") load=$ld"
  local h1 h2 # hop 1 as the client end saw it, the last hop as the server end saw it
  h1=$(sed -n 's/.*SSL connection using //p' "$OUT/$tag.cli.log")
  h2=$(sed -n 's/.*SSL connection using //p' "$OUT/$tag.srv.log")
  echo "$1: client end $h1, server end $h2" >> "$OUT/suites.txt"
}
multi_sb() { # k place round
  local b; b=$(tbase "$1"); local ld; ld=$(load)
  local s; s=$(taskset -c $REST_CPUS $TOOLS multi $M8 $(seq $((b + 3)) $((b + 10))))
  log "row=multi8 place=$2 chain=$(chain_name "$1") round=$3 bytes=$((8 * M8)) secs=$s load=$ld"
}
multi_std() { # place round
  local tag="standard-multi8-$2-$1" i ports=()
  socat_server $REST_CPUS $SS_BULK $SINK "$tag.srv" fork
  local srv=$!
  wait_for "$OUT/$tag.srv.log" "listening on" 30
  for i in 0 1 2 3 4 5 6 7; do
    socat_client $REST_CPUS $((SC_MULTI + i)) $HA_BULK "$tag.cli$i"; ports+=($((SC_MULTI + i)))
  done
  for i in 0 1 2 3 4 5 6 7; do wait_for "$OUT/$tag.cli$i.log" "listening on" 30; done
  local ld; ld=$(load)
  local s; s=$(taskset -c $REST_CPUS $TOOLS multi $M8 "${ports[@]}")
  log "row=multi8 place=$1 chain=standard round=$2 bytes=$((8 * M8)) secs=$s load=$ld"
  kill "$srv"; wait "$srv" 2>/dev/null || true
  pkill -P "$srv" 2>/dev/null || true
}
rt() { # chain port place round sub
  local ld; ld=$(load)
  local o; o=$(taskset -c $REST_CPUS sockperf ping-pong --tcp -i 127.0.0.1 -p "$2" -m 64 -t $RTT --full-rtt 2>&1) \
    || { echo "$o" >&2; return 1; }
  local p50 p99
  p50=$(echo "$o" | sed -n 's/.*percentile 50.000 = *\([0-9.]*\).*/\1/p')
  p99=$(echo "$o" | sed -n 's/.*percentile 99.000 = *\([0-9.]*\).*/\1/p')
  log "row=rt place=$3 chain=$1 round=$4.$5 p50_us=$p50 p99_us=$p99 load=$ld"
}

# --- start everything ---
{
  echo "# bench/chain/run.sh: relayed session vs standard-tool chain (issue 17)"
  echo "# command: $CMDLINE"
  echo "# date: $(date -u +%FT%TZ)  commit: $(git -C "$ROOT" rev-parse --short HEAD)"
  for t in "${TREES[@]:1}"; do echo "# other tree: $t commit $(git -C "$t" rev-parse --short HEAD)"; done
  echo "# nproc: $(nproc)  cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)  kernel: $(uname -r)"
  echo "# cpu flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'aes|vaes|pclmulqdq|vpclmulqdq|avx2|avx512f' | tr '\n' ' ')"
  echo "# java: $(java -version 2>&1 | sed -n 2p)"
  echo "# haproxy: $(haproxy -v | head -1)"
  echo "# socat: $(socat -V | sed -n 2p)  openssl: $(openssl version)"
  echo "# sockperf: $(sockperf --version 2>&1 | head -1)"
  echo "# rounds=$ROUNDS mib=$MIB rt_rounds=$RTR rt_seconds=$RTT multi8: 8 x $((M8 >> 20)) MiB"
  echo "# cpu= seconds per process: switchboard controller,broker,target; standard socat-client,haproxy,socat-server; direct socat-client,-,socat-server"
  echo "# load at start: $(cat /proc/loadavg)"
} | tee -a "$RESULTS"
(exec $TOOLS sink $SINK) & SINK_PID=$!; PIDS+=($!)
(exec sockperf server --tcp -i 127.0.0.1 -p $SPERF) > "$OUT/sockperf-server.log" 2>&1 & SPERF_PID=$!; PIDS+=($!)
for k in "${!TREES[@]}"; do start_tree "$k"; done
probe_suite
write_tls_conf
log "# TLS 1.3 suite the client and the broker negotiate: $SUITE (forced on every OpenSSL hop)"
(exec haproxy -db -f "$OUT/haproxy.cfg") > "$OUT/haproxy.log" 2>&1 & HAPROXY=$!; PIDS+=($!)
for k in "${!TREES[@]}"; do start_pairs "$k"; done
socat_server 0,1 $SS_RT $SPERF standard-rt.srv fork; PIDS+=($!)
socat_client_fork 0,1 $SC_RT $HA_RT standard-rt.cli; PIDS+=($!)
socat_server 0,1 $DS_RT $SPERF direct-rt.srv fork; PIDS+=($!)
socat_client_fork 0,1 $DC_RT $DS_RT direct-rt.cli; PIDS+=($!)
for f in standard-rt.srv direct-rt.srv standard-rt.cli direct-rt.cli; do wait_for "$OUT/$f.log" "listening on" 30; done

# warm-up (JIT): one transfer of each kind through every chain, not recorded
RESULTS_KEEP=$RESULTS RESULTS=$OUT/warmup.txt
for k in "${!TREES[@]}"; do bulk_sb "$k" bulk1 shared 0 >/dev/null; bulk_sb "$k" bidi shared 0 >/dev/null; done
bulk_std standard bulk1 shared 0 >/dev/null
for k in "${!TREES[@]}"; do # the eight pairs and the round-trip pair too, not only pair 1
  taskset -c $REST_CPUS $TOOLS multi $((M8 < 128 << 20 ? M8 : 128 << 20)) $(seq $(($(tbase "$k") + 3)) $(($(tbase "$k") + 10))) >/dev/null
  sockperf ping-pong --tcp -i 127.0.0.1 -p $(($(tbase "$k") + 2)) -m 64 -t 2 >/dev/null 2>&1
done
RESULTS=$RESULTS_KEEP

run_round() { # round place
  local r=$1 p=$2 order=() c k s
  place "$p"
  for k in "${!TREES[@]}"; do order+=("sb$k"); done
  order+=(standard)
  [ "$p" = shared ] && order+=(direct)
  [ $((r % 2)) = 0 ] && order=($(printf '%s\n' "${order[@]}" | tac))
  for row in bulk1 bidi; do
    for c in "${order[@]}"; do
      case $c in sb*) bulk_sb "${c#sb}" $row "$p" "$r" ;; *) bulk_std "$c" $row "$p" "$r" ;; esac
    done
  done
  for c in "${order[@]}"; do
    case $c in sb*) multi_sb "${c#sb}" "$p" "$r" ;; standard) multi_std "$p" "$r" ;; esac
  done
  for s in $(seq 1 "$RTR"); do
    for c in "${order[@]}"; do
      case $c in
        sb*) rt "$(chain_name "${c#sb}")" $(($(tbase "${c#sb}") + 2)) "$p" "$r" "$s" ;;
        standard) rt standard $SC_RT "$p" "$r" "$s" ;;
        direct) rt direct $DC_RT "$p" "$r" "$s" ;;
      esac
    done
  done
}
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then run_round "$r" shared; run_round "$r" pinned
  else run_round "$r" pinned; run_round "$r" shared; fi
done
place shared
{ echo "# TLS 1.3 suites socat logged (standard: hop 1 at the client end, hop 2 at the server end; HAProxy is the other end of both):"
  sort "$OUT/suites.txt" | uniq -c | sed 's/^ */#   /'; } | tee -a "$RESULTS"
log "# load at end: $(cat /proc/loadavg)"

if [ -n "$PROFILE" ]; then
  names=(controller broker target)
  pids=("${CTL[0-1]}" "${BROKER[0]}" "${TGT[0-1]}")
  for i in 0 1 2; do jcmd "${pids[$i]}" JFR.start name=chain settings=profile filename="$OUT/${names[$i]}.jfr" >/dev/null; done
  bulk_sb 0 bulk1 shared profile
  for i in 0 1 2; do
    jcmd "${pids[$i]}" JFR.stop name=chain >/dev/null
    log "# profile: ${names[$i]} (bulk1, shared), jdk.ExecutionSample"
    java "$ROOT/bench/src/main/java/dev/switchboard/bench/JfrTop.java" "$OUT/${names[$i]}.jfr" 12 \
      | sed 's/^/#   /' | tee -a "$RESULTS"
    n=$(jfr summary "$OUT/${names[$i]}.jfr" | awk '$1=="jdk.NativeMethodSample"{print $2}')
    log "#   jdk.NativeMethodSample (threads in native code, e.g. blocked in socket reads or in BoringSSL): ${n:-0}"
  done
fi
python3 "$ROOT/bench/chain/summarize.py" "$RESULTS" | tee "$OUT/summary.md"
echo "results in $RESULTS"
