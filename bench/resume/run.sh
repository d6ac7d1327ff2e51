#!/usr/bin/env bash
# Resumption after kill -9 of the relaying broker (issue 16): death to first byte, by step.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B -pl bench -am package -DskipTests -Djacoco.skip=true
jar=bench/target/switchboard-bench.jar
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(java -version 2>&1 | head -1), load average $(cut -d" " -f1-3 /proc/loadavg)"
java -cp "$jar" dev.switchboard.bench.ResumeBench "$@"
