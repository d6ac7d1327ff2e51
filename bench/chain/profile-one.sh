#!/usr/bin/env bash
# One session as shipped, profiled: a broker, `controller --listen` and `target --to` a sink (the
# jar of this tree, or JAR=...), then MIB pushed through the controller three times in the same
# session (the first warms the JVMs up). Per transfer: MB/s, CPU seconds per GiB and voluntary
# context switches per MiB of each process.
#   PERF=CTL|BR|TGT    perf record -g of that process during the third transfer (perf-NAME.data,
#                      JIT symbols from jcmd Compiler.perfmap: perf report -i OUT/perf-NAME.data)
#   STRACE=CTL|BR|TGT  strace -c of that process during the third transfer
#   COPTS/TOPTS/BOPTS  extra JVM options for controller/target/broker (e.g. JFR)
# Usage: [MIB=1024] [OUT=/tmp/profile-one] bench/chain/profile-one.sh   (ports 7943-7947)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${JAR:-$ROOT/cli/target/switchboard.jar}
MIB=${MIB:-1024}
OUT=${OUT:-/tmp/profile-one}; rm -rf "$OUT"; mkdir -p "$OUT"; export HOME=$OUT
PKI=$OUT/pki
BP=7943 SINK=7944 LP=7945
PIDS=(); trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null||true; done' EXIT
wait_for() { for _ in $(seq 1 $(($3*10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; cat "$1"; return 1; }
java -jar "$JAR" pki init --dir "$PKI" >/dev/null
java -jar "$JAR" pki issue broker --dir "$PKI" --name b --dns localhost --ip 127.0.0.1 >/dev/null
java -jar "$JAR" pki issue controller --dir "$PKI" --name alice >/dev/null
java -jar "$JAR" pki issue target --dir "$PKI" --name t1 >/dev/null
cat > "$OUT/broker.yaml" <<Y
id: b
hostname: localhost
listen: {client: 127.0.0.1:$BP, admin: 127.0.0.1:7947}
tls: {ca: pki/ca.pem, cert: pki/b.pem, key: pki/b-key.pem}
Y
# The launcher's broker flags, spelled out so BOPTS can add to them.
(MALLOC_ARENA_MAX=2 exec java -XX:+UseParallelGC -XX:MaxNewSize=64m ${BOPTS:-} -jar "$JAR" broker \
  --config "$OUT/broker.yaml") > "$OUT/broker.out" 2>&1 & BR=$!; PIDS+=($BR)
wait_for "$OUT/broker.out" clients 60
(exec python3 "$ROOT/bench/mux/tools.py" sink $SINK) & PIDS+=($!)
(exec java ${COPTS:-} -jar "$JAR" controller --broker localhost:$BP --pki "$PKI" --name alice \
  --listen 127.0.0.1:$LP) > "$OUT/ctl.out" 2> "$OUT/ctl.err" & CTL=$!; PIDS+=($CTL)
wait_for "$OUT/ctl.out" "Connection code" 60
code=$(sed -n 's/^Connection code: \([^ ]*\).*/\1/p' "$OUT/ctl.out")
(exec java ${TOPTS:-} -jar "$JAR" target --broker localhost:$BP --pki "$PKI" --name t1 --code "$code" \
  --to 127.0.0.1:$SINK) 2> "$OUT/tgt.err" & TGT=$!; PIDS+=($TGT)
wait_for "$OUT/ctl.out" "listening on" 60
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
csw() { local t=0 f; for f in /proc/$1/task/*/status; do t=$((t + $(awk '/voluntary_ctxt_switches/{s+=$2} END{print s}' "$f"))); done; echo $t; }
pid_of() { case $1 in CTL) echo $CTL ;; BR) echo $BR ;; TGT) echo $TGT ;; esac; }
for round in 1 2 3; do
  c0=$(cpu $CTL); b0=$(cpu $BR); t0c=$(cpu $TGT); x0="$(csw $CTL) $(csw $BR) $(csw $TGT)"
  if [ $round = 3 ] && [ -n "${STRACE:-}" ]; then strace -f -c -o "$OUT/strace-$STRACE.txt" -p "$(pid_of $STRACE)" & SP=$!; sleep 1; fi
  if [ $round = 3 ] && [ -n "${PERF:-}" ]; then perf record -F 499 -g -o "$OUT/perf-$PERF.data" -p "$(pid_of $PERF)" 2>/dev/null & PP=$!; sleep 0.3; fi
  t0=$(date +%s.%N)
  got=$(head -c $((MIB * 1048576)) /dev/zero | socat -t 60 - TCP:127.0.0.1:$LP)
  t1=$(date +%s.%N)
  if [ $round = 3 ] && [ -n "${STRACE:-}" ]; then kill -INT $SP; wait $SP || true; fi
  if [ $round = 3 ] && [ -n "${PERF:-}" ]; then kill -INT $PP; wait $PP || true; jcmd "$(pid_of $PERF)" Compiler.perfmap >/dev/null; fi
  c1=$(cpu $CTL); b1=$(cpu $BR); t1c=$(cpu $TGT); x1="$(csw $CTL) $(csw $BR) $(csw $TGT)"
  [ "$got" = $((MIB * 1048576)) ] || { echo "sink counted '$got'" >&2; exit 1; }
  python3 -c "
s=$t1-$t0; g=$MIB/1024; a='$x0'.split(); b='$x1'.split()
print('transfer $round: %.1f MB/s  cpu s/GiB controller %.2f broker %.2f target %.2f  ctxsw/MiB %s  load %s' % (
  $MIB*1048576/s/1e6, ($c1-$c0)/100/g, ($b1-$b0)/100/g, ($t1c-$t0c)/100/g,
  '/'.join('%.1f' % ((int(y)-int(x))/$MIB) for x,y in zip(a,b)), open('/proc/loadavg').read().split()[0]))"
done
