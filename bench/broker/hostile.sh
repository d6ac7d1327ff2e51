#!/usr/bin/env bash
# "Hostile neighbour" benchmark (issue 12): a mesh of 3 brokers started as shipped
# (`bin/switchboard broker --config FILE`, the launcher's default JVM settings), legitimate
# controller/target pairs setting up sessions and moving checked bytes through it, with and without
# one attacker process running every flood of issue 12 at the same brokers. Loopback only.
#
# Usage: bench/broker/hostile.sh [--seconds 60] [--rounds 1] [--warmup 10] [--jvms 4]
#          [--pairs-per-jvm 25] [--cli-pairs 3] [--think-ms 8000] [--net 231] [--no-build]
#          [--attack-args "--guess-rate 2 ..."] [--out FILE]
# One round = a phase without the attacker, then one with it (fresh brokers for each phase, so
# each broker's VmHWM and counters belong to one phase). Raw lines and the summary go to --out
# (default bench/broker/results-hostile-DATE.txt); the run's logs stay in /tmp/hostile.*.
# Every process it starts runs in its own process group and is stopped on exit, even on failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

seconds=60 rounds=1 warmup=10 jvms=4 per_jvm=25 cli_pairs=3 think=8000 net=231 build=1
attack_args="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --jvms) jvms=$2; shift 2 ;;
    --pairs-per-jvm) per_jvm=$2; shift 2 ;;
    --cli-pairs) cli_pairs=$2; shift 2 ;;
    --think-ms) think=$2; shift 2 ;;
    --net) net=$2; shift 2 ;;
    --attack-args) attack_args=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "usage: $0 [--seconds N] [--rounds N] [--warmup N] [--jvms N] [--pairs-per-jvm N]" \
         "[--cli-pairs N] [--think-ms N] [--net OCTET] [--attack-args ARGS] [--out FILE] [--no-build]" >&2
       exit 2 ;;
  esac
done
pairs=$((jvms * per_jvm))
[ "$pairs" -le 250 ] || { echo "at most 250 library pairs (one source address each)" >&2; exit 2; }
out=${out:-bench/broker/results-hostile-$(date -u +%Y-%m-%d-%H%M).txt}
run=$(mktemp -d /tmp/hostile.XXXXXX)
pids=()

