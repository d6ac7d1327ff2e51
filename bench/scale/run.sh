#!/usr/bin/env bash
# Sessions per broker (issue 17): 9,000 idle relayed sessions on one broker started by the shipped
# launcher (bin/switchboard broker), memory per session, then 1,000 of them moving data.
# Usage: bench/scale/run.sh [ScaleBench options, e.g. --sessions 9000 --procs 2 --active 1000]
# Extra JVM flags for this broker only (diagnostics such as NMT): --broker-opts "..." (passed to the
# launcher as SWITCHBOARD_JAVA_OPTS, as users would). docs/benchmarks.md ("Sessions per broker")
# records a run and this machine.
set -euo pipefail
cd "$(dirname "$0")/../.."

./mvnw -q -B -DskipTests -Dmaven.javadoc.skip=true package -pl cli,bench -am
jar=bench/target/switchboard-bench.jar

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM," \
  "$(java -version 2>&1 | head -1), open files limit $(ulimit -n), load average $(cut -d" " -f1-3 /proc/loadavg)"
echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (with local changes)')"
# The harness reads the broker with jcmd; NMT figures appear when --broker-opts turns NMT on.
java -cp "$jar" dev.switchboard.bench.ScaleBench "$@"
