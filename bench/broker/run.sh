#!/usr/bin/env bash
# Broker benchmarks (issue 2): relay throughput vs direct TLS, and memory/fds per idle session.
# Usage: bench/broker/run.sh [throughput|idle|jmh|all] [extra args for that benchmark]
# Results go to stdout; docs/benchmarks.md ("Broker relay") records a run and this machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
what="${1:-all}"
[[ $# -gt 0 ]] && shift

./mvnw -q -B -DskipTests install
./mvnw -q -B -pl bench package
jar=bench/target/switchboard-bench.jar

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM," \
  "$(java -version 2>&1 | head -1), open files limit $(ulimit -n), load average $(cut -d" " -f1-3 /proc/loadavg)"

case "$what" in
  throughput) java -cp "$jar" dev.switchboard.bench.RelayThroughputBench "$@" ;;
  idle) java -cp "$jar" dev.switchboard.bench.IdleSessionsBench "$@" ;;
  jmh) java -jar "$jar" 'RelayScannerBenchmark|TlsRecordBenchmark' "$@" ;;
  all)
    java -cp "$jar" dev.switchboard.bench.RelayThroughputBench
    java -cp "$jar" dev.switchboard.bench.IdleSessionsBench
    ;;
  *) echo "usage: $0 [throughput|idle|jmh|all] [args]" >&2; exit 2 ;;
esac
