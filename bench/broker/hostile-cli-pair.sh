#!/usr/bin/env bash
# One CLI row pair of the hostile-neighbour benchmark (started by hostile.sh): until DEADLINE (epoch
# seconds), a `switchboard controller` bridging stdin/stdout and a `switchboard target --exec cat`
# set up a session, echo 64 KiB and compare it. Every other session joins at the other broker
# (the mesh redirect). Appends `startMs cli-N local|redirect ok|fail wallMs controllerRc targetRc`.
# Usage: hostile-cli-pair.sh N PKI_DIR CONTROLLER_BROKER TARGET_BROKER DEADLINE WORK_DIR OUT_FILE
set -uo pipefail
n=$1 pki=$2 at=$3 other=$4 deadline=$5 work=$6 out=$7
sb="$(cd "$(dirname "$0")/../.." && pwd)/bin/switchboard"
mkdir -p "$work"
head -c 65536 /dev/urandom >"$work/in.bin"
i=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  if [ $((i % 2)) -eq 0 ]; then kind=local join=$at; else kind=redirect join=$other; fi
  i=$((i + 1))
  start=$(date +%s%3N)
  rm -f "$work/out.bin" "$work/ctl.err"
  "$sb" controller --broker "$at" --pki "$pki" --name "cli-ctl-$n" \
    <"$work/in.bin" >"$work/out.bin" 2>"$work/ctl.err" &
  ctl=$!
  code=""
  for _ in $(seq 300); do
    code=$(sed -n 's/^Connection code: \([^ ]*\).*/\1/p' "$work/ctl.err" 2>/dev/null)
    [ -n "$code" ] && break
    kill -0 "$ctl" 2>/dev/null || break
    sleep 0.1
  done
  trc=-1
  if [ -n "$code" ]; then
    SWITCHBOARD_CODE=$code timeout --foreground 60 "$sb" target --broker "$join" --pki "$pki" --name "cli-tgt-$n" \
      --exec cat >/dev/null 2>"$work/tgt.err"
    trc=$?
  else
    kill "$ctl" 2>/dev/null
  fi
  [ "$trc" -ne 0 ] && kill "$ctl" 2>/dev/null
  (sleep 30 && kill "$ctl" 2>/dev/null) &
  watchdog=$!
  wait "$ctl"
  crc=$?
  kill "$watchdog" 2>/dev/null
  result=fail
  if [ "$crc" -eq 0 ] && [ "$trc" -eq 0 ] && cmp -s "$work/in.bin" "$work/out.bin"; then result=ok; fi
  [ "$result" = fail ] && cp "$work/ctl.err" "$work/ctl-fail-$i.err" && cp "$work/tgt.err" "$work/tgt-fail-$i.err" 2>/dev/null
  echo "$start cli-$n $kind $result $(($(date +%s%3N) - start)) $crc $trc" >>"$out"
  sleep 1
done