# Stops every process group this script started: TERM, then KILL after 10 s.
cleanup() {
  local p left
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  for _ in $(seq 20); do
    left=0
    for p in "${pids[@]}"; do kill -0 -- "-$p" 2>/dev/null && left=1; done
    [ "$left" -eq 0 ] && break
    sleep 0.5
  done
  for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  pids=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts "$@" in a process group of its own (setsid execs in place: $! is the command and the group).
bg() { setsid "$@" & last=$!; pids+=("$last"); }
stop_group() { # PID: TERM the group, wait up to 15 s, then KILL; then forget it (ids get reused)
  local p keep=()
  kill -TERM -- "-$1" 2>/dev/null || true
  for _ in $(seq 30); do kill -0 -- "-$1" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$1" 2>/dev/null || true
  for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  pids=("${keep[@]}")
}
log() { echo "$*" | tee -a "$out"; }

if [ "$build" -eq 1 ]; then
  echo "building (./mvnw -B -q -DskipTests package)..." >&2
  ./mvnw -B -q -DskipTests package
fi
jar=$root/bench/target/switchboard-bench.jar
sb=$root/bin/switchboard
[ -f "$jar" ] && [ -f cli/target/switchboard.jar ] || { echo "build first (drop --no-build)" >&2; exit 3; }

: >"$out"
log "# hostile-neighbour benchmark (issue 12), $(date -u +%FT%TZ), run dir $run"
log "command: bench/broker/hostile.sh --seconds $seconds --rounds $rounds --warmup $warmup --jvms $jvms" \
  "--pairs-per-jvm $per_jvm --cli-pairs $cli_pairs --think-ms $think --net $net" \
  "${attack_args:+--attack-args '$attack_args'}$([ "$build" -eq 0 ] && echo " --no-build")"
log "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM," \
  "$(uname -sr), open files limit $(ulimit -n)"
log "java: $(java -version 2>&1 | head -1); commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '+changes')"
log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- PKI: CA and broker certificates with the shipped CLI; ~250 client certificates in one JVM ---
pki=$run/pki
"$sb" pki init --dir "$pki" >/dev/null
ips=() brokers="" admins=""
for i in 1 2 3; do
  ip=127.$net.0.$i
  ips+=("$ip")
  "$sb" pki issue broker --dir "$pki" --name "broker-hn-$i" --ip "$ip" --dns localhost >/dev/null
  brokers+="${brokers:+,}broker-hn-$i@$ip:7443"
  admins+="${admins:+,}$ip:7480"
done
java -cp "$jar" dev.switchboard.bench.hostile.HostilePki "$pki" \
  "legit-ctl:controller:$pairs" "legit-tgt:target:$pairs" \
  "cli-ctl:controller:$cli_pairs" "cli-tgt:target:$cli_pairs" \
  atk-ctl:controller:3 atk-tgt:target:40 >/dev/null

# --- broker configs: examples/broker.yaml's limits, meshed, each on its own loopback address ---
# proxyProtocol is on with a trusted proxy nobody here uses (127.NET.9.1), so the forged headers
# meet the trustedProxies check; every client here is a direct client under its own address.
for i in 1 2 3; do
  d=$run/broker-$i
  mkdir -p "$d"
  {
    echo "id: broker-hn-$i"
    echo "hostname: ${ips[$((i - 1))]}"
    echo "listen: {client: '${ips[$((i - 1))]}:7443', admin: '${ips[$((i - 1))]}:7480', mesh: '${ips[$((i - 1))]}:7444'}"
    echo "tls: {ca: ../pki/ca.pem, cert: ../pki/broker-hn-$i.pem, key: ../pki/broker-hn-$i-key.pem}"
    sed -n '/^codes:/,/^proxyProtocol:/p' examples/broker.yaml | grep -v '^proxyProtocol:'
    echo "proxyProtocol: true"
    echo "trustedProxies: [127.$net.9.1/32]"
    echo "peers:"
    for j in 1 2 3; do
      [ "$j" -eq "$i" ] && continue
      echo "  - {id: broker-hn-$j, hostname: ${ips[$((j - 1))]}, client: '${ips[$((j - 1))]}:7443', mesh: '${ips[$((j - 1))]}:7444'}"
    done
  } >"$d/broker.yaml"
done
log "broker config (broker-hn-1; the others differ in addresses):"
sed 's/^/  | /' "$run/broker-1/broker.yaml" | tee -a "$out"

phase() { # NAME ATTACK(0|1)
  local name=$1 attack=$2 dir=$run/$1 i legit_pids=() cli_pids=() attacker="" samplers=()
  mkdir -p "$dir"
  local bpids=()
  for i in 1 2 3; do
    bg "$sb" broker --config "$run/broker-$i/broker.yaml" --drain-deadline 1s >"$dir/broker-$i.log" 2>&1
    bpids+=("$last")
  done
  # Ready: /healthz answers and both mesh links are up on every broker.
  for i in 1 2 3; do
    for t in $(seq 240); do
      up=$(curl -sf --max-time 2 "http://${ips[$((i - 1))]}:7480/metrics" 2>/dev/null |
        grep -c '^switchboard_mesh_peer_up.* 1.0$' || true)
      [ "${up:-0}" -eq 2 ] && break
      kill -0 "${bpids[$((i - 1))]}" 2>/dev/null || { echo "broker $i died:" >&2; cat "$dir/broker-$i.log" >&2; exit 1; }
      [ "$t" -eq 240 ] && { echo "broker $i not ready after 120 s" >&2; exit 1; }
      sleep 0.5
    done
  done
  for i in 1 2 3; do
    bg jstat -gc "${bpids[$((i - 1))]}" 1000 >"$dir/jstat-$i.txt" 2>&1
    samplers+=("$last")
  done
  # What a load balancer's health probe would see: /healthz of every broker once a second.
  bg bash -c "while :; do for ip in ${ips[*]}; do
      if curl -sf --max-time 2 -o /dev/null http://\$ip:7480/healthz; then echo \"\$(date +%s) \$ip ok\"; else echo \"\$(date +%s) \$ip fail\"; fi
    done; sleep 1; done" >"$dir/healthz.txt"
  samplers+=("$last")
  log "phase $name: brokers pids ${bpids[*]} ready; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  local total=$((warmup + seconds))
  if [ "$attack" -eq 1 ]; then
    # shellcheck disable=SC2086
    bg java -cp "$jar" dev.switchboard.bench.hostile.HostileNeighbour --brokers "$brokers" \
      --admins "$admins" --pki "$pki" --seconds $((total + 900)) --stop-file "$dir/stop" \
      --net 127.$((net + 1)) --out "$dir/attacker.txt" $attack_args >"$dir/attacker.log" 2>&1
    attacker=$last
    for t in $(seq 360); do
      grep -q '^ATTACKING' "$dir/attacker.log" && break
      kill -0 "$attacker" 2>/dev/null || { echo "attacker died:" >&2; cat "$dir/attacker.log" >&2; exit 1; }
      [ "$t" -eq 360 ] && { echo "attacker not started after 180 s" >&2; exit 1; }
      sleep 0.5
    done
    sleep 5 # the floods are running before the first legitimate session
  fi
  for ((k = 0; k < jvms; k++)); do
    bg java -cp "$jar" dev.switchboard.bench.hostile.LegitLoad --brokers "$brokers" --pki "$pki" \
      --first $((k * per_jvm + 1)) --pairs "$per_jvm" --seconds "$total" --think-ms "$think" \
      --source-net "127.$net" --out "$dir/legit-$k.txt" >"$dir/legit-$k.log" 2>&1
    legit_pids+=("$last")
  done
  for ((c = 1; c <= cli_pairs; c++)); do
    bg bench/broker/hostile-cli-pair.sh "$c" "$pki" "${ips[$((c % 3))]}:7443" \
      "${ips[$(((c + 1) % 3))]}:7443" $(($(date +%s) + total)) "$dir/cli-$c" "$dir/cli.txt"
    cli_pids+=("$last")
  done
  for p in "${legit_pids[@]}" "${cli_pids[@]}"; do wait "$p" || true; done
  if [ -n "$attacker" ]; then touch "$dir/stop"; wait "$attacker" || true; fi
  for p in "${legit_pids[@]}" "${cli_pids[@]}" $attacker; do stop_group "$p"; done
  log "phase $name: load done; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for i in 1 2 3; do
    local ip=${ips[$((i - 1))]} p=${bpids[$((i - 1))]}
    for _ in $(seq 20); do curl -sf --max-time 2 "http://$ip:7480/metrics" >"$dir/metrics-$i.txt" && break; sleep 0.5; done
    echo "VmHWM_kB $(awk '/^VmHWM/ {print $2}' "/proc/$p/status") VmRSS_kB $(awk '/^VmRSS/ {print $2}' "/proc/$p/status")" \
      "threads $(awk '/^Threads/ {print $2}' "/proc/$p/status") fds $(ls "/proc/$p/fd" | wc -l)" >"$dir/proc-$i.txt"
    log "phase $name broker-hn-$i (pid $p): $(cat "$dir/proc-$i.txt")"
  done
  for p in "${samplers[@]}"; do stop_group "$p"; done
  for p in "${bpids[@]}"; do stop_group "$p"; done
  python3 bench/broker/hostile-summary.py phase "$dir" "$name" "$attack" "$warmup" | tee -a "$out"
}

for ((r = 1; r <= rounds; r++)); do
  phase "quiet-$r" 0
  phase "attack-$r" 1
done
log "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/broker/hostile-summary.py total "$run" | tee -a "$out"
echo "results: $out; logs: $run" >&2
